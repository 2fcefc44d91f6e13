import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { greenops } from "../helpers/cli.ts";
import { type TempRepo, tempRepo } from "../helpers/git-repo.ts";

/** A pull request's program that never ends (a loop a bad merge left, or on purpose). */
const SPINNING = "let turns = 0;\nfor (;;) turns++;\n";
const REAL = `import * as aws from "@pulumi/aws";

new aws.ec2.Instance("web", { ami: "ami-0123456789abcdef0", instanceType: "t3.large" });
`;

type Diagnostic = {
  file: string;
  line: number;
  severity: string;
  message: string;
  notRun?: { reason: string };
};

/** Five spinning Pulumi projects (and a real one), added by the change under review. */
function addPrograms(repo: TempRepo, real?: string) {
  const project = (dir: string, index: string) => {
    repo.write(`${dir}/Pulumi.yaml`, `name: ${dir.split("/").pop()}\nruntime: nodejs\n`);
    repo.write(`${dir}/Pulumi.dev.yaml`, "config:\n  aws:region: us-east-1\n");
    repo.write(`${dir}/index.ts`, index);
  };
  for (const n of [1, 2, 3, 4, 5]) project(`stacks/spin-${n}`, SPINNING);
  if (real) project(real, REAL);
}

function reviewed(repo: TempRepo, ...options: string[]) {
  const started = Date.now();
  const run = greenops(repo.root, "review", "--format", "json", ...options);
  const seconds = (Date.now() - started) / 1000;
  expect(run.status, run.stderr).toBe(0);
  const report = JSON.parse(run.stdout);
  const web = report.resources.find((r: { id: string }) => r.id === "aws:ec2/instance:Instance::web");
  const about = (n: number) =>
    report.diagnostics
      .filter((d: Diagnostic) => d.file.startsWith(`stacks/spin-${n}/`))
      .map((d: Diagnostic) => d.message);
  return { seconds, web, about, diagnostics: report.diagnostics as Diagnostic[] };
}

describe("untrusted programs cannot stall a review", () => {
  let repo: TempRepo;

  beforeEach(() => {
    repo = tempRepo();
    repo.write("README.md", "stacks\n");
    repo.commit("an empty repository");
  });

  afterEach(() => repo.dispose());

  it("with the defaults, five spinning programs do not keep a real one waiting: each is stopped at its own limit", () => {
    addPrograms(repo, "stacks/web");
    const { seconds, web, about } = reviewed(repo);
    // Two places on a 2-core machine, but a program past 2 s gives its place up: the real one (last in
    // order) starts within seconds, and every spinning one ends at its 20 s limit, none at the budget.
    expect(seconds).toBeLessThan(30);
    expect(web).toMatchObject({ change: "added", file: "stacks/web/index.ts", line: 3 });
    expect(web.monthlyCost.after).toBeGreaterThan(0);
    for (const n of [1, 2, 3, 4, 5]) {
      expect(about(n)).toContain(
        "stack dev: not evaluated: it ran past each program's time limit (20 s) and was stopped",
      );
    }
  }, 90_000);

  it("once the review's budget is spent, the programs left are reported and marked not run, each at its file", () => {
    addPrograms(repo);
    const { seconds, diagnostics } = reviewed(repo, "--program-concurrency", "1", "--program-budget", "6");
    expect(seconds).toBeLessThan(20);
    const found = [1, 2, 3, 4, 5].map(
      (n) => diagnostics.find((d) => d.file === `stacks/spin-${n}/Pulumi.dev.yaml`) ?? { file: `spin-${n}` },
    );
    // One place: a program past 2 s gives it up, so three ran (the most one place allows) and were
    // stopped by the budget at 6 s; the other two never started.
    const reason = "the review's budget for programs (6 s) was spent";
    expect(found.map((d) => ("message" in d ? d.message : d.file)).sort()).toEqual([
      `stack dev: not evaluated (not started): ${reason}`,
      `stack dev: not evaluated (not started): ${reason}`,
      `stack dev: not evaluated (stopped): ${reason}`,
      `stack dev: not evaluated (stopped): ${reason}`,
      `stack dev: not evaluated (stopped): ${reason}`,
    ]);
    for (const d of found) expect(d).toMatchObject({ line: 1, severity: "error", notRun: { reason } });
  }, 60_000);
});
