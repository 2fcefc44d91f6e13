import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { isProposalRequest, operatorEnv, provider } from "../ai/helpers.ts";
import { FakeOpenAI, type Received, type Reply } from "../ai/openai-server.ts";
import { APP_LOGIN } from "./fake-github/fake-github.ts";
import { API, environmentFiles, moreCpu, opened, openPull } from "./fixture.ts";
import { type Harness, harness } from "./harness.ts";

const OPT_IN = { ".github/greenops.yml": "ai:\n  enabled: true\n" };
const SUMMARY =
  "This pull request raises the CPU request of `Deployment/shop/api` in production, which raises its monthly cost and carbon. No policy blocks it.";
const PROPOSAL = {
  file: API,
  resource: "Deployment/shop/api",
  title: "Request 600m CPU",
  rationale: "The comment says the p95 was 310m; 600m keeps ample headroom.",
  edits: [{ startLine: 27, endLine: 27, replacement: "              cpu: 600m # p95 was 310m in October" }],
};

let h: Harness;
let model: FakeOpenAI;

beforeAll(async () => {
  model = await new FakeOpenAI().start();
});
afterAll(() => model.close());
afterEach(() => {
  h.github.assertClean();
  expect(model.errors).toEqual([]);
  model.received.length = 0;
});

function answers(request: Received): Reply {
  return isProposalRequest(request)
    ? { kind: "text", text: JSON.stringify({ proposals: [PROPOSAL] }) }
    : { kind: "text", text: SUMMARY };
}

async function review(base: Record<string, string>) {
  model.answer = answers;
  h = await harness({ ai: provider(operatorEnv(model)) });
  const scenario = openPull(h.github, { ...moreCpu(), ...OPT_IN }, 7, { ...environmentFiles(), ...base });
  await h.deliver("pull_request", opened(scenario));
  return scenario;
}

describe("the AI advisor in the App", () => {
  it("puts the summary in the check and the comment, and a verified proposal as a suggestion only", async () => {
    await review(OPT_IN);
    const run = h.github.checkRuns.at(-1);
    expect(run?.output.summary).toContain(`> **AI-written summary** by \`gpt-4o-mini-2024-07-18\``);
    expect(run?.output.summary).toContain(SUMMARY);
    const comment = h.github.comments.find((c) => c.author === APP_LOGIN)?.body ?? "";
    expect(comment).toContain(SUMMARY);
    expect(comment).toContain("| 🤖 AI proposal, verified | `Deployment/shop/api` |");
    const suggestion = h.github.reviews
      .flatMap((r) => r.comments)
      .find((c) => String(c.body).includes("ai-proposal"));
    expect(suggestion?.body).toContain("```suggestion\n              cpu: 600m # p95 was 310m in October\n```");
    expect(suggestion?.body).toMatch(/Request 600m CPU: −\$[\d.]+\/month/);
    expect(run?.actions ?? []).toEqual([]);
    expect(model.received).toHaveLength(2);
  });

  it("leaves no trace and asks nothing where the base branch has not opted in", async () => {
    await review({});
    expect(model.received).toHaveLength(0);
    const comment = h.github.comments.find((c) => c.author === APP_LOGIN)?.body ?? "";
    expect(comment).not.toMatch(/\bAI\b/);
    expect(h.github.checkRuns.at(-1)?.output.summary).not.toMatch(/\bAI\b/);
  });
});
