import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, expect } from "vitest";
import { advisedReport } from "../../app/ai/advised-report.ts";
import { type AiProvider, providerFromEnv } from "../../app/ai/provider.ts";
import { checkedReview } from "../../app/engine/review.ts";
import type { CheckedReview, Report } from "../../app/engine/types.ts";
import { aiRepo, WEB } from "./fixture.ts";
import { FakeOpenAI, type Received, type Reply } from "./openai-server.ts";

export type Setting = { checked: CheckedReview; server: FakeOpenAI };

/**
 * The fixture's review and a test server (OpenAI's flavour) for the tests of one file; after each test
 * no request may have been outside OpenAI's API description, and the record starts again.
 */
export function reviewedRepoAndServer(): Setting {
  const setting = {} as Setting;
  const repo = aiRepo();
  beforeAll(async () => {
    setting.checked = await checkedReview(repo.root);
    setting.server = await new FakeOpenAI().start();
  });
  afterAll(async () => {
    repo.dispose();
    await setting.server.close();
  });
  afterEach(() => {
    expect(setting.server.errors, "requests outside OpenAI's API description").toEqual([]);
    setting.server.received.length = 0;
    setting.server.queue.length = 0;
  });
  return setting;
}

/** The operator's environment pointing at a test server, with a fresh answer cache. */
export function operatorEnv(server: FakeOpenAI, extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  return {
    GREENOPS_AI_MODEL: "gpt-4o-mini",
    OPENAI_BASE_URL: server.url,
    OPENAI_API_KEY: server.key,
    GREENOPS_AI_CACHE_DIR: mkdtempSync(join(tmpdir(), "greenops-ai-cache-")),
    ...extra,
  };
}

/** A summary that cites only figures of the fixture's review, as the engine formats them. */
export const GOOD_SUMMARY =
  "This change doubles the monthly cost of `Deployment/shop/web`, from $52.34 to $104.68 (+100.0%). Its carbon goes from 1.64 kgCO2e to 3.27 kgCO2e a month. GreenOps reports 1 warning and 1 notice: the replicas are above the cap for this environment.";

/** One web proposal editing line 10 (`replicas: 4 # sized for the launch`). */
export function replicasProposal(replacement: string, title = `Set ${replacement.trim()}`): object {
  return {
    file: WEB,
    resource: "Deployment/shop/web",
    title,
    rationale: "The replicas were sized for the launch; the data shows the change doubles the cost.",
    edits: [{ startLine: 10, endLine: 10, replacement }],
  };
}

export const GOOD_PROPOSAL = replicasProposal("  replicas: 3 # sized for the launch", "Run 3 replicas");

export function isProposalRequest(request: Received): boolean {
  return request.body.response_format !== undefined || request.body.text !== undefined;
}

/** Answers the summary with `summary` and proposals with `proposals` (JSON), as a model would. */
export function answering(summary: string, proposals: object[] = [GOOD_PROPOSAL]): (r: Received) => Reply {
  return (request) =>
    isProposalRequest(request)
      ? { kind: "text", text: JSON.stringify({ proposals }) }
      : { kind: "text", text: summary };
}

/** The report with the AI part, the provider read from `env` as the CLI reads it. */
export function advised(checked: CheckedReview, requested: boolean, env: NodeJS.ProcessEnv): Promise<Report> {
  return advisedReport(checked, requested, providerFromEnv(env));
}

export function provider(env: NodeJS.ProcessEnv): AiProvider {
  const found = providerFromEnv(env);
  if (typeof found === "string") throw new Error(found);
  return found;
}
