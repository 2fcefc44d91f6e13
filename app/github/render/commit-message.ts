import type { FixResult } from "../../engine/finding.ts";
import { commitBody, readTrailers, TRAILERS } from "../../gitops/trailers.ts";

/**
 * The fix commit's message: what was fixed by which policy, the saving, and the trailers every GreenOps
 * commit carries (app/gitops/trailers.ts), after `GreenOps-Fix: <reviewed sha>`, which the loop guard
 * looks for.
 */
export function commitMessage(result: FixResult, reviewedSha: string): { headline: string; body: string } {
  const count = result.applied.length;
  const { monthlyCost, monthlyCarbonKg } = result.impact;
  const headline = `GreenOps: apply ${count} fix${count > 1 ? "es" : ""} (${money(monthlyCost)}/month, ${carbon(monthlyCarbonKg)} kgCO2e/month)`;
  const body = commitBody(result.applied, `${TRAILERS.fix}: ${reviewedSha}`, result.impact);
  return { headline, body };
}

/** Whether a commit message is one of GreenOps' fix commits. */
export function isFixCommit(message: string | undefined): boolean {
  return fixTrailer(message) !== undefined;
}

/** The commit a GreenOps fix commit fixed, from its `GreenOps-Fix:` trailer. */
export function fixTrailer(message: string | undefined): string | undefined {
  const fix = message === undefined ? undefined : readTrailers(message)?.fix;
  return fix !== undefined && /^[0-9a-f]{40}$/.test(fix) ? fix : undefined;
}

function money(value: number): string {
  const text = `$${Math.abs(value).toFixed(2)}`;
  return value < 0 ? `−${text}` : `+${text}`;
}

function carbon(value: number): string {
  const text = Math.abs(value).toFixed(3);
  return value < 0 ? `−${text}` : `+${text}`;
}
