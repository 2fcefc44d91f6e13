import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { Ajv } from "ajv";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { aiRepo, CONFIG } from "../ai/fixture.ts";
import { answering, GOOD_SUMMARY, operatorEnv } from "../ai/helpers.ts";
import { FakeOpenAI } from "../ai/openai-server.ts";
import { PROJECT } from "../helpers/cli.ts";

const validateReport = new Ajv({ allErrors: true, strict: true }).compile(
  JSON.parse(readFileSync(join(PROJECT, "docs/report-schema.json"), "utf8")),
);
// replicas-cap made an error: the review blocks (exit status 1) whatever the AI says.
const repo = aiRepo(`${CONFIG}policies:\n  replicas-cap: error\n`);
let server: FakeOpenAI;

beforeAll(async () => {
  server = await new FakeOpenAI().start();
  server.answer = answering(GOOD_SUMMARY);
});
afterAll(async () => {
  repo.dispose();
  await server.close();
});

/**
 * The CLI as a user runs it, with the operator's environment (the test's own AI variables removed);
 * asynchronous, so the test server answers from this process while the CLI runs.
 */
async function run(env: NodeJS.ProcessEnv, ...args: string[]) {
  const base = Object.fromEntries(
    Object.entries(process.env).filter(([k]) => !/^(OPENAI_|GREENOPS_AI_)/.test(k)),
  );
  const result = await new Promise<{ status: number | null; stdout: string }>((resolve) => {
    const child = execFile(
      process.execPath,
      [join(PROJECT, "bin/greenops.js"), ...args, "--format", "json"],
      { cwd: repo.root, encoding: "utf8", env: { ...base, ...env, NO_COLOR: "1" } },
      (_error, stdout) => resolve({ status: child.exitCode, stdout }),
    );
  });
  const report = JSON.parse(result.stdout);
  expect(validateReport(report), JSON.stringify(validateReport.errors)).toBe(true);
  return { status: result.status, report };
}

describe("greenops review --ai", () => {
  it("adds the ai section; the findings and the exit status stay those of the run without AI", async () => {
    const [plain, advised, down] = await Promise.all([
      run({}, "review"),
      run(operatorEnv(server), "review", "--ai"),
      run(operatorEnv(server, { OPENAI_BASE_URL: "http://127.0.0.1:9/v1" }), "review", "--ai"),
    ]);
    expect(plain.report.ai).toBeUndefined();
    expect(advised.report.ai.summary.text).toBe(GOOD_SUMMARY);
    expect(advised.report.ai.proposals).toHaveLength(1);
    expect(down.report.ai.skipped).toMatch(/could not be reached/);
    expect(plain.status).toBe(1);
    for (const other of [advised, down]) {
      expect(other.status).toBe(plain.status);
      expect(other.report.findings).toEqual(plain.report.findings);
    }
    expect(server.errors).toEqual([]);
  });

  it("says why when --ai is given but no model is configured", async () => {
    expect((await run({}, "estimate", "--ai")).report.ai.skipped).toMatch(/^no model is configured/);
  });
});
