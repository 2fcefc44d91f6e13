import type { Unevaluated } from "../report/unevaluated.ts";
import type { Proposal } from "./plan.ts";
import { markerOf, readMarker, type ScanMarker, saysHeld } from "./render.ts";

/** A GreenOps scan pull request of one environment, as GitHub lists it. */
export type ScanPull = {
  number: number;
  state: "open" | "closed";
  merged: boolean;
  headSha: string;
  body: string;
  marker: ScanMarker | undefined;
};

/** What to do about one environment's pull request. */
export type ScanAction =
  | { kind: "open"; environment: string; proposal: Proposal }
  | { kind: "update"; environment: string; proposal: Proposal; pull: ScanPull }
  /**
   * The same files and fixes, another notice of programs not evaluated (or a reason an earlier scan
   * left it as it is, no longer true): the body changes, not the branch.
   */
  | { kind: "reword"; environment: string; proposal: Proposal; pull: ScanPull }
  | { kind: "close"; environment: string; pull: ScanPull }
  | { kind: "keep"; environment: string; pull: ScanPull; reason?: string }
  | { kind: "none"; environment: string };

/** The fixes a team declined: those of the GreenOps pull requests it closed without merging. */
export function declinedFingerprints(pulls: ScanPull[]): Set<string> {
  return new Set(
    pulls.filter((p) => p.state === "closed" && !p.merged).flatMap((p) => p.marker?.fingerprints ?? []),
  );
}

/**
 * Never two pull requests for one environment: the open one is updated in place (kept when it already
 * holds exactly these files, reworded when only its notice of programs not evaluated changed or it
 * still says an earlier scan left it as it is), closed
 * when nothing is left to fix; a new one is opened only when none is open.
 */
export function reconcile(
  environment: string,
  proposal: Proposal | undefined,
  pulls: ScanPull[],
): ScanAction {
  const open = pulls.find((p) => p.state === "open");
  if (!proposal) return open ? { kind: "close", environment, pull: open } : { kind: "none", environment };
  if (!open) return { kind: "open", environment, proposal };
  const wanted = markerOf(proposal);
  const sameFixes =
    open.marker?.content === wanted.content &&
    open.marker.fingerprints.join(",") === wanted.fingerprints.join(",");
  if (!sameFixes) return { kind: "update", environment, proposal, pull: open };
  return open.marker?.unevaluated === wanted.unevaluated && !saysHeld(open.body)
    ? { kind: "keep", environment, pull: open }
    : { kind: "reword", environment, proposal, pull: open };
}

/**
 * Why a pull request stays as it is, though this scan would close it (nothing left to propose) or
 * rebuild it without some of its fixes: it edits a file in the folder of a program this scan did not
 * run, so nothing shows those fixes no longer apply (closing it would count them as declined, a rebuild
 * would drop them until the program runs again). Undefined when it edits none.
 */
export function heldAsItIs(
  action: "close" | "update",
  edited: string[],
  unevaluated: Unevaluated,
): string | undefined {
  for (const { reason, files } of unevaluated.reasons) {
    const program = files.find((file) => {
      const folder = file.slice(0, file.lastIndexOf("/") + 1);
      return edited.some((path) => path.startsWith(folder));
    });
    if (program)
      return `it edits the program of ${program}, which this scan did not evaluate (${reason}): GreenOps ${action === "close" ? "keeps it open" : "leaves it as it is rather than drop those fixes"}`;
  }
  return undefined;
}

/** A pull request's marker, read from its body. */
export function scanPull(pull: {
  number: number;
  state: string;
  merged_at: string | null;
  head: { sha: string };
  body: string | null;
}): ScanPull {
  return {
    number: pull.number,
    state: pull.state === "open" ? "open" : "closed",
    merged: pull.merged_at !== null,
    headSha: pull.head.sha,
    body: pull.body ?? "",
    marker: readMarker(pull.body),
  };
}
