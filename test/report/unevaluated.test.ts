import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { describe, expect, it } from "vitest";
import { estimate } from "../../app/engine/estimate.ts";
import type { Report } from "../../app/engine/types.ts";
import {
  unevaluatedCount,
  unevaluatedNotice,
  unevaluatedPrograms,
  unevaluatedWhere,
} from "../../app/report/unevaluated.ts";
import { pulumiProgram } from "../github/fixture.ts";

describe("the programs a check counts as not evaluated", () => {
  it("are those the engine marked as not run, each at its root, whatever the messages say", async () => {
    const dir = mkdtempSync(join(tmpdir(), "greenops-not-run-"));
    try {
      const files = {
        ...pulumiProgram("t3.large"),
        "cdk/cdktf.json": JSON.stringify({ app: "npx tsx main.ts", context: { "greenops:synth": true } }),
        "cdk/main.ts": 'import { App } from "cdktf";\nnew App().synth();\n',
      };
      for (const [path, text] of Object.entries(files)) {
        mkdirSync(join(dir, dirname(path)), { recursive: true });
        writeFileSync(join(dir, path), text);
      }
      const refusal = "this pull request comes from a fork";
      const report = await estimate(dir, { projects: { runPrograms: false, refusal } });
      const roots = ["cdk/cdktf.json", "infra/Pulumi.yaml"];
      expect(unevaluatedPrograms(report)).toEqual({
        files: roots,
        reasons: [{ reason: refusal, files: roots }],
      });
      // The same words without the engine's mark count for nothing.
      const unmarked = report.diagnostics.map(({ file, line, severity, message }) => ({
        file,
        line,
        severity,
        message,
      }));
      expect(unmarked.filter((d) => d.message.endsWith(`: ${refusal}`))).toHaveLength(2);
      expect(unevaluatedPrograms({ ...report, diagnostics: unmarked })).toBeUndefined();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("the notice above a report whose programs were not run", () => {
  const budget = "the review's budget for programs (6 s) was spent";
  const limit = "it ran past each program's time limit (20 s) and was stopped";

  it.each([
    [
      "one reason",
      [{ reason: budget, files: ["a/Pulumi.dev.yaml", "b/Pulumi.dev.yaml"] }],
      `Not evaluated: the programs of \`a/Pulumi.dev.yaml\`, \`b/Pulumi.dev.yaml\`, since ${budget}. Their resources are missing from these figures.`,
      "2 programs not evaluated",
    ],
    [
      "one program",
      [{ reason: limit, files: ["infra/Pulumi.yaml"] }],
      `Not evaluated: the program of \`infra/Pulumi.yaml\`, since ${limit}. Its resources are missing from these figures.`,
      "1 program not evaluated",
    ],
    [
      "a reason for each program",
      [
        { reason: limit, files: ["a/Pulumi.dev.yaml"] },
        { reason: budget, files: ["b/Pulumi.dev.yaml"] },
      ],
      `Not evaluated: the program of \`a/Pulumi.dev.yaml\`, since ${limit}; the program of \`b/Pulumi.dev.yaml\`, since ${budget}. Their resources are missing from these figures.`,
      "2 programs not evaluated",
    ],
  ])("%s", (_, reasons, notice, count) => {
    const files = [...new Set(reasons.flatMap((r) => r.files))];
    expect(unevaluatedNotice({ files, reasons })).toBe(notice);
    expect(unevaluatedCount({ files, reasons })).toBe(count);
  });

  it("leads no title when every program ran", () => {
    expect(unevaluatedCount(undefined)).toBe("");
  });

  it("groups the programs marked not run by their reason", () => {
    const marked = (file: string, reason: string) => ({
      file,
      line: 1,
      severity: "error" as const,
      message: `stack dev: not evaluated: ${reason}`,
      notRun: { reason },
    });
    const diagnostics = [
      marked("a/Pulumi.dev.yaml", limit),
      marked("b/Pulumi.dev.yaml", budget),
      marked("c/Pulumi.dev.yaml", limit),
    ];
    expect(unevaluatedPrograms({ diagnostics } as unknown as Report)).toEqual({
      files: ["a/Pulumi.dev.yaml", "c/Pulumi.dev.yaml", "b/Pulumi.dev.yaml"],
      reasons: [
        { reason: limit, files: ["a/Pulumi.dev.yaml", "c/Pulumi.dev.yaml"] },
        { reason: budget, files: ["b/Pulumi.dev.yaml"] },
      ],
    });
  });
});

describe("the programs not evaluated that a report is about", () => {
  const unevaluated = {
    files: ["prod/infra/Pulumi.yaml", "tools/Pulumi.yaml", "prod/cdk/cdktf.json"],
    reasons: [
      { reason: "refused", files: ["prod/infra/Pulumi.yaml", "tools/Pulumi.yaml"] },
      { reason: "the budget was spent", files: ["prod/cdk/cdktf.json"] },
    ],
  };

  it.each([
    ["every one", () => true, unevaluated],
    [
      "some, each reason keeping its own",
      (file: string) => file.startsWith("prod/"),
      {
        files: ["prod/infra/Pulumi.yaml", "prod/cdk/cdktf.json"],
        reasons: [
          { reason: "refused", files: ["prod/infra/Pulumi.yaml"] },
          { reason: "the budget was spent", files: ["prod/cdk/cdktf.json"] },
        ],
      },
    ],
    [
      "some, a reason left with none dropped",
      (file: string) => file.startsWith("tools/"),
      { files: ["tools/Pulumi.yaml"], reasons: [{ reason: "refused", files: ["tools/Pulumi.yaml"] }] },
    ],
    ["none: nothing to say", () => false, undefined],
  ])("keeps %s", (_, keep, kept) => {
    expect(unevaluatedWhere(unevaluated, keep)).toEqual(kept);
  });
});
