import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { greenops } from "../helpers/cli.ts";
import { type TempRepo, tempRepo } from "../helpers/git-repo.ts";

/**
 * A program that ran on one side of a review only (the other stopped at its time limit, or by the
 * review's budget): its resources were unread on that side, not absent, so the review compares them on
 * neither. Before, they were "added" (or "removed": a saving nobody made) at the whole program's cost.
 */
const program = (instanceType: string, spinsIn?: string) => `import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

${spinsIn ? `if (pulumi.getStack() === "${spinsIn}") for (;;);\n` : ""}new aws.ec2.Instance("web", { ami: "ami-0123456789abcdef0", instanceType: "${instanceType}" });
`;

type Row = { id: string; environment: string; change: string };
type Diagnostic = {
  file: string;
  message: string;
  notRun?: { reason: string; root: string; environment?: string };
};

describe("a program not run on one side of a review", () => {
  let repo: TempRepo;

  beforeEach(() => {
    repo = tempRepo();
    for (const environment of ["dev", "prod"]) {
      repo.write(
        `environments/${environment}/greenops.yml`,
        "cloud: aws\nregion: us-east-1\ncurrency: USD\n",
      );
      repo.write(`stacks/web/Pulumi.${environment}.yaml`, "config:\n  aws:region: us-east-1\n");
    }
    repo.write("stacks/web/Pulumi.yaml", "name: web\nruntime: nodejs\n");
  });

  afterEach(() => repo.dispose());

  function review() {
    const run = greenops(repo.root, "review", "--format", "json", "--program-timeout", "10");
    const report = JSON.parse(run.stdout);
    expect(run.status, JSON.stringify(report.findings)).toBe(0);
    const rows = (report.resources as Row[]).map((r) => `${r.environment} ${r.change}`);
    return { report, rows, diagnostics: report.diagnostics as Diagnostic[] };
  }

  it.each([
    ["the base's stack spun (the change fixes it)", "dev", undefined, "on the base ("],
    ["the head's stack spins (the change breaks it)", undefined, "dev", "stack dev: not evaluated"],
  ])(
    "%s: no row, no delta, and the stack said not run",
    (_, baseSpins, headSpins, said) => {
      repo.write("stacks/web/index.ts", program("m5.xlarge", baseSpins));
      repo.commit("the program");
      repo.write("stacks/web/index.ts", program("m5.xlarge", headSpins));
      const { report, rows, diagnostics } = review();
      // prod ran on both sides and did not change (shown: the change touches its program); dev's
      // instance is neither added nor removed
      expect(rows).toEqual(["prod unchanged"]);
      expect(report.summary.monthlyCost.delta).toBe(0);
      const stack = diagnostics.find((d) => d.file === "stacks/web/Pulumi.dev.yaml");
      expect(stack?.message).toContain(said);
      expect(stack?.notRun).toMatchObject({ root: "stacks/web/Pulumi.yaml", environment: "dev" });
    },
    60_000,
  );

  it("only that stack is left out: another stack's change is compared", () => {
    repo.write("stacks/web/index.ts", program("m5.xlarge", "dev"));
    repo.commit("the program");
    repo.write("stacks/web/index.ts", program("m5.2xlarge"));
    const { rows, report } = review();
    expect(rows).toEqual(["prod changed"]);
    expect(report.summary.monthlyCost.delta).toBeGreaterThan(0);
  }, 60_000);
});
