import { newDiagnostics } from "../model/span.ts";
import { blame } from "./blame.ts";
import { composeEdits } from "./compose-edits.ts";
import { totalsChange } from "./evaluate.ts";
import { type Finding, type FixResult, findingKey, type TextEdit } from "./finding.ts";
import { asRead, editedFiles, fixedTexts, type Left, selectFixes } from "./fix-edits.ts";
import type { FixScope } from "./fix-scope.ts";
import { otherResourcesChanged, otherResourcesReason } from "./other-resources.ts";
import type { FixTarget, Verification } from "./types.ts";

/** As in ESLint: fixes that keep calling for more fixes stop after this many passes. */
const MAX_PASSES = 10;

export type FixOptions = {
  /**
   * Which of the findings the check still reports later passes fix (safe ones only, say): a fix may
   * call for another (requests, then the memory limit limits-ratio asks for). Without it, one pass.
   */
  accept?: (finding: Finding) => boolean;
  /** At most this many passes (default {@link MAX_PASSES}). */
  maxPasses?: number;
  /** The files fixes may edit (default: every file the run read); a fix that edits another is left out. */
  scope?: FixScope;
};

/** The texts fixed so far (path → text), the edits of each pass, and what the run's check found on them. */
type State = { texts: Map<string, string>; passes: TextEdit[][]; verification: Verification };

/**
 * Applies fixes to a fixed point, as ESLint's Linter#verifyAndFix: each pass applies the fixes whose
 * edits do not overlap (see selectFixes), then runs the check again (`verify`: parse, evaluate,
 * policies, schema). A fix whose own finding is still reported, or whose file gets a new error, is
 * dropped alone, with its reason, and the pass is checked again without it; the other fixes stay. The
 * next pass takes what the check still reports (`accept`), until nothing is left to fix or 10 passes.
 */
export async function applyFixes(
  findings: readonly Finding[],
  target: FixTarget,
  options: FixOptions = {},
): Promise<FixResult> {
  const applied: Finding[] = [];
  const left = new Map<string, Left>();
  const failed = new Set<string>();
  let state: State = { texts: new Map(), passes: [], verification: target.baseline };
  const seen = new Set(target.baseline.findings.map(findingKey));
  let candidates = findings;
  for (let pass = 0; pass < (options.maxPasses ?? MAX_PASSES); pass++) {
    const selection = selectFixes(
      candidates.filter((f) => !failed.has(findingKey(f))),
      textAt(target, state),
      options.scope,
    );
    // Lines of later passes are said in the file as read.
    const located = (entry: Left) => ({
      ...entry,
      finding: asRead(entry.finding, state.passes, target.text),
    });
    for (const entry of selection.left) left.set(findingKey(entry.finding), located(entry));
    if (selection.chosen.length === 0) break;
    const checked = await checkedPass(selection.chosen, state, target);
    for (const entry of checked.dropped) {
      left.set(findingKey(entry.finding), located(entry));
      if (!entry.retry) failed.add(findingKey(entry.finding));
    }
    for (const finding of checked.kept) left.delete(findingKey(finding));
    applied.push(...checked.kept.map((finding) => asRead(finding, state.passes, target.text)));
    state = checked.state;
    for (const finding of state.verification.findings) seen.add(findingKey(finding));
    if (!options.accept) break;
    candidates = state.verification.findings.filter(options.accept);
  }
  const reported = new Set(state.verification.findings.filter((f) => !f.suppressed).map(findingKey));
  // A fix that only waited for another (an overlap) is not left out when another fix resolved its finding.
  const resolved = (entry: Left) => {
    const key = findingKey(entry.finding);
    return entry.retry && seen.has(key) && !reported.has(key);
  };
  return result(
    target,
    state,
    applied,
    [...left.values()].filter((entry) => !resolved(entry)),
  );
}

/**
 * Which fixes pass their check each on the texts as read, as suggestions a person applies one at a
 * time: rounds of fixes that do not overlap, each round checked as a pass is (a fix that fails alone
 * is dropped with its reason); fixes that overlapped one of a round, or failed only together with
 * another, are checked in the next round.
 */
export async function checkEach(
  findings: readonly Finding[],
  target: FixTarget,
): Promise<{ passed: Finding[]; failed: Left[] }> {
  const start: State = { texts: new Map(), passes: [], verification: target.baseline };
  const passed: Finding[] = [];
  const failed: Left[] = [];
  let candidates = findings;
  while (candidates.length > 0) {
    const selection = selectFixes(candidates, textAt(target, start));
    if (selection.chosen.length === 0) break;
    const checked = await checkedPass(selection.chosen, start, target);
    passed.push(...checked.kept);
    const later = [...selection.left, ...checked.dropped];
    failed.push(...later.filter((entry) => !entry.retry));
    candidates = later.filter((entry) => entry.retry).map((entry) => entry.finding);
  }
  return { passed, failed };
}

/**
 * One pass: the chosen fixes applied on the texts fixed so far, and checked. A fix that fails its own
 * check is dropped and the others are checked again, until the pass is clean or empty.
 */
