import type { FixResult } from "../../engine/finding.ts";

/** The trailer the fix-loop guard looks for: the commit GreenOps reviewed before fixing it. */
export const FIX_TRAILER = "GreenOps-Fix";

/**
 * The fix commit's message: what was fixed by which policy, the saving, and machine-readable trailers
 * (`GreenOps-Fix: <reviewed sha>`, the policies, the monthly saving in USD and kgCO2e).
 */
export function commitMessage(result: FixResult, reviewedSha: string): { headline: string; body: string } {
  const count = result.applied.length;
  const { monthlyCost, monthlyCarbonKg } = result.impact;
  const headline = `GreenOps: apply ${count} fix${count > 1 ? "es" : ""} (${money(monthlyCost)}/month, ${carbon(monthlyCarbonKg)} kgCO2e/month)`;
  const lines = result.applied.map(
    (f) => `- ${f.policy}: ${f.fix?.title ?? f.message} (${f.location.file}:${f.location.startLine})`,
  );
  const policies = [...new Set(result.applied.map((f) => f.policy))].sort();
  const trailers = [
    `${FIX_TRAILER}: ${reviewedSha}`,
    `GreenOps-Policies: ${policies.join(", ")}`,
    `GreenOps-Saving: monthly-cost-usd=${monthlyCost.toFixed(2)}; monthly-carbon-kg=${monthlyCarbonKg.toFixed(3)}`,
  ];
  return { headline, body: [lines.join("\n"), trailers.join("\n")].join("\n\n") };
}

const TRAILER = new RegExp(`^${FIX_TRAILER}: ([0-9a-f]{40})$`, "m");

/** Whether a commit message is one of GreenOps' fix commits. */
export function isFixCommit(message: string | undefined): boolean {
  return fixTrailer(message) !== undefined;
}

/** The commit a GreenOps fix commit fixed, from its trailer. */
export function fixTrailer(message: string | undefined): string | undefined {
  return message === undefined ? undefined : TRAILER.exec(message)?.[1];
}

function money(value: number): string {
  const text = `$${Math.abs(value).toFixed(2)}`;
  return value < 0 ? `−${text}` : `+${text}`;
}

function carbon(value: number): string {
  const text = Math.abs(value).toFixed(3);
  return value < 0 ? `−${text}` : `+${text}`;
}
