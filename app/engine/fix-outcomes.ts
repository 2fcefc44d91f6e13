import { checkEach } from "./apply-fixes.ts";
import { byHand } from "./by-hand.ts";
import { type Finding, failedFix } from "./finding.ts";
import type { FixTarget } from "./types.ts";

/**
 * The one outcome of each fix of a review, decided once, before any surface reads it: offered (its
 * edits pass the check every fix passes, applied alone, as a person applies a suggestion) or made by
 * hand. A fix that fails is replaced by its by-hand form with the check's reason (cause `check`): the
 * findings' Fix column, the annotations, the check run's list of fixes left out, the review suggestions,
 * the JSON report, greenops fix and Apply fixes all read it through byHand, and no saving is measured
 * for it. Fixes made by hand already and suppressed findings' fixes are not checked.
 */
export async function checkFixes(findings: readonly Finding[], target: FixTarget): Promise<void> {
  const written = findings.filter((finding) => finding.fix && !finding.suppressed && !byHand(finding.fix));
  const { failed } = await checkEach(written, target);
  for (const { finding, reason } of failed) if (finding.fix) finding.fix = failedFix(finding.fix, reason);
}
