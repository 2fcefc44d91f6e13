import type { EnvironmentKind } from "../config/environment-kind.ts";
import { applyFixes } from "../engine/apply-fixes.ts";
import type { FixResult } from "../engine/finding.ts";
import type { CheckedReview } from "../engine/types.ts";
import { type Unevaluated, unevaluatedPrograms } from "../report/unevaluated.ts";
import { type Candidate, type Excluded, environmentKind } from "./select.ts";

/** One environment's pull request as it should be: the verified fixes and what they save together. */
export type Proposal = {
  environment: string;
  kind: EnvironmentKind;
  /** The candidates whose fixes were applied and verified, in the commit's order. */
  fixes: Candidate[];
  result: FixResult;
  /** The scan's programs that were not run, and why: what its fixes could not look at. */
  unevaluated?: Unevaluated | undefined;
};

/**
 * Applies each environment's candidate fixes through the engine's one verified fix path (re-parsed,
 * schema-checked, policies run again, re-estimated). An environment left with nothing has no proposal.
 * Each proposal carries the programs the scan did not run (returned too), which its pull request names.
 */
export async function proposeFixes(
  checked: CheckedReview,
  candidates: Map<string, Candidate[]>,
): Promise<{ proposals: Proposal[]; excluded: Excluded[]; unevaluated: Unevaluated | undefined }> {
  const proposals: Proposal[] = [];
  const excluded: Excluded[] = [];
  const unevaluated = unevaluatedPrograms(checked.report);
  for (const [environment, wanted] of [...candidates].sort(([a], [b]) => a.localeCompare(b))) {
    const result = await applyFixes(
      wanted.map((c) => c.finding),
      checked,
    );
    excluded.push(...result.skipped);
    const applied = new Set(result.applied);
    const fixes = wanted.filter((c) => applied.has(c.finding));
    if (fixes.length === 0) continue;
    const kind = environmentKind(checked.report, environment);
    proposals.push({ environment, kind, fixes, result, unevaluated });
  }
  return { proposals, excluded, unevaluated };
}
