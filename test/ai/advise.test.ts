import { describe, expect, it } from "vitest";
import { jsonReportText } from "../../app/report/json-report.ts";
import { markdownReport } from "../../app/report/markdown-report.ts";
import { expectGolden } from "../helpers/golden.ts";
import { PLANTED } from "./fixture.ts";
import {
  advised,
  answering,
  GOOD_PROPOSAL,
  GOOD_SUMMARY,
  isProposalRequest,
  operatorEnv,
  replicasProposal,
  reviewedRepoAndServer,
} from "./helpers.ts";

const setting = reviewedRepoAndServer();

describe("the AI advisor against an OpenAI-compatible endpoint", () => {
  it("puts a summary that keeps the number rule at the top, labelled with its model, and keeps a verified proposal", async () => {
    setting.server.answer = answering(GOOD_SUMMARY);
    const report = await advised(setting.checked, true, operatorEnv(setting.server));
    expect(report.ai?.summary).toEqual({ text: GOOD_SUMMARY, model: "gpt-4o-mini-2024-07-18" });
    expect(report.ai?.proposals.map((p) => [p.title, p.impact.monthlyCost.toFixed(2)])).toEqual([
      ["Run 3 replicas", "-26.17"],
    ]);
    expect(setting.server.received).toHaveLength(2);
    const markdown = markdownReport(report);
    expect(markdown.indexOf("AI-written summary")).toBeLessThan(markdown.indexOf("| **Cost** |"));
    expectGolden("ai-review.md", markdown);
    const json = JSON.parse(jsonReportText(report));
    expect(json.ai.summary).toEqual({ text: GOOD_SUMMARY, model: "gpt-4o-mini-2024-07-18" });
    expect(json.ai.proposals[0].impact).toEqual({ monthlyCost: -26.169, monthlyCarbonKg: -0.8175 });
    expect(json.findings).toEqual(JSON.parse(jsonReportText(setting.checked.report)).findings);
  });

  it("asks the Responses API with text.format json_schema just as well", async () => {
    setting.server.answer = answering(GOOD_SUMMARY);
    const report = await advised(
      setting.checked,
      true,
      operatorEnv(setting.server, { GREENOPS_AI_API: "responses" }),
    );
    expect(setting.server.received.map((r) => r.path)).toEqual(["/v1/responses", "/v1/responses"]);
    const format = setting.server.received.map(
      (r) => (r.body.text as { format?: { type: string } } | undefined)?.format?.type,
    );
    expect(format.sort()).toEqual(["json_schema", undefined]);
    expect(report.ai?.summary?.text).toBe(GOOD_SUMMARY);
    expect(report.ai?.proposals.map((p) => p.title)).toEqual(["Run 3 replicas"]);
  });

  it("drops a summary citing a number the engine did not compute, and says why", async () => {
    setting.server.answer = answering(`${GOOD_SUMMARY} Merging it would save about $12.00 a month.`, []);
    const report = await advised(setting.checked, true, operatorEnv(setting.server));
    expect(report.ai?.summary).toBeUndefined();
    expect(report.ai?.omitted).toBe(
      "the summary by gpt-4o-mini-2024-07-18 was dropped: it cites 12, which the engine did not compute",
    );
    expect(markdownReport(report)).toContain(
      "_AI summary omitted: the summary by gpt-4o-mini-2024-07-18 was dropped: it cites 12",
    );
  });

  it("rejects invalid, schema-breaking, finding-raising and costlier proposals with the engine's reason", async () => {
    const proposals = [
      { ...GOOD_PROPOSAL, edits: [{ startLine: 0, endLine: 10, replacement: "x" }] },
      { file: "k8s/web.yaml", title: "No resource" },
      replicasProposal("  replicas: many # sized for the launch"),
      replicasProposal("  replicas: 8 # sized for the launch"),
      replicasProposal("  replicas: 3"),
      replicasProposal("  replicas: 3 # [redacted]"),
      {
        ...GOOD_PROPOSAL,
        title: "Drop the requests",
        edits: [{ startLine: 31, endLine: 33, replacement: "" }],
      },
      { ...GOOD_PROPOSAL, title: "Clear the env", edits: [{ startLine: 25, endLine: 25, replacement: "" }] },
      { ...GOOD_PROPOSAL, title: "Elsewhere", file: "k8s/other.yaml" },
      {
        ...replicasProposal("  replicas: 2 # sized for the launch", "Ping"),
        rationale: "Ask @octocat <img src=x>.",
      },
      GOOD_PROPOSAL,
    ];
    setting.server.answer = answering(GOOD_SUMMARY, proposals);
    const report = await advised(setting.checked, true, operatorEnv(setting.server));
    expect(report.ai?.proposals.map((p) => p.title)).toEqual(["Run 3 replicas"]);
    expect(report.ai?.rejected.map((r) => [r.title, r.reason])).toEqual([
      ["Run 3 replicas", "invalid output: /edits/0/startLine must be >= 1"],
      ["No resource", "invalid output: the proposal must have required property 'resource'"],
      [
        "Set replicas: many # sized for the launch",
        'schema error: spec.replicas must be an integer, found "many"; ignored (line 10)',
      ],
      ["Set replicas: 8 # sized for the launch", "costs more: +$104.68/month"],
      ["Set replicas: 3", 'it would remove the comment "# sized for the launch"'],
      ["Set replicas: 3 # [redacted]", "it would write [redacted] into the file"],
      ["Drop the requests", 'new finding: requests-required reports "container "web" requests no cpu"'],
      ["Clear the env", "it edits line 25, which was redacted"],
      ["Elsewhere", "it edits a file that was not sent"],
      ["Ping", "its text cannot be shown: it contains a link or HTML"],
    ]);
    const json = JSON.parse(jsonReportText(report));
    expect(json.ai.rejected).toHaveLength(10);
    expect(markdownReport(report)).toContain("AI proposals rejected by the engine (10)");
  });

  it("sends no planted secret: Secret data, env values, credentials, private keys, ai.redact paths", async () => {
    setting.server.answer = answering(GOOD_SUMMARY);
    await advised(setting.checked, true, operatorEnv(setting.server));
    const wire = setting.server.wire();
    expect(wire).toContain("replicas: 4 # sized for the launch");
    for (const [kind, secret] of Object.entries(PLANTED))
      expect(wire.includes(secret), `${kind} reached the server`).toBe(false);
    expect(wire.split(setting.server.key)).toHaveLength(setting.server.received.length + 1);
  });

  it("asks for proposals with exactly this text: the engine's facts and the redacted manifest", async () => {
    setting.server.answer = answering(GOOD_SUMMARY);
    await advised(setting.checked, true, operatorEnv(setting.server));
    const request = setting.server.received.find(isProposalRequest);
    const messages = (request?.body.messages ?? []) as { role: string; content: string }[];
    expectGolden(
      "ai-proposal-request.txt",
      messages.map(({ role, content }) => `=== ${role}\n${content}\n`).join("\n"),
    );
  });

  it("asks nothing the second time the same head is reviewed; another model does not share the answers", async () => {
    setting.server.answer = answering(GOOD_SUMMARY);
    const env = operatorEnv(setting.server);
    const first = await advised(setting.checked, true, env);
    const second = await advised(setting.checked, true, env);
    expect(setting.server.received).toHaveLength(2);
    expect(second.ai).toEqual({ ...first.ai, requests: 0, cached: 2, tokens: 0 });
    await advised(setting.checked, true, { ...env, GREENOPS_AI_MODEL: "gpt-4.1-mini" });
    await advised(setting.checked, true, { ...env, OPENAI_BASE_URL: `${setting.server.url}/` });
    expect(setting.server.received).toHaveLength(6);
  });
});
