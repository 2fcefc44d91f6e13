import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { applyFixes } from "../../../app/engine/apply-fixes.ts";
import { checkedEstimate } from "../../../app/engine/estimate.ts";
import type { Finding } from "../../../app/engine/finding.ts";
import { fix } from "../../../app/engine/fix.ts";
import { review } from "../../../app/engine/review.ts";
import { suggestionFor } from "../../../app/github/render/suggestions.ts";
import { tempRepo } from "../../helpers/git-repo.ts";
import { testPrograms } from "../../helpers/programs.ts";

const temporary: string[] = [];

afterAll(() => {
  for (const dir of temporary) rmSync(dir, { recursive: true, force: true });
});

/** A Pulumi project with a dev stack in us-east-1 (a non-production environment of its own). */
function project(
  index: string,
  stack = "config:\n  aws:region: us-east-1 # the team's home region\n",
): string {
  const dir = mkdtempSync(join(tmpdir(), "greenops-pulumi-fix-"));
  temporary.push(dir);
  const files: Record<string, string> = {
    "Pulumi.yaml": "name: shop\nruntime: nodejs\n",
    "Pulumi.dev.yaml": stack,
    "index.ts": index,
    "environments/dev/greenops.yml": "cloud: aws\nregion: us-east-1\ncurrency: USD\n",
  };
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(dir, path, ".."), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return dir;
}

const options = (dir: string) => ({
  all: dir,
  projects: { programs: testPrograms(30_000), local: { root: dir } },
});
const read = (dir: string, file: string) => readFileSync(join(dir, file), "utf8");

