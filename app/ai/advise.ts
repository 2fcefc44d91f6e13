import type { Report } from "../engine/types.ts";
import { ModelClient } from "./client.ts";
import { excerptsOf } from "./excerpts.ts";
import { factsOf } from "./facts.ts";
import { AiFailure } from "./failure.ts";
import { propose } from "./propose.ts";
import type { AiProvider } from "./provider.ts";
import type { AiSettings } from "./settings.ts";
import { summarize } from "./summary.ts";
import type { AiSection } from "./types.ts";
import type { VerifyPort } from "./verify-proposal.ts";

export type AdviseInput = {
  /** The engine's result and its verified fix path (a review's or an estimate's). */
  checked: VerifyPort & { report: Report };
  settings: AiSettings;
  /** The operator's provider, or why there is none. */
  provider: AiProvider | string;
};

/**
 * The AI stage: at most one request for the summary and one for proposals, both checked by the
 * engine before anything is shown. It never throws and never changes the deterministic report:
 * whatever goes wrong becomes the reason in `skipped`, `omitted` or `rejected`.
 */
export async function advise({ checked, settings, provider }: AdviseInput): Promise<AiSection> {
  const section: AiSection = { proposals: [], rejected: [], requests: 0, cached: 0, tokens: 0 };
  if (settings.refused) return { ...section, skipped: settings.refused };
  if (typeof provider === "string") return { ...section, skipped: provider };
  const client = new ModelClient(provider);
  try {
    const { facts, numbers } = factsOf(checked.report);
    const excerpts = settings.proposals
      ? excerptsOf(checked.report, checked.text, settings.redact)
      : undefined;
    const [summary, proposals] = await Promise.all([
      settings.summary ? settled(summarize(client, facts, numbers)) : undefined,
      excerpts?.sent.size ? settled(propose(client, facts, excerpts, checked)) : undefined,
    ]);
    const failures = [summary, proposals].filter((r) => r instanceof AiFailure);
    if (failures.length > 0 && failures.length === [summary, proposals].filter(Boolean).length)
      section.skipped = failures[0]?.message;
    else {
      if (summary instanceof AiFailure) section.omitted = `no summary: ${summary.message}`;
      else if (summary && "omitted" in summary) section.omitted = summary.omitted;
      else if (summary) section.summary = summary;
      if (proposals instanceof AiFailure) section.proposalsOmitted = `no proposals: ${proposals.message}`;
      else if (proposals && "omitted" in proposals) section.proposalsOmitted = proposals.omitted;
      else if (proposals) Object.assign(section, proposals);
    }
  } catch (error) {
    section.skipped = `the AI part failed: ${(error as Error).message}`;
  }
  return {
    ...section,
    model: client.provider.model,
    requests: client.requests,
    cached: client.cached,
    tokens: client.tokens,
  };
}

/** A model failure as a value, so one part failing leaves the other. */
async function settled<T>(promise: Promise<T>): Promise<T | AiFailure> {
  try {
    return await promise;
  } catch (error) {
    if (error instanceof AiFailure) return error;
    throw error;
  }
}
