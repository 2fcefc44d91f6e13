import type { Finding, FixResult } from "../engine/finding.ts";
import type { Snapshot } from "../source/snapshot.ts";

/**
 * Applies the fixes of these findings to the files of `head` and verifies them (re-parsed,
 * re-estimated): the engine's job. Only `applied` fixes are ever offered as a commit.
 */
export type ApplyFixes = (findings: Finding[], head: Snapshot) => Promise<FixResult>;

/**
 * The adapter to the engine's fix applier. Until `applyFixes` lands in app/engine/, no fix is verified,
 * so the App offers suggestions but never a commit. When it lands, this is the one line to change:
 *   export const applyFixes: ApplyFixes = (findings, head) => engineApplyFixes(findings, head);
 */
export const applyFixes: ApplyFixes = async (findings) => ({
  files: [],
  applied: [],
  skipped: findings.map((finding) => ({ finding, reason: "the engine cannot verify fixes yet" })),
  impact: { monthlyCost: 0, monthlyCarbonKg: 0 },
});
