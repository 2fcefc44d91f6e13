import { applyFixes as engineApplyFixes } from "../engine/apply-fixes.ts";
import type { Finding, FixResult } from "../engine/finding.ts";
import type { CheckedReview } from "../engine/types.ts";

/**
 * Applies the fixes of these findings to the head's files and verifies them (re-parsed, schema-checked,
 * re-estimated): only `applied` fixes are ever offered as a commit.
 */
export type ApplyFixes = (findings: Finding[], review: CheckedReview) => Promise<FixResult>;

export const applyFixes: ApplyFixes = (findings, review) => engineApplyFixes(findings, review);
