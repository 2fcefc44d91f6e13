import type { Span } from "../model/span.ts";

/** error blocks (a failing check, exit status 1); warning informs; notice is for the record. */
export type Severity = "error" | "warning" | "notice";

/**
 * A replacement of the text between two offsets of one file, as the file was read (ESLint-style):
 * fixes never re-serialise a document, so comments, key order, quoting and indentation elsewhere stay.
 */
export type TextEdit = { file: string; start: number; end: number; text: string };

/**
 * Why a fix has no edit GreenOps can write, so that a person makes it by hand: its value is shared
 * through a YAML anchor an alias also reads (an edit would change every reader), is not written in the
 * file (nor a place to write it: a List item, a value of another kind), is written in a Kustomize
 * inline patch (YAML inside a string of the kustomization, located only as a whole), is computed when a
 * program runs, or lies where another resource is written too (a file two environments deploy, a base
 * two overlays include, a program two stacks run); or, in a review, its edit failed the check every fix
 * passes (`check`: see checkFixes in fix-outcomes.ts).
 */
export type ByHand = "yaml-anchor" | "not-written" | "inline-patch" | "computed" | "shared" | "check";

/** A fix's edits, or why it has none (see {@link ByHand}). */
export type Edits = TextEdit[] | { byHand: ByHand };

export type Fix = {
  /** What the fix does, in the imperative: "Set the memory limit to 512Mi". */
  title: string;
  /** safe: may be committed without a human (gp2 → gp3); suggestion: offered for a human to accept. */
  kind: "safe" | "suggestion";
  /** Empty when the edit cannot be written; `byHand` then says why. */
  edits: TextEdit[];
  byHand?: ByHand;
  /** Cause `check`: what the check found when the fix was applied alone (its edits are then dropped). */
  failedCheck?: string;
  /** The monthly change if the fix is applied (negative saves); null where it cannot be estimated. */
  impact?: { monthlyCost: number | null; monthlyCarbonKg: number | null };
};

/** A container's requests as observed usage says they should be (rightsizing), quantities as Kubernetes writes them. */
export type Recommendation = {
  container: string;
  cpuRequest: { current: string | null; recommended: string };
  memoryRequest: { current: string | null; recommended: string };
  /** What the figures come from: the window read, the CPU percentile, the 5-minute samples, the source. */
  basis: { window: string; percentile: number; samples: number; source: string };
};

/** What a policy found, where, and how to fix it. */
export type Finding = {
  /** The policy's id (the file name in policies/, or a custom policy's id). */
  policy: string;
  severity: Severity;
  message: string;
  /** The resource the finding is about, when it is about one. */
  resource?: { id: string; environment: string };
  /**
   * What in the resource the finding is about, when a policy can find several things in one resource:
   * `container/web`, `container/web/memory`, `claim/data`. Stable across fixes: with the policy and the
   * resource it identifies a finding from one run to the next (see {@link findingKey}).
   */
  subject?: string;
  /** The exact place: an annotation's range, a suggestion's anchor. */
  location: Span;
  fix?: Fix;
  /** Rightsizing findings: the recommended requests and their basis. */
  recommendation?: Recommendation;
  /** Set when an ignore (an inline comment or the configuration) suppresses it; it then never blocks. */
  suppressed?: { reason: string; location: Span };
};

/** Fixes applied to the files they edit, re-parsed and re-estimated before anything may be committed. */
export type FixResult = {
  /**
   * The new text of every file the applied fixes change, and the edits on the text as read that make
   * it (sorted, not overlapping: every pass's, composed), from which a diff is built.
   */
  files: { path: string; text: string; edits: TextEdit[] }[];
  applied: Finding[];
  /** Fixes not applied: overlapping another, or the edited file failed verification. */
  skipped: { finding: Finding; reason: string }[];
  /** The monthly change of all applied fixes together (negative saves). */
  impact: { monthlyCost: number; monthlyCarbonKg: number };
};

/**
 * A finding's identity across runs: its policy, resource, file and subject, never its message or
 * line, which a fix may change. A fix is verified by this finding no longer being reported. The file
 * keeps apart two files that declare the same resource (a copy, a resource moved in the change).
 */
export function findingKey(finding: Finding): string {
  const { policy, resource, subject } = finding;
  return JSON.stringify([policy, resource?.environment, resource?.id, finding.location.file, subject]);
}

/** Unsuppressed errors block: a failing check, exit status 1. */
export function isBlocking(findings: readonly Finding[]): boolean {
  return findings.some((finding) => finding.severity === "error" && !finding.suppressed);
}

/**
 * A fix whose edits may be computed when first read, once; one that cannot be written has no edits and
 * says why (`byHand`, computed with them). The properties stay enumerable, so JSON has them.
 */
export function fixOf(title: string, kind: Fix["kind"], edits: Edits | (() => Edits)): Fix {
  if (typeof edits !== "function") return { title, kind, ...written(edits) };
  let computed: Pick<Fix, "edits" | "byHand"> | undefined;
  return {
    title,
    kind,
    get edits() {
      computed ??= written(edits());
      return computed.edits;
    },
    get byHand() {
      computed ??= written(edits());
      return computed.byHand;
    },
  };
}

/** The fix as made by hand once its edits failed the check (`reason`): no edit, no saving. */
export function failedFix({ title, kind }: Fix, reason: string): Fix {
  return { title, kind, edits: [], byHand: "check", failedCheck: reason };
}

/** Edits as a fix holds them: none, with why, when there is nothing to write. */
function written(edits: Edits): Pick<Fix, "edits" | "byHand"> {
  if (!Array.isArray(edits)) return { edits: [], byHand: edits.byHand };
  return edits.length > 0 ? { edits } : { edits, byHand: "not-written" };
}
