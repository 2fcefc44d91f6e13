import { applyFixes } from "../engine/apply-fixes.ts";
import type { FixResult } from "../engine/finding.ts";
import type { CheckedReview } from "../engine/review.ts";
import { type Candidate, type EnvironmentKind, type Excluded, environmentKind } from "./select.ts";

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
 * schema-checked, policies run again, re-estimated), leaving out those a team declined (their
 * fingerprints, from pull requests closed unmerged). An environment left with nothing has no proposal.
 */
export async function proposeFixes(
  checked: CheckedReview,
  candidates: Map<string, Candidate[]>,
  declined: (environment: string) => ReadonlySet<string>,
): Promise<{ proposals: Proposal[]; excluded: Excluded[] }> {
  const proposals: Proposal[] = [];
  const excluded: Excluded[] = [];
  for (const [environment, list] of [...candidates].sort(([a], [b]) => a.localeCompare(b))) {
    const refused = declined(environment);
    const wanted = list.filter((c) => !refused.has(c.fingerprint));
    for (const c of list.filter((c) => refused.has(c.fingerprint)))
      excluded.push({
        finding: c.finding,
        reason: "declined: a GreenOps pull request proposing it was closed unmerged",
      });
    if (wanted.length === 0) continue;
    const result = await applyFixes(
      wanted.map((c) => c.finding),
      checked.text,
      checked.verify,
      checked.baseline,
    );
    excluded.push(...result.skipped);
    const applied = new Set(result.applied);
    const fixes = wanted.filter((c) => applied.has(c.finding));
    if (fixes.length === 0) continue;
    proposals.push({ environment, kind: environmentKind(checked.report, environment), fixes, result });
  }
  return { proposals, excluded };
}
