import type { ByHand, Fix } from "./finding.ts";

const WHY: Record<Exclude<ByHand, "check">, string> = {
  "yaml-anchor": "its value is shared through a YAML anchor that an alias also reads",
  "not-written": "its value is not written in the file",
  "inline-patch":
    "its value is set by an inline patch in the kustomization: YAML written inside a string, which GreenOps does not edit",
  computed: "its value is computed when the program runs",
  shared:
    "its value is also read for another environment, ArgoCD Application, overlay or stack, which the edit would change too",
};

/**
 * Whether a fix is made by hand, why, and the words every surface says it in (greenops fix, the
 * reports, the check run, scans): `reason` where the fix is named already, `change` (its title, then
 * the reason) where it is not. Undefined when its edit can be written; a fix made without fixOf and
 * without edits is not written either; one whose edits failed a review's check says what the check
 * found. Reading it computes a lazy fix's edits.
 */
export function byHand(fix: Fix | undefined): { cause: ByHand; reason: string; change: string } | undefined {
  const cause = fix && (fix.byHand ?? (fix.edits.length === 0 ? "not-written" : undefined));
  if (!fix || !cause) return undefined;
  const reason =
    cause === "check"
      ? `its edit did not pass the check: ${checkReason(fix)}; make it by hand`
      : `its edit cannot be written here (${WHY[cause]}): make it by hand`;
  return { cause, reason, change: `${fix.title}: ${reason}` };
}

/** What the check found, without the "make it by hand" some of its reasons end with (the reason says it once). */
function checkReason(fix: Fix): string {
  return (fix.failedCheck ?? "the check failed").replace(/: make it by hand$/, "");
}
