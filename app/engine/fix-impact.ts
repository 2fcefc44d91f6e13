import { documentPiece } from "../iac/yaml/document-piece.ts";
import type { Resource } from "../model/resource.ts";
import { byHand } from "./by-hand.ts";
import { estimateParsed, reparse, sumEstimates, totalsChange } from "./evaluate.ts";
import type { Finding, TextEdit } from "./finding.ts";
import { applyEdits, editedTexts } from "./fix-edits.ts";
import { type FilesMeter, localMeter, type ReplacedFiles } from "./fix-impact-local.ts";
import type { Evaluation, FixTarget, ParsedFile, Totals } from "./types.ts";

/**
 * What replacing some files' texts changes in the monthly totals, or undefined when it cannot say.
 * `edits`, when given, are those that made the texts: a YAML file is then parsed again only where
 * they are (see documentPiece).
 */
type ImpactMeter = (texts: ReadonlyMap<string, string>, edits?: readonly TextEdit[]) => Totals | undefined;

/** What some edits would change each month. */
export type Impact = (edits: TextEdit[]) => Promise<Totals>;

/**
 * How many fixes of a review have their saving measured, in report order: more than any table shows
 * (50 rows, GitHub's 30), while a measure may estimate the fix's environment again (see
 * {@link impactMeter}). A generated file of 5,000 workloads, two fixes each, would take minutes and
 * gigabytes; the fixes past these show no saving (`impact: null`).
 */
export const MEASURED_FIXES_MAX = 1_000;

/** Sets what each fix of a review would save (`fix.impact`), for its first {@link MEASURED_FIXES_MAX} fixes. */
export async function measureFixes(findings: readonly Finding[], impact: Impact): Promise<void> {
  let measured = 0;
  for (const finding of findings) {
    if (!finding.fix || finding.suppressed || byHand(finding.fix)) continue;
    if (measured++ === MEASURED_FIXES_MAX) return;
    finding.fix.impact = await impact(finding.fix.edits);
  }
}

/**
 * What edits would change each month: measured by the cheap meter (see {@link impactMeter}, built when
 * first asked), or, for files it cannot measure (settings), by the run's whole check on the fixed texts.
 */
export function fixImpact(
  evaluation: Evaluation,
  adjust: (evaluation: Evaluation) => Evaluation,
  target: FixTarget,
): Impact {
  let meter: ImpactMeter | undefined;
  return async (edits) => {
    meter ??= impactMeter(evaluation, adjust);
    const fixed = editedTexts(edits, target.text);
    return meter(fixed, edits) ?? totalsChange((await target.verify(fixed)).totals, target.baseline.totals);
  };
}

/**
 * Measures a fix cheaply: only the edited files are parsed again, no policy runs, and only their own
 * resources are linked and estimated again where that is sure to give the same figures (see
 * {@link localMeter}); else their environments, whole ({@link wholeEnvironmentMeter}). Files it did not
 * parse (settings) are not measured here. `adjust` applies to every estimate what the full run applies
 * (telemetry's observed energy).
 */
export function impactMeter(
  evaluation: Evaluation,
  adjust: (evaluation: Evaluation) => Evaluation = (e) => e,
): ImpactMeter {
  const replace = replacedFiles(evaluation);
  const local = localMeter(evaluation, adjust);
  const whole = wholeEnvironmentMeter(evaluation, adjust);
  return (texts, edits) => {
    const replaced = replace(texts, edits);
    return replaced && (local(replaced) ?? whole(replaced));
  };
}

/**
 * The run's parsed files that some fixed texts replace, parsed again; undefined if one was not parsed,
 * or is a project's root (a kustomization): a project is rendered again from all its files by the
 * run's whole check, never parsed alone (which read none of a Kustomize render's objects).
 */
export function replacedFiles(
  evaluation: Evaluation,
): (texts: ReadonlyMap<string, string>, edits?: readonly TextEdit[]) => ReplacedFiles | undefined {
  // A file deployed by several ArgoCD Applications was read once per Application.
  const byPath = Map.groupBy(evaluation.parsed, (file) => file.path);
  return (texts, edits) => {
    const replaced = new Map<ParsedFile, ParsedFile>();
    for (const [path, text] of texts) {
      const files = byPath.get(path);
      if (!files || files.some((file) => file.project)) return undefined;
      const own = edits?.filter((edit) => edit.file === path) ?? [];
      for (const file of files) replaced.set(file, reparseEdited(file, text, own));
    }
    return replaced;
  };
}

/**
 * The reference measure: each environment of the replaced files estimated whole, every format of it,
 * so that an object it declares twice in two formats (a manifest and a Kustomize render) is counted
 * once, as the run counts it.
 */
export function wholeEnvironmentMeter(
  evaluation: Evaluation,
  adjust: (evaluation: Evaluation) => Evaluation,
): FilesMeter {
  const groups = Map.groupBy(evaluation.parsed, (file) => file.basis.environment);
  const baseline = new Map<string, Totals>();
  const totalsOf = (files: ParsedFile[]) =>
    sumEstimates(adjust(estimateParsed({ parsed: files, diagnostics: [] })).resources);
  return (replaced) => {
    const delta = { monthlyCost: 0, monthlyCarbonKg: 0 };
    for (const key of new Set([...replaced.values()].map((file) => file.basis.environment))) {
      const files = groups.get(key) ?? [];
      const before = baseline.get(key) ?? totalsOf(files);
      baseline.set(key, before);
      const after = totalsOf(files.map((file) => replaced.get(file) ?? file));
      delta.monthlyCost += after.monthlyCost - before.monthlyCost;
      delta.monthlyCarbonKg += after.monthlyCarbonKg - before.monthlyCarbonKg;
    }
    return delta;
  };
}

/**
 * A file parsed again with its edited text: of a Kubernetes manifest whose edits lie in one document,
 * only that document's piece (see documentPiece), its other objects kept as they were; else the whole
 * file. A file of thousands of workloads, each with a fix, is not parsed whole once per fix. Used for
 * totals only: the objects of a piece parsed alone have the same ids, not the same lines.
 */
function reparseEdited(file: ParsedFile, text: string, edits: readonly TextEdit[]): ParsedFile {
  const resources = file.result.resources;
  const document = resources[0]?.source.document;
  if (file.format.id !== "kubernetes" || !document || edits.length === 0) return reparse(file, text);
  const start = Math.min(...edits.map((edit) => edit.start));
  const end = Math.max(...edits.map((edit) => edit.end));
  const piece = documentPiece(document, start, end);
  const indexOf = (resource: Resource) => resource.source.document?.index ?? -1;
  if (!piece || resources.some((resource) => indexOf(resource) < 0)) return reparse(file, text);
  const shifted = edits.map((edit) => ({
    ...edit,
    start: edit.start - piece.from,
    end: edit.end - piece.from,
  }));
  const parsed = reparse(file, applyEdits(piece.text, shifted)).result.resources;
  const rest = (keep: (index: number) => boolean) => resources.filter((r) => keep(indexOf(r)));
  const ids = (list: Resource[]) => list.map((r) => r.id).join("\0");
  if (ids(parsed) !== ids(rest((i) => i === piece.index))) return reparse(file, text);
  return {
    ...file,
    result: {
      resources: [...rest((i) => i < piece.index), ...parsed, ...rest((i) => i > piece.index)],
      diagnostics: file.result.diagnostics,
    },
  };
}
