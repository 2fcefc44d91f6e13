import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { isProposalRequest, operatorEnv, provider } from "../ai/helpers.ts";
import { FakeOpenAI, type Received, type Reply } from "../ai/openai-server.ts";
import { APP_LOGIN } from "./fake-github/fake-github.ts";
import { findingOn } from "./findings.ts";
import { API, API_RESOURCE, environmentFiles, moreCpu, opened, openPull } from "./fixture.ts";
import { type Harness, harness } from "./harness.ts";
import { commentPayload } from "./payloads.ts";

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

/** Policies the Apply fixes button was offered to commit, run by run. */
let committable: string[] = [];

async function review(base: Record<string, string>) {
  model.answer = answers;
  committable = [];
  const headApi = moreCpu()[API] as string;
  h = await harness({
    ai: provider(operatorEnv(model)),
    // a safe fix of the memory request beside the AI's proposal: Apply fixes is offered, with it alone
    findings: (report) => [
      ...report.findings,
      findingOn(API, headApi, "memory: 512Mi", {
        resource: API_RESOURCE,
        policy: "memory-safe",
        severity: "warning",
        message: "Memory request above the observed peak",
        replacement: "memory: 384Mi",
      }),
    ],
    applyFixes: async (findings) => {
      committable.push(...findings.map((f) => f.policy));
      return { files: [], applied: findings, skipped: [], impact: { monthlyCost: -1, monthlyCarbonKg: 0 } };
    },
  });
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
    expect(suggestion?.body).toContain(
      "```suggestion\n              cpu: 600m # p95 was 310m in October\n```",
    );
    expect(suggestion?.body).toMatch(/Request 600m CPU: −\$[\d.]+\/month/);
    expect(committable).toEqual(["memory-safe"]);
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

describe("/greenops explain", () => {
  async function ask(
    body: string,
    reply: (request: Received) => Reply,
    base: Record<string, string> = OPT_IN,
  ) {
    await review(base);
    model.received.length = 0;
    model.answer = reply;
    const before = h.github.comments.length;
    await h.deliver("issue_comment", commentPayload({ number: 7, body, sender: "Codertocat" }));
    return h.github.comments.slice(before).map((c) => c.body);
  }

  const EXPLANATION =
    "The storefront API now asks for more CPU than before, so each of its pods reserves more of a node. That raises its monthly cost and its carbon.";

  it("answers about a resource in the thread, from the engine's review, with the model's explanation", async () => {
    const answers = await ask("/greenops explain Deployment/shop/api", () => ({
      kind: "text",
      text: EXPLANATION,
    }));
    expect(answers).toHaveLength(1);
    expect(answers[0]).toContain("@Codertocat asked GreenOps to explain `Deployment/shop/api`");
    expect(answers[0]).toContain(`> **AI-written explanation** by \`gpt-4o-mini-2024-07-18\``);
    expect(answers[0]).toMatch(
      /\*\*`Deployment\/shop\/api`\*\* in prod \(`environments\/prod\/shop\/api.yaml:2`, changed\): \$[\d.,]+\/month \(\+\$17.11\)/,
    );
    expect(model.received).toHaveLength(1);
  });

  it("drops an explanation citing a number the engine did not compute, and keeps the engine's answer", async () => {
    const answers = await ask("/greenops explain requests-required", () => ({
      kind: "text",
      text: "Without requests a pod may cost 37 times more.",
    }));
    expect(answers[0]).toContain(
      "_AI explanation omitted: the explanation by gpt-4o-mini-2024-07-18 was dropped: it cites 37",
    );
    expect(answers[0]).toContain("**`requests-required`**:");
  });

  it("says how to ask when no policy or resource is named", async () => {
    const answers = await ask("/greenops explain", () => ({ kind: "text", text: "x" }));
    expect(answers).toEqual([
      expect.stringContaining(
        "Ask about one policy id or resource, for example `/greenops explain requests-required`",
      ),
    ]);
    expect(model.received).toHaveLength(0);
  });

  it("answers from the engine alone where the repository has not opted in, and names what exists", async () => {
    const answers = await ask(
      "/greenops explain Deployment/shop/nope",
      () => ({ kind: "text", text: "x" }),
      {},
    );
    expect(answers[0]).toContain(
      "GreenOps knows no policy and reviewed no resource named `Deployment/shop/nope`",
    );
    expect(answers[0]).toContain("`Deployment/shop/api`");
    expect(model.received).toHaveLength(0);
  });
});
