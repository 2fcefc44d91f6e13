import type { EnvironmentKind } from "../config/environment-kind.ts";
import { applyFixes } from "../engine/apply-fixes.ts";
import type { FixResult } from "../engine/finding.ts";
import type { CheckedReview } from "../engine/types.ts";
import { type Candidate, type Excluded, environmentKind } from "./select.ts";

/** One environment's pull request as it should be: the verified fixes and what they save together. */
export type Proposal = {
  environment: string;
  kind: EnvironmentKind;
  /** The candidates whose fixes were applied and verified, in the commit's order. */
  fixes: Candidate[];
  result: FixResult;
};

/**
 * Applies each environment's candidate fixes through the engine's one verified fix path (re-parsed,
 * schema-checked, policies run again, re-estimated). An environment left with nothing has no proposal.
 */
export async function proposeFixes(
  checked: CheckedReview,
  candidates: Map<string, Candidate[]>,
): Promise<{ proposals: Proposal[]; excluded: Excluded[] }> {
  const proposals: Proposal[] = [];
  const excluded: Excluded[] = [];
  for (const [environment, wanted] of [...candidates].sort(([a], [b]) => a.localeCompare(b))) {
    const result = await applyFixes(
      wanted.map((c) => c.finding),
      checked,
    );
    excluded.push(...result.skipped);
    const applied = new Set(result.applied);
    const fixes = wanted.filter((c) => applied.has(c.finding));
    if (fixes.length === 0) continue;
    proposals.push({ environment, kind: environmentKind(checked.report, environment), fixes, result });
  }
  return { proposals, excluded };
}
