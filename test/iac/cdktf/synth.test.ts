import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { estimate } from "../../../app/engine/estimate.ts";
import { checkTitle, conclusion } from "../../../app/github/render/check-output.ts";
import { unevaluatedPrograms } from "../../../app/report/unevaluated.ts";
import { testPrograms } from "../../helpers/programs.ts";

const PROJECT = new URL("../../../", import.meta.url).pathname;
const APP = join(PROJECT, "test/fixtures/cdktf/app");
const temporary: string[] = [];

afterAll(() => {
  for (const dir of temporary) rmSync(dir, { recursive: true, force: true });
});

/** The fixture app in a temporary directory, its cdktf.json opting in to GreenOps' synth. */
function app(main?: string): string {
  const dir = mkdtempSync(join(tmpdir(), "greenops-cdktf-test-"));
  temporary.push(dir);
  cpSync(APP, dir, { recursive: true });
  const config = JSON.parse(readFileSync(join(dir, "cdktf.json"), "utf8"));
  writeFileSync(join(dir, "cdktf.json"), JSON.stringify({ ...config, context: { "greenops:synth": true } }));
  if (main !== undefined) writeFileSync(join(dir, "main.ts"), main);
  return dir;
}

describe("CDKTF apps without committed output", () => {
  it("are synthesized in the sandbox when cdktf.json opts in, as cdktf synth would", async () => {
    const report = await estimate(app(), { projects: { programs: testPrograms() } });
    const committed = await estimate(join(PROJECT, "test/fixtures/cdktf/synthesized"));
    const figures = (r: typeof report) =>
      r.rows.map((row) => [
        row.after?.resource.id,
        row.after?.resource.name,
        row.after?.estimate.monthlyCost,
      ]);
    expect(figures(report)).toEqual(figures(committed));
    expect(report.rows[0]?.after?.resource.source.span.file).toBe("cdktf.out/stacks/shop/cdk.tf.json");
    expect(report.rows[0]?.after?.resource.notes).toContain(
      "synthesized by GreenOps from the CDKTF app (not committed)",
    );
  });

  it("are not run without the repository's consent, and the report says how to give it", async () => {
    const report = await estimate(APP);
    expect(report.rows).toEqual([]);
    expect(report.diagnostics).toEqual([
      expect.objectContaining({
        file: "test/fixtures/cdktf/app/cdktf.json",
        severity: "notice",
        message: expect.stringContaining('set "context": { "greenops:synth": true } in cdktf.json'),
      }),
    ]);
  });

  it("report an app that fails to synthesize, and estimate the rest", async () => {
    const dir = app('import { App } from "cdktf";\nnew App();\nthrow new Error("no stacks today");\n');
    writeFileSync(
      join(dir, "plain.yaml"),
      "apiVersion: v1\nkind: Service\nmetadata: { name: web }\nspec: { type: LoadBalancer }\n",
    );
    const report = await estimate(dir, { projects: { programs: testPrograms() } });
    expect(report.rows.map((r) => r.after?.resource.id)).toEqual(["Service/web"]);
    expect(report.diagnostics).toEqual([
      expect.objectContaining({
        file: "cdktf.json",
        severity: "error",
        message: "the CDKTF app failed to synthesize: no stacks today; its resources are not estimated",
      }),
    ]);
  });

  const budget = "the review's budget for programs (1 s) was spent";
  const limit = "it ran past each program's time limit (1 s) and was stopped";
  it.each([
    ["the review's budget", 8000, 1000, `the CDKTF app is not synthesized (stopped): ${budget}`, budget],
    ["its own time limit", 1000, 60_000, `the CDKTF app is not synthesized: ${limit}`, limit],
  ])(
    "mark an app stopped by %s as not run, as the check counts it",
    async (_, timeout, total, message, reason) => {
      const dir = app('import { App } from "cdktf";\nnew App();\nfor (;;) {}\n');
      const report = await estimate(dir, { projects: { programs: testPrograms(timeout, total) } });
      expect(report.diagnostics).toEqual([
        {
          file: "cdktf.json",
          line: 1,
          severity: "error",
          message,
          notRun: { reason, root: "cdktf.json" },
        },
      ]);
      const unevaluated = unevaluatedPrograms(report);
      expect(unevaluated).toEqual({ files: ["cdktf.json"], reasons: [{ reason, files: ["cdktf.json"] }] });
      expect(checkTitle(report, unevaluated)).toBe("1 program not evaluated · —/mo · —CO2e/mo");
      expect(conclusion(report, unevaluated)).toBe("neutral");
    },
  );

  it("never read a stack the app says it wrote outside its output folder", async () => {
    const secret = mkdtempSync(join(tmpdir(), "greenops-secret-"));
    temporary.push(secret);
    writeFileSync(
      join(secret, "cdk.tf.json"),
      '{"resource":{"aws_instance":{"stolen":{"instance_type":"m5.24xlarge"}}}}',
    );
    const dir = app(`import { writeFileSync } from "node:fs";
const out = process.env.CDKTF_OUTDIR ?? "";
const path = "../".repeat(out.split("/").length) + ${JSON.stringify(join(secret, "cdk.tf.json").slice(1))};
writeFileSync(out + "/manifest.json", JSON.stringify({ stacks: { shop: { synthesizedStackPath: path } } }));
`);
    const report = await estimate(dir, { projects: { programs: testPrograms() } });
    expect(report.rows).toEqual([]);
    expect(report.diagnostics).toEqual([
      expect.objectContaining({
        file: "cdktf.json",
        severity: "error",
        message: expect.stringMatching(
          /^the CDKTF app's stack shop was written to (\.\.\/)+tmp\/greenops-secret-.*, which GreenOps does not read/,
        ),
      }),
    ]);
  });

  it("say which package an app needs that the sandbox does not provide", async () => {
    const dir = app(
      'import { AwsProvider } from "@cdktf/provider-aws/lib/provider";\nconsole.log(AwsProvider);\n',
    );
    const report = await estimate(dir, { projects: { programs: testPrograms() } });
    expect(report.diagnostics[0]?.message).toMatch(
      /^the CDKTF app failed to synthesize: Cannot find module '@cdktf\/provider-aws/,
    );
  });
});
