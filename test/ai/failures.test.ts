import { createServer } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { advise } from "../../app/ai/advise.ts";
import { jsonReportText } from "../../app/report/json-report.ts";
import { markdownReport } from "../../app/report/markdown-report.ts";
import {
  advised,
  answering,
  GOOD_SUMMARY,
  isProposalRequest,
  operatorEnv,
  provider,
  reviewedRepoAndServer,
} from "./helpers.ts";
import { FakeOpenAI, type Reply } from "./openai-server.ts";

const setting = reviewedRepoAndServer();

/** The report without AI and with it: equal, but for the one line saying why the AI part was skipped. */
function expectInvisible(withAi: string, without: string, reason: RegExp): void {
  const added = withAi.split("\n").filter((line) => !without.split("\n").includes(line));
  expect(added).toHaveLength(1);
  expect(added[0]).toMatch(new RegExp(`^_AI advisor skipped: .*${reason.source}`));
  expect(withAi.split("\n").filter((line) => line !== added[0] && line !== "")).toEqual(
    without.split("\n").filter((line) => line !== ""),
  );
}

describe.each(["chat", "responses"] as const)("when the model fails (%s API)", (api) => {
  it.each<[string, Reply, RegExp, number]>([
    ["a server error, retried once", { kind: "status", status: 500 }, /the model endpoint answered 500/, 4],
    [
      "a refused key",
      { kind: "status", status: 401, code: "invalid_api_key" },
      /answered 401, invalid_api_key/,
      2,
    ],
    [
      "an exhausted quota (not retried)",
      { kind: "status", status: 429, code: "insufficient_quota" },
      /answered 429, insufficient_quota/,
      2,
    ],
    ["a dropped connection, retried once", { kind: "drop" }, /could not be reached/, 4],
    ["a refusal", { kind: "refusal", text: "I can't help with that." }, /the model refused: I can't help/, 2],
    ["a truncated answer", { kind: "length", text: '{"proposals": [' }, /cut at its token limit/, 2],
    ["a tool call", { kind: "tool-call" }, /the model called a tool instead of answering/, 2],
  ])("%s leaves the report as it was, plus one line", async (_, reply, reason, requests) => {
    setting.server.answer = () => reply;
    const report = await advised(
      setting.checked,
      true,
      operatorEnv(setting.server, { GREENOPS_AI_API: api }),
    );
    expect(setting.server.received).toHaveLength(requests);
    expectInvisible(markdownReport(report), markdownReport(setting.checked.report), reason);
    const { ai, ...json } = JSON.parse(jsonReportText(report));
    expect(json).toEqual(JSON.parse(jsonReportText(setting.checked.report)));
    expect(ai.skipped).toMatch(reason);
  });
});

describe("limits", () => {
  it("leaves the report as it was when nothing listens at the endpoint", async () => {
    const port = await freePort();
    const env = operatorEnv(setting.server, { OPENAI_BASE_URL: `http://127.0.0.1:${port}/v1` });
    const report = await advised(setting.checked, true, env);
    expectInvisible(
      markdownReport(report),
      markdownReport(setting.checked.report),
      /the model endpoint could not be reached \(ECONNREFUSED\)/,
    );
  });

  it("gives up after the timeout, the retry included", async () => {
    setting.server.answer = () => ({ kind: "hang" });
    const started = performance.now();
    const report = await advised(
      setting.checked,
      true,
      operatorEnv(setting.server, { GREENOPS_AI_TIMEOUT: "1" }),
    );
    expect(performance.now() - started).toBeLessThan(2_500);
    expect(report.ai?.skipped).toBe("the model endpoint did not answer within 1 s");
  });

  it("retries a 429 once, after its retry-after", async () => {
    setting.server.queue.push({ kind: "status", status: 429, headers: { "retry-after": "1" } });
    setting.server.answer = answering(GOOD_SUMMARY);
    const started = performance.now();
    const section = await advise({
      checked: setting.checked,
      settings: summaryOnly,
      provider: provider(operatorEnv(setting.server)),
    });
    expect(performance.now() - started).toBeGreaterThanOrEqual(950);
    expect(section.summary?.text).toBe(GOOD_SUMMARY);
    expect(section.requests).toBe(2);
  });

  it("does not wait for a retry-after beyond the timeout", async () => {
    setting.server.answer = () => ({ kind: "status", status: 503, headers: { "retry-after": "30" } });
    const section = await advise({
      checked: setting.checked,
      settings: summaryOnly,
      provider: provider(operatorEnv(setting.server, { GREENOPS_AI_TIMEOUT: "5" })),
    });
    expect(section).toMatchObject({ requests: 1, skipped: expect.stringContaining("answered 503") });
  });

  it("sends nothing when the run's token budget cannot hold the request", async () => {
    const report = await advised(
      setting.checked,
      true,
      operatorEnv(setting.server, { GREENOPS_AI_TOKEN_BUDGET: "500" }),
    );
    expect(setting.server.received).toHaveLength(0);
    expect(report.ai?.skipped).toMatch(/^the run's token budget \(500\) is too small/);
  });

  it("keeps the summary when only the proposals cannot be read", async () => {
    setting.server.answer = (request) =>
      isProposalRequest(request)
        ? { kind: "text", text: "Sure! Here are my ideas: ..." }
        : { kind: "text", text: GOOD_SUMMARY };
    const report = await advised(setting.checked, true, operatorEnv(setting.server));
    expect(report.ai?.summary?.text).toBe(GOOD_SUMMARY);
    expect(report.ai?.proposalsOmitted).toMatch(
      /^the proposals of gpt-4o-mini-2024-07-18 could not be read: the answer is not JSON/,
    );
  });

  it("skips with the reason when no provider is configured or the repository refuses", async () => {
    expect((await advised(setting.checked, true, {})).ai?.skipped).toMatch(/^no model is configured/);
    expect((await advised(setting.checked, false, operatorEnv(setting.server))).ai?.skipped).toBeUndefined();
    expect(setting.server.received.length).toBeGreaterThan(0);
  });
});

describe("Ollama's OpenAI-compatible endpoint", () => {
  let ollama: FakeOpenAI;
  beforeAll(async () => {
    ollama = await new FakeOpenAI("ollama").start();
  });
  afterAll(() => ollama.close());

  it("answers without a key; the report names the model it echoes", async () => {
    ollama.answer = answering(GOOD_SUMMARY);
    const env = operatorEnv(ollama, { GREENOPS_AI_MODEL: "llama3.2", OPENAI_API_KEY: "" });
    const report = await advised(setting.checked, true, env);
    expect(ollama.errors).toEqual([]);
    expect(report.ai?.summary).toEqual({ text: GOOD_SUMMARY, model: "llama3.2" });
    expect(report.ai?.proposals).toHaveLength(1);
    expect(ollama.received.map((r) => r.path)).toEqual(["/v1/chat/completions", "/v1/chat/completions"]);
  });
});

const summaryOnly = { summary: true, proposals: false, redact: [] };

async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
  const { port } = probe.address() as { port: number };
  await new Promise((resolve) => probe.close(resolve));
  return port;
}