describe("fixes to Pulumi programs: minimal edits of literals and stack config, verified under mocks", () => {
  it("edits the literal in its own quotes, keeps it only after running the program again, and is idempotent", async () => {
    const dir = project(`import * as aws from "@pulumi/aws";

// Application logs, rotated daily
export const logs = new aws.ebs.Volume("logs", { availabilityZone: "us-east-1a", size: 100, type: 'gp2' });
`);
    const { result } = await fix(dir, options(dir));
    // A suggestion: in an estimate the volume may exist already (a review that adds it makes it safe).
    expect(result.applied.map((f) => [f.policy, f.fix?.kind, f.location.startLine])).toEqual([
      ["storage-class", "suggestion", 4],
    ]);
    expect(read(dir, "index.ts")).toBe(`import * as aws from "@pulumi/aws";

// Application logs, rotated daily
export const logs = new aws.ebs.Volume("logs", { availabilityZone: "us-east-1a", size: 100, type: 'gp3' });
`);
    // 100 GB × ($0.10 − $0.08) per GB-month (aws-ebs-prices)
    expect(result.impact.monthlyCost).toBeCloseTo(-2, 6);
    const again = await fix(dir, options(dir));
    expect(again.result.applied).toEqual([]);
  }, 120_000);

  it("edits Pulumi.<stack>.yaml when the program reads the value from the stack's config", async () => {
    const dir = project(
      `import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

const config = new pulumi.Config();
new aws.ec2.Instance("api", { ami: "ami-1", instanceType: config.require("size") });
`,
      "config:\n  aws:region: us-east-1 # the team's home region\n  shop:size: m5.xlarge # sized in 2023\n",
    );
    const { result } = await fix(dir, { ...options(dir), dryRun: true });
    expect(
      result.applied.map((f) => [f.policy, f.fix?.title, f.location.file, f.location.startLine]),
    ).toEqual([["prefer-arm", "Use m6g.xlarge", "Pulumi.dev.yaml", 3]]);
    const start = "config:\n  aws:region: us-east-1 # the team's home region\n  shop:size: ".length;
    expect(result.files).toEqual([
      {
        path: "Pulumi.dev.yaml",
        text: "config:\n  aws:region: us-east-1 # the team's home region\n  shop:size: m6g.xlarge # sized in 2023\n",
        edits: [{ file: "Pulumi.dev.yaml", start, end: start + "m5.xlarge".length, text: "m6g.xlarge" }],
      },
    ]);
    // (m5.xlarge $0.192 − m6g.xlarge $0.154) × 730 h
    expect(result.impact.monthlyCost).toBeCloseTo(-27.74, 6);
  }, 120_000);

  it("edits the program's default when no config sets the value, and the desired size of a group", async () => {
    const dir = project(`import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

const config = new pulumi.Config();
const template = new aws.ec2.LaunchTemplate("workers", { instanceType: config.get("size") ?? "m5.large" });
new aws.autoscaling.Group("workers", {
    desiredCapacity: 6,
    minSize: 1,
    maxSize: 10,
    launchTemplate: { id: template.id },
});
`);
    const { result } = await fix(dir, { ...options(dir), dryRun: true });
    expect(result.applied.map((f) => [f.policy, f.fix?.title])).toEqual([
      ["replicas-cap", "Keep 2 instances"],
    ]);
    expect(result.files.map((f) => f.text)).toEqual([expect.stringContaining("    desiredCapacity: 2,\n")]);
  }, 120_000);

  it.each([
    {
      case: "read by a dev and a prod stack: the dev fix would lower prod too, so it is made by hand",
      stacks: ["dev", "prod"],
      skipped: [
        "Keep 2 instances: its edit cannot be written here (its value is also read for another environment, ArgoCD Application, overlay or stack, which the edit would change too): make it by hand",
      ],
      workers: "6",
    },
    {
      case: "read by the dev stack alone: the fix is written there",
      stacks: ["dev"],
      skipped: [],
      workers: "2",
    },
  ])(
    "a value of Pulumi.yaml's config $case",
    async ({ stacks, skipped, workers }) => {
      const dir = project(`import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

const config = new pulumi.Config();
const template = new aws.ec2.LaunchTemplate("workers", { instanceType: "m6g.large" });
new aws.autoscaling.Group("workers", {
    desiredCapacity: config.requireNumber("workers"),
    minSize: 1,
    maxSize: 10,
    launchTemplate: { id: template.id },
});
`);
      writeFileSync(
        join(dir, "Pulumi.yaml"),
        "name: shop\nruntime: nodejs\nconfig:\n  workers: 6 # sized for the launch\n",
      );
      if (stacks.includes("prod")) {
        writeFileSync(join(dir, "Pulumi.prod.yaml"), "config:\n  aws:region: us-east-1\n");
        mkdirSync(join(dir, "environments/prod"));
        writeFileSync(
          join(dir, "environments/prod/greenops.yml"),
          "cloud: aws\nregion: us-east-1\ncurrency: USD\nproduction: true\n",
        );
      }
      const { result } = await fix(dir, options(dir));
      expect(result.skipped.map((s) => s.reason)).toEqual(skipped);
      expect(read(dir, "Pulumi.yaml")).toContain(`  workers: ${workers} # sized for the launch\n`);
    },
    120_000,
  );

  it("offers a value the program computes as a change by hand, and one it shares as a change in words", async () => {
    const dir = project(`import * as aws from "@pulumi/aws";

const family = "m5";
const shared = "m5.large";
new aws.ec2.Instance("computed", { ami: "ami-1", instanceType: \`\${family}.xlarge\` });
new aws.ec2.Instance("a", { ami: "ami-1", instanceType: shared });
new aws.ec2.Instance("b", { ami: "ami-1", instanceType: shared });
`);
    const { report, result } = await fix(dir, { ...options(dir), dryRun: true });
    const arm = report.findings.filter((f) => f.policy === "prefer-arm");
    expect(arm.map((f) => [f.resource?.id, f.message.split("; ")[1]])).toEqual([
      [
        "aws:ec2/instance:Instance::computed",
        expect.stringMatching(/: set its instance type to m6g\.xlarge$/),
      ],
      ["aws:ec2/instance:Instance::a", expect.stringMatching(/: set its instance type to m6g\.large$/)],
      ["aws:ec2/instance:Instance::b", expect.stringMatching(/: set its instance type to m6g\.large$/)],
    ]);
    // The computed value is located at its expression; its fix says why it is made by hand.
    expect(arm.map((f) => [f.location.startLine, f.location.startColumn, f.fix?.byHand])).toEqual([
      [5, 64, "computed"],
      [6, 1, undefined],
      [7, 1, undefined],
    ]);
    expect(result.skipped.map((s) => [s.finding.resource?.id, s.reason])).toEqual([
      [
        "aws:ec2/instance:Instance::computed",
        "Use m6g.xlarge: its edit cannot be written here (its value is computed when the program runs): make it by hand",
      ],
    ]);
    expect(result.files).toEqual([]);
  }, 120_000);

  it("offers the fix of a volume a change adds as a safe review suggestion on the program's line", async () => {
    const repo = tempRepo();
    try {
      repo.write("Pulumi.yaml", "name: shop\nruntime: nodejs\n");
      repo.write("Pulumi.dev.yaml", "config:\n  aws:region: us-east-1\n");
      repo.write("index.ts", 'import * as aws from "@pulumi/aws";\n');
      repo.commit("an empty program");
      repo.write(
        "index.ts",
        'import * as aws from "@pulumi/aws";\nnew aws.ebs.Volume("data", { availabilityZone: "us-east-1a", size: 200, type: "gp2" });\n',
      );
      const report = await review(repo.root, {
        projects: { programs: testPrograms(30_000), local: { root: repo.root } },
      });
      const [finding] = report.findings.filter((f) => f.policy === "storage-class");
      expect(finding?.fix?.kind).toBe("safe");
      const suggestion =
        finding && suggestionFor(finding, read(repo.root, "index.ts"), [{ start: 1, end: 2 }]);
      expect(suggestion?.comment).toMatchObject({ path: "index.ts", line: 2, side: "RIGHT" });
      expect(suggestion?.comment.body).toContain(
        '```suggestion\nnew aws.ebs.Volume("data", { availabilityZone: "us-east-1a", size: 200, type: "gp3" });\n```',
      );
    } finally {
      repo.dispose();
    }
  }, 120_000);

  it("drops a fix after which the program fails", async () => {
    const dir = project(`import * as aws from "@pulumi/aws";
new aws.ebs.Volume("logs", { availabilityZone: "us-east-1a", size: 100, type: "gp2" });
`);
    const checked = await checkedEstimate(dir, {
      projects: { programs: testPrograms(30_000), local: { root: dir } },
    });
    const [finding] = checked.report.findings.filter((f) => f.policy === "storage-class") as [Finding];
    const text = checked.text("index.ts") ?? "";
    const start = text.indexOf("new aws.ebs.Volume");
    const broken: Finding = {
      ...finding,
      fix: {
        title: "Break it",
        kind: "safe",
        edits: [{ file: "index.ts", start, end: start, text: 'throw new Error("broken"); ' }],
      },
    };
    const result = await applyFixes([broken], checked);
    expect(result.applied).toEqual([]);
    expect(result.skipped.map((s) => s.reason)).toEqual([
      expect.stringMatching(/^the fixed file would not be valid: stack dev: the program failed: broken/),
    ]);
  }, 120_000);
});