async function checkedPass(
  chosen: Finding[],
  before: State,
  target: FixTarget,
): Promise<{ kept: Finding[]; dropped: Left[]; state: State }> {
  const dropped: Left[] = [];
  let kept = chosen;
  while (kept.length > 0) {
    const texts = new Map([...before.texts, ...fixedTexts(kept, textAt(target, before))]);
    const passes = [...before.passes, kept.flatMap((f) => f.fix?.edits ?? [])];
    const after = { texts, passes, verification: await target.verify(texts) };
    const failures = await failuresOf(kept, after, before, target);
    if (failures.length === 0) return { kept, dropped, state: after };
    dropped.push(...failures);
    const out = new Set(failures.map((f) => f.finding));
    kept = kept.filter((f) => !out.has(f));
  }
  return { kept, dropped, state: before };
}

/**
 * The fixes of a pass that failed their check: their finding still reported, a new error in their
 * file, or the figures of a resource none of them is for changed (see otherResourcesChanged).
 */
async function failuresOf(kept: Finding[], after: State, before: State, target: FixTarget): Promise<Left[]> {
  const reported = new Map(
    after.verification.findings.filter((f) => !f.suppressed).map((f) => [findingKey(f), f] as const),
  );
  const failures: Left[] = [];
  for (const finding of kept) {
    const again = reported.get(findingKey(finding));
    if (again)
      failures.push({
        finding,
        reason: `after the fix, ${finding.policy} still reports: ${again.message}`,
        retry: false,
      });
  }
  const suspects = (among: Finding[]) =>
    among.filter((f) => !failures.some((failure) => failure.finding === f));
  const alone = checkAlone(before, target);
  const edited = new Set(kept.flatMap(editedFiles));
  for (const [file, error] of newErrors(after, before, edited)) {
    const own = suspects(kept.filter((f) => editedFiles(f).includes(file)));
    const shows = async (group: readonly Finding[]) =>
      newErrors(await alone(group), before, new Set([file])).get(file);
    const problem = { reason: error, together: `${error}, with another fix of the file` };
    failures.push(...(await blame(own, shows, problem)));
  }
  // The pass is checked again without the fixes that failed: they may be what changed others.
  if (failures.length > 0) return failures;
  const others = otherResourcesChanged(kept, after.verification, before.verification);
  if (others.length > 0) {
    const shows = async (group: readonly Finding[]) => {
      const checked = await alone(group);
      const changed = otherResourcesChanged(group, checked.verification, before.verification);
      return changed.length > 0 ? otherResourcesReason(changed) : undefined;
    };
    const reason = otherResourcesReason(others);
    const problem = { reason, together: `${reason}, with another fix` };
    failures.push(...(await blame(suspects(kept), shows, problem)));
  }
  return failures;
}

/** The check of some of a pass's fixes, applied without the others on the texts before the pass. */
function checkAlone(before: State, target: FixTarget): (group: readonly Finding[]) => Promise<State> {
  return async (group) => {
    const texts = new Map([...before.texts, ...fixedTexts(group, textAt(target, before))]);
    return { texts, passes: before.passes, verification: await target.verify(texts) };
  };
}

/**
 * A new error of each of these files (one the check before the pass did not report): the last, the
 * schema check's when there is one, as it comes after the parse.
 */
function newErrors(after: State, before: State, files: ReadonlySet<string>): Map<string, string> {
  const errors = new Map<string, string>();
  for (const d of newDiagnostics(before.verification.diagnostics, after.verification.diagnostics)) {
    if (d.severity !== "error" || !files.has(d.file)) continue;
    errors.set(d.file, `the fixed file would not be valid: ${d.message} (line ${d.line})`);
  }
  return errors;
}

/** The files that changed, the fixes applied, those left out with their reason, and what it all changes. */
function result(target: FixTarget, state: State, applied: Finding[], left: Left[]): FixResult {
  return {
    files: [...state.texts]
      .filter(([path, text]) => text !== target.text(path))
      .map(([path, text]) => ({ path, text, edits: editsOf(path, state.passes, target) })),
    applied,
    skipped: onceEach(left).map(({ finding, reason }) => ({ finding, reason })),
    impact: totalsChange(state.verification.totals, target.baseline.totals),
  };
}

/**
 * Each fix left out once: a kustomize base that several overlays include is a resource per overlay,
 * each with the same fix of the base (the same place, edits and reason). A fix that differs per
 * overlay (another value, or an overlay's own patch) stays apart.
 */
function onceEach(left: readonly Left[]): Left[] {
  const seen = new Set<string>();
  return left.filter(({ finding: { policy, subject, location, fix }, reason }) => {
    const { file, startOffset, endOffset } = location;
    const key = JSON.stringify([
      policy,
      subject,
      file,
      startOffset,
      endOffset,
      fix?.title,
      fix?.edits,
      reason,
    ]);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** A file's edits of every pass, composed into edits on the text as read. */
function editsOf(path: string, passes: readonly TextEdit[][], target: FixTarget): TextEdit[] {
  const own = passes.map((edits) => edits.filter((edit) => edit.file === path));
  return composeEdits(own, target.text(path) ?? "");
}

function textAt(target: FixTarget, state: State): (file: string) => string | undefined {
  return (file) => state.texts.get(file) ?? target.text(file);
}
