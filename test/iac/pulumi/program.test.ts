import { spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { estimate } from "../../../app/engine/estimate.ts";
import { reviewSnapshots } from "../../../app/engine/review.ts";
import type { Report } from "../../../app/engine/types.ts";
import type { ProgramRunner } from "../../../app/iac/sandbox/programs.ts";
import { changedFiles } from "../../../app/source/changes.ts";
import { gitRevision } from "../../../app/source/snapshot.ts";
import { tempRepo } from "../../helpers/git-repo.ts";
import { testPrograms } from "../../helpers/programs.ts";

const PROJECT = new URL("../../../", import.meta.url).pathname;
const temporary: string[] = [];

afterAll(() => {
  for (const dir of temporary) rmSync(dir, { recursive: true, force: true });
});

/** A Pulumi project in a temporary directory: Pulumi.yaml, a dev stack in us-east-1, and index.ts. */
function program(index: string, extra: Record<string, string> = {}): string {
  const dir = mkdtempSync(join(tmpdir(), "greenops-pulumi-test-"));
  temporary.push(dir);
  const files: Record<string, string> = {
    "Pulumi.yaml": "name: probe\nruntime: nodejs\n",
    "Pulumi.dev.yaml": "config:\n  aws:region: us-east-1\n",
    "index.ts": index,
    ...extra,
  };
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(dir, path, ".."), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return dir;
}

const rows = (report: Report) =>
  report.rows.map((row) => {
    const { resource, estimate: e } = row.after ?? row.before ?? ({} as never);
    return [
      resource.id,
      resource.environment,
      `${resource.source.span.file}:${resource.source.span.startLine}`,
      e.monthlyCost,
    ];
  });

describe("Pulumi programs under mocks, in a sandboxed child process", () => {
  it("evaluates each stack with its config: environment from the stack's name, lines from the source", async () => {
    const report = await estimate(join(PROJECT, "test/fixtures/pulumi/program"), {
      projects: { programs: testPrograms() },
    });
    const shown = rows(report).filter(
      ([id]) => !String(id).includes("LaunchTemplate") && !String(id).startsWith("Service"),
    );
    expect(shown).toEqual(
      expect.arrayContaining([
        [
          "aws:ec2/instance:Instance::web",
          "dev",
          "test/fixtures/pulumi/program/index.ts:12",
          expect.closeTo(64.736, 3),
        ],
        [
          "aws:ec2/instance:Instance::web",
          "prod",
          "test/fixtures/pulumi/program/index.ts:12",
          expect.closeTo(144.16, 3),
        ],
        [
          "aws:autoscaling/group:Group::workers",
          "dev",
          "test/fixtures/pulumi/program/index.ts:20",
          expect.closeTo(140.16, 3),
        ],
        ["Deployment/shop/api", "prod", "test/fixtures/pulumi/program/index.ts:36", expect.any(Number)],
      ]),
    );
    const deployments = report.rows.filter((r) => r.after?.resource.kind === "Deployment");
    expect(
      deployments
        .map((r) => r.after?.resource.demand.type === "workload" && r.after.resource.demand.replicas.count)
        .sort(),
    ).toEqual([2, 6]);
    expect(JSON.stringify(report.rows)).not.toContain("AAABAKqPk7lZx0gEY8Z3Zp9xKPYh");
    // The example dev environment's nodes (t3.large in eu-west-1) have no price in the bundled table.
    expect(report.diagnostics.filter((d) => d.severity !== "notice")).toEqual([
      expect.objectContaining({ file: "environments/dev/greenops.yml", severity: "warning" }),
    ]);
  });

  it("keeps what registered before the program threw, and points at the line that threw", async () => {
    const dir = program(`import * as aws from "@pulumi/aws";
new aws.ec2.Eip("ip", {});
throw new Error("boom: the program is broken");
`);
    const report = await estimate(dir, { projects: { programs: testPrograms() } });
    expect(rows(report)).toEqual([["aws:ec2/eip:Eip::ip", "", "index.ts:2", 3.65]]);
    expect(report.diagnostics).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          file: "index.ts",
          line: 3,
          severity: "error",
          message:
            "stack dev: the program failed: boom: the program is broken; 1 resource registered before is estimated",
        }),
      ]),
    );
  });

  it("stops a program that never ends, and estimates the rest of the repository", async () => {
    const dir = program("while (true) {}\n", {
      "k8s/web.yaml":
        "apiVersion: apps/v1\nkind: Deployment\nmetadata: { name: web }\nspec: { replicas: 1 }\n",
    });
    const started = performance.now();
    const report = await estimate(dir, { projects: { programs: testPrograms(4000) } });
    // Marked as not run, as a program the budget stopped: its resources are missing.
    const stopped = "it ran past each program's time limit (4 s) and was stopped";
    expect(performance.now() - started).toBeLessThan(8000);
    expect(rows(report).map(([id]) => id)).toEqual(["Deployment/web"]);
    expect(report.diagnostics).toEqual(
      expect.arrayContaining([
        {
          file: "Pulumi.dev.yaml",
          line: 1,
          severity: "error",
          message: `stack dev: not evaluated: ${stopped}`,
          notRun: { reason: stopped, root: "Pulumi.yaml", environment: "" },
        },
      ]),
    );
  });

  it("gives the program no network, no secrets from GreenOps' environment and no files outside its project", async () => {
    process.env.GREENOPS_TEST_TOKEN = "ghs_not_for_programs";
    const dir = program(`import * as aws from "@pulumi/aws";
import { readFileSync } from "node:fs";
let hosts = "readable";
try { readFileSync("/etc/hosts"); } catch { hosts = "blocked"; }
new aws.ec2.Eip(\`probe-\${process.env.GREENOPS_TEST_TOKEN ?? "absent"}-\${hosts}\`, {});
export const page = fetch("https://example.com/");
`);
    try {
      const report = await estimate(dir, { projects: { programs: testPrograms() } });
      // The probe names itself after what it could see: no token, and /etc/hosts unreadable.
      expect(report.rows.map((r) => r.after?.resource.id)).toEqual(["aws:ec2/eip:Eip::probe-absent-blocked"]);
      expect(report.diagnostics).toEqual(
        expect.arrayContaining([
          expect.objectContaining({
            severity: "error",
            message: expect.stringContaining("network access is disabled"),
          }),
        ]),
      );
    } finally {
      delete process.env.GREENOPS_TEST_TOKEN;
    }
  });

  // Node's permission model leaves process.kill open: a program could stop GreenOps, another review's
  // program or every process of the user, or open GreenOps' inspector (SIGUSR1). Signal 0 only asks.
  it.each([
    ["GreenOps' own process", "process.kill(process.ppid, 0)"],
    ["another process of the same user", 'process.kill(OTHER, "SIGTERM")'],
    ["every process of the user at once", "process.kill(-1, 0)"],
    ["another process, through process._kill", "(process as any)._kill(OTHER, 15)"],
    ["another process's inspector (SIGUSR1)", "(process as any)._debugProcess(OTHER)"],
  ])("lets the program signal no other process: %s", async (_, call) => {
    const other = spawn("sleep", ["60"], { stdio: "ignore" });
    try {
      const dir = program(`import * as aws from "@pulumi/aws";
let signalled = "signalled";
try { ${call.replace("OTHER", String(other.pid))}; } catch { signalled = "blocked"; }
new aws.ec2.Eip(\`probe-\${signalled}\`, {});
`);
      const report = await estimate(dir, { projects: { programs: testPrograms() } });
      expect(report.rows.map((r) => r.after?.resource.id)).toEqual(["aws:ec2/eip:Eip::probe-blocked"]);
      expect(other.exitCode === null && other.signalCode === null).toBe(true);
    } finally {
      other.kill("SIGKILL");
    }
  });

  // Node's permission model follows links wherever they lead: a link the checkout's node_modules holds
  // would let the program read what it points to, and name a resource after it.
  it.each<[string, string, (dir: string, outside: string) => void, string]>([
    [
      "node_modules itself links out of the repository",
      "node_modules/secret.txt",
      (dir, outside) => symlinkSync(outside, join(dir, "node_modules")),
      "node_modules leads out of the repository (through a symbolic link)",
    ],
    [
      "a package links out of the repository",
      "node_modules/acme/secret.txt",
      (dir, outside) => symlinkSync(outside, join(dir, "node_modules/acme")),
      "node_modules/acme is a symbolic link to OUTSIDE, out of the repository",
    ],
    [
      "a file deep in a package links out",
      "node_modules/@acme/sizes/lib/data.txt",
      (dir, outside) =>
        symlinkSync(join(outside, "secret.txt"), join(dir, "node_modules/@acme/sizes/lib/data.txt")),
      "node_modules/@acme/sizes/lib/data.txt is a symbolic link to OUTSIDE/secret.txt, out of the repository",
    ],
    [
      "a package links to the repository's root (its .git holds the checkout's token)",
      "node_modules/acme/.git/config",
      (dir) => symlinkSync("..", join(dir, "node_modules/acme")),
      "node_modules/acme is a symbolic link to .., to the repository's root",
    ],
    [
      "a package links into .git",
      "node_modules/acme/config",
      (dir) => symlinkSync("../.git", join(dir, "node_modules/acme")),
      "node_modules/acme is a symbolic link to ../.git, into the repository's .git",
    ],
  ])("reads nothing outside the program's project when %s", async (_, path, plant, refusal) => {
    const outside = mkdtempSync(join(tmpdir(), "greenops-operator-files-"));
    temporary.push(outside);
    writeFileSync(join(outside, "secret.txt"), "operator-secret");
    const dir = program(
      `import * as aws from "@pulumi/aws";
import { readFileSync } from "node:fs";
const read = (file: string) => { try { return readFileSync(file, "utf8").trim(); } catch { return "blocked"; } };
new aws.ec2.Eip(\`probe-\${read(${JSON.stringify(path)})}-\${read(${JSON.stringify(join(outside, "secret.txt"))})}\`, {});
`,
      {
        ".git/config": '[http "https://github.com/"]\n\textraheader = AUTHORIZATION: basic operator-secret\n',
        "node_modules/@acme/sizes/package.json": '{ "name": "@acme/sizes" }',
      },
    );
    mkdirSync(join(dir, "node_modules/@acme/sizes/lib"), { recursive: true });
    if (path.startsWith("node_modules/secret")) rmSync(join(dir, "node_modules"), { recursive: true });
    plant(dir, outside);
    const report = await estimate(dir, { projects: { programs: testPrograms() } });
    expect(report.rows.map((r) => r.after?.resource.id)).toEqual(["aws:ec2/eip:Eip::probe-blocked-blocked"]);
    expect(report.diagnostics).toContainEqual({
      file: "Pulumi.yaml",
      line: 1,
      severity: "warning",
      message: `node_modules is not used: ${refusal.replace("OUTSIDE", outside)}; a program may read only its project and its packages`,
    });
  });

  it("resolves packages from the checkout's node_modules first, then from those GreenOps ships", async () => {
    const dir = program(
      `import * as aws from "@pulumi/aws";
import * as tls from "@pulumi/tls";
import { size } from "acme-sizes";
new aws.ec2.Instance(\`app-\${(tls as { marker?: string }).marker ?? "shipped"}\`, { ami: "ami-1", instanceType: size });
`,
      {
        "node_modules/acme-sizes/package.json": '{ "name": "acme-sizes", "main": "index.js" }',
        "node_modules/acme-sizes/index.js": 'exports.size = "t3.micro";',
        "node_modules/@pulumi/tls/package.json": '{ "name": "@pulumi/tls", "main": "index.js" }',
        "node_modules/@pulumi/tls/index.js": 'exports.marker = "installed";',
      },
    );
    // The command line in a checkout: its node_modules, found by the entry point itself.
    const checkout = await estimate(dir, { projects: { programs: testPrograms() } });
    expect(rows(checkout)).toEqual([["aws:ec2/instance:Instance::app-installed", "", "index.ts:4", 8.392]]);
    // The App has no checkout: only the shipped packages, and a clear word about the missing one.
    const app = await estimate(dir, { projects: { programs: testPrograms(), local: undefined } });
    expect(rows(app)).toEqual([]);
    expect(app.diagnostics).toContainEqual(
      expect.objectContaining({
        severity: "error",
        message: expect.stringMatching(
          /^stack dev: the program needs `acme-sizes`: install the project's dependencies \(npm ci\) and run GreenOps in that checkout, or use the Pulumi packages GreenOps ships \(@pulumi\/pulumi, .*\); 0 resources registered before are estimated$/,
        ),
      }),
    );
  });

  it("takes the region of a stack that names none from the shell in a checkout, and says so", async () => {
    const dir = program('import * as aws from "@pulumi/aws";\nnew aws.ec2.Eip("ip", {});\n', {
      "Pulumi.dev.yaml": "config: {}\n",
    });
    const report = await estimate(dir, {
      projects: {
        programs: testPrograms(),
        local: { root: dir, awsRegion: { region: "us-east-1", variable: "AWS_REGION" } },
      },
    });
    const [row] = report.rows;
    const demand = row?.after?.resource.demand;
    expect(demand && "location" in demand ? demand.location : undefined).toEqual({
      cloud: "aws",
      region: "us-east-1",
      regionBasis: "process-env",
    });
    expect(row?.after?.resource.notes).toContain("region us-east-1 from AWS_REGION of the shell");
    expect(row?.after?.estimate.monthlyCost).toBeCloseTo(3.65, 6);
  });

  it("does not run the program when the caller refuses, and says why", async () => {
    const dir = program('throw new Error("must not run");\n');
    const report = await estimate(dir, {
      projects: { runPrograms: false, refusal: "the pull request comes from a fork" },
    });
    expect(report.rows).toEqual([]);
    expect(report.diagnostics).toEqual([
      {
        file: "Pulumi.yaml",
        line: 1,
        severity: "notice",
        message: "the Pulumi program is not evaluated: the pull request comes from a fork",
        notRun: { reason: "the pull request comes from a fork", root: "Pulumi.yaml" },
      },
    ]);
  });

  it("refuses a program that imports a file outside its project", async () => {
    const dir = program('import "../../../etc/passwd";\n');
    const report = await estimate(dir, { projects: { programs: testPrograms() } });
    expect(report.diagnostics).toEqual([
      expect.objectContaining({
        severity: "error",
        message: expect.stringMatching(/^the program could not be read: /),
      }),
    ]);
  });

  it("runs no program in a review of snapshots (the App) unless the caller allows it", async () => {
    const repo = tempRepo();
    try {
      repo.write("Pulumi.yaml", "name: probe\nruntime: nodejs\n");
      repo.write("Pulumi.dev.yaml", "config:\n  aws:region: us-east-1\n");
      repo.write("index.ts", "export {};\n");
      const base = repo.commit("empty program");
      repo.write(
        "index.ts",
        'import * as aws from "@pulumi/aws";\nnew aws.ec2.Instance("web", { ami: "ami-1", instanceType: "t3.micro" });\n',
      );
      const head = repo.commit("an instance");
      const review = (projects?: { runPrograms: boolean; programs: ProgramRunner }) =>
        reviewSnapshots({
          base: { snapshot: gitRevision(repo.root, base), info: { ref: base, commit: base, reason: "test" } },
          head: { snapshot: gitRevision(repo.root, head), info: { ref: head, commit: head } },
          files: changedFiles(repo.root, base, head),
          searched: "base",
          ...(projects ? { projects } : {}),
        });
      const refused = await review();
      expect(refused.rows).toEqual([]);
      expect(refused.diagnostics).toContainEqual(
        expect.objectContaining({
          file: "Pulumi.yaml",
          message:
            "the Pulumi program is not evaluated: this review does not run repository programs (projects.runPrograms is not set)",
        }),
      );
      const allowed = await review({ runPrograms: true, programs: testPrograms() });
      expect(allowed.rows.map((row) => [row.change, row.after?.resource.id])).toEqual([
        ["added", "aws:ec2/instance:Instance::web"],
      ]);
    } finally {
      repo.dispose();
    }
  });
});

