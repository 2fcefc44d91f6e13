import type { CheckedReview, Report } from "../engine/types.ts";
import { advise } from "./advise.ts";
import type { AiProvider } from "./provider.ts";
import { aiSettings } from "./settings.ts";

/**
 * The report with the AI advisor's part. `requested` is the operator's opt-in (`--ai`): the report then
 * always says what the AI part did or why not. Without it (the GitHub App) the repository must opt in
 * on every side read, and a repository that did not sees no trace of the AI advisor.
 */
export async function advisedReport(
  checked: CheckedReview,
  requested: boolean,
  provider: AiProvider | string,
): Promise<Report> {
  const settings = aiSettings(checked.configs, requested);
  if (settings.refused && !requested) return checked.report;
  return { ...checked.report, ai: await advise({ checked, settings, provider }) };
}
