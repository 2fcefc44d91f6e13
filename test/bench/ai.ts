import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { advise } from "../../app/ai/advise.ts";
import { excerptsOf } from "../../app/ai/excerpts.ts";
import { factsOf } from "../../app/ai/facts.ts";
import { readProposals } from "../../app/ai/proposal-schema.ts";
import { verifyAll } from "../../app/ai/propose.ts";
import { providerFromEnv } from "../../app/ai/provider.ts";
import { checkedReview } from "../../app/engine/review.ts";
import { web } from "../ai/fixture.ts";
import { FakeOpenAI } from "../ai/openai-server.ts";
import { tempRepo } from "../helpers/git-repo.ts";

const WORKLOADS = 20;

export type AiFigures = {
  firstRequests: number;
  againRequests: number;
  kept: number;
  adviseSeconds: number;
  preparingSeconds: number;
  verifyingSeconds: number;
};

/**
 * The AI advisor on a review of 20 Deployments (each with planted secrets), against a local
 * OpenAI-compatible server that answers at once with a summary and 20 proposals: requests per run
 * (then the same head again), and the advisor's own time (redaction, checks, verification).
 */
export async function aiBench(): Promise<AiFigures> {
  const repo = tempRepo();
  const server = await new FakeOpenAI().start();
  const cache = mkdtempSync(join(tmpdir(), "greenops-ai-bench-"));
  try {
    const file = (i: number) => `k8s/web-${i}.yaml`;
    const at = (replicas: number) => {
      for (let i = 0; i < WORKLOADS; i++) repo.write(file(i), web(replicas).replaceAll("web", `web-${i}`));
    };
    at(2);
    repo.commit("twenty web tiers");
    at(4);
    const checked = await checkedReview(repo.root);
    const proposals = Array.from({ length: WORKLOADS }, (_, i) => ({
      file: file(i),
      resource: `Deployment/shop/web-${i}`,
      title: "Run 3 replicas",
      rationale: "Sized for the launch.",
      edits: [{ startLine: 10, endLine: 10, replacement: "  replicas: 3 # sized for the launch" }],
    }));
    const answer = JSON.stringify({ proposals });
    server.answer = (r) =>
      r.body.response_format ? { kind: "text", text: answer } : { kind: "text", text: "A short summary." };
    const settings = { summary: true, proposals: true, redact: [] };
    const providerWith = (dir: string) =>
      providerFromEnv({
        GREENOPS_AI_MODEL: "gpt-4o-mini",
        OPENAI_BASE_URL: server.url,
        OPENAI_API_KEY: server.key,
        GREENOPS_AI_CACHE_DIR: dir,
      });
    const first = await advise({ checked, settings, provider: providerWith(cache) });
    const firstRequests = server.received.length;
    await advise({ checked, settings, provider: providerWith(cache) });
    const againRequests = server.received.length - firstRequests;
    // Measured warm, each time with an empty cache (both requests again, to the server in this same
    // process): the median of 5 runs.
    const times: number[] = [];
    for (let run = 0; run < 5; run++) {
      const started = performance.now();
      await advise({ checked, settings, provider: providerWith(join(cache, `cold-${run}`)) });
      times.push((performance.now() - started) / 1000);
    }
    const adviseSeconds = times.sort((a, b) => a - b)[2] as number;

    const prepared = performance.now();
    factsOf(checked.report);
    const excerpts = excerptsOf(checked.report, checked.text, []);
    const verifying = performance.now();
    await verifyAll(
      readProposals(answer) as Exclude<ReturnType<typeof readProposals>, string>,
      checked,
      excerpts,
    );
    const done = performance.now();
    if (server.errors.length > 0) throw new Error(`requests outside the API description: ${server.errors}`);
    return {
      firstRequests,
      againRequests,
      kept: first.proposals.length,
      adviseSeconds,
      preparingSeconds: (verifying - prepared) / 1000,
      verifyingSeconds: (done - verifying) / 1000,
    };
  } finally {
    await server.close();
    repo.dispose();
    rmSync(cache, { recursive: true, force: true });
  }
}