/** What a program tries beyond its project; each must throw in the sandbox. */
const ATTEMPTS: [string, string][] = [
  ["start a process", 'require("node:child_process").execFileSync("id")'],
  ["start a worker", 'new (require("node:worker_threads").Worker)("1", { eval: true })'],
  ["write outside its project", 'require("node:fs").writeFileSync("/tmp/greenops-program-escape", "x")'],
  ["write in its own project", 'require("node:fs").writeFileSync("escape.txt", "x")'],
  ["make a link out of its project", 'require("node:fs").symlinkSync("/etc/passwd", "passwd")'],
  ["read a file outside its project", 'require("node:fs").readFileSync("/etc/passwd")'],
  ["list the root folder", 'require("node:fs").readdirSync("/")'],
  ["open the inspector", 'require("node:inspector").open(0)'],
  ["start WASI", 'new (require("node:wasi").WASI)({ version: "preview1" })'],
  ["load a native addon", 'process.dlopen({ exports: {} } as never, "/nonexistent.node")'],
  ["reach Node's bindings", '(process as unknown as { binding(n: string): unknown }).binding("fs")'],
  ["open a UDP socket", 'require("node:dgram").createSocket("udp4")'],
  ["open an HTTP/2 session", 'require("node:http2").connect("http://127.0.0.1:9")'],
];

describe("what the sandbox refuses a program", () => {
  let outcome: Map<string, string>;
  beforeAll(async () => {
    const dir = program(`import * as aws from "@pulumi/aws";
const outcome: string[] = [];
${ATTEMPTS.map(([name, code]) => `try { ${code}; outcome.push(${JSON.stringify(`${name}=done`)}); } catch { outcome.push(${JSON.stringify(`${name}=refused`)}); }`).join("\n")}
new aws.ec2.Eip(outcome.join(";"), {});
`);
    const report = await estimate(dir, { projects: { programs: testPrograms() } });
    const name = report.rows[0]?.after?.resource.name ?? "";
    outcome = new Map(name.split(";").map((entry) => entry.split("=") as [string, string]));
  });

  it.each(ATTEMPTS.map(([name]) => name))("refuses to %s", (name) => {
    expect(outcome.get(name)).toBe("refused");
  });
});
