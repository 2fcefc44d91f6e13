import type { Report } from "../engine/report.ts";
import type { CheckedReview } from "../engine/review.ts";
import { advise } from "./advise.ts";
import { providerFromEnv } from "./provider.ts";
import { aiSettings } from "./settings.ts";

/**
 * The report with the AI advisor's part: `requested` is the operator's opt-in (`--ai`); without it the
 * repository must opt in on every side read. The provider comes only from `env`, the operator's.
 */
export async function advisedReport(
  checked: CheckedReview,
  requested: boolean,
  env: NodeJS.ProcessEnv = process.env,
): Promise<Report> {
  const settings = aiSettings(checked.configs, requested);
  return { ...checked.report, ai: await advise({ checked, settings, provider: providerFromEnv(env) }) };
}
