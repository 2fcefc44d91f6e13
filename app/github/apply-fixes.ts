import { applyFixes as engineApplyFixes } from "../engine/apply-fixes.ts";
import type { Finding, FixResult } from "../engine/finding.ts";
import type { CheckedReview } from "../engine/types.ts";

/**
 * Applies the fixes of these findings to the head's files, then those the check still reports that
 * `accept` takes (a fix may call for another), verifying each pass (re-parsed, schema-checked,
 * re-estimated): only `applied` fixes are ever offered as a commit.
 */
export type ApplyFixes = (
  findings: Finding[],
  review: CheckedReview,
  accept: (finding: Finding) => boolean,
) => Promise<FixResult>;

export const applyFixes: ApplyFixes = (findings, review, accept) =>
  engineApplyFixes(findings, review, { accept });
