import { estimateParsed, reparse, sumEstimates, totalsChange } from "./evaluate.ts";
import type { Finding, TextEdit } from "./finding.ts";
import { editedTexts } from "./fix-edits.ts";
import type { Evaluation, FixTarget, ParsedFile, Totals } from "./types.ts";

/** What replacing some files' texts changes in the monthly totals, or undefined when it cannot say. */
type ImpactMeter = (texts: ReadonlyMap<string, string>) => Totals | undefined;

/** What some edits would change each month. */
export type Impact = (edits: TextEdit[]) => Promise<Totals>;

/** Sets what each fix of a review would save (`fix.impact`). */
export async function measureFixes(findings: readonly Finding[], impact: Impact): Promise<void> {
  for (const finding of findings) {
    if (!finding.fix || finding.suppressed || finding.fix.edits.length === 0) continue;
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
    return meter(fixed) ?? totalsChange((await target.verify(fixed)).totals, target.baseline.totals);
  };
}

/**
 * Measures a fix cheaply: only the edited files are parsed again, and only their environments are
 * linked and estimated again; no policy runs. Files it did not parse (settings) are not measured here.
 * `adjust` applies to every estimate what the full run applies (telemetry's observed energy).
 */
export function impactMeter(
  evaluation: Evaluation,
  adjust: (evaluation: Evaluation) => Evaluation = (e) => e,
): ImpactMeter {
  // A file deployed by several ArgoCD Applications was read once per Application.
  const byPath = new Map<string, ParsedFile[]>();
  for (const file of evaluation.parsed) byPath.set(file.path, [...(byPath.get(file.path) ?? []), file]);
  const groups = new Map<string, ParsedFile[]>();
  for (const file of evaluation.parsed) {
    const key = groupKey(file);
    groups.set(key, [...(groups.get(key) ?? []), file]);
  }
  const baseline = new Map<string, Totals>();
  const totalsOf = (files: ParsedFile[]) =>
    sumEstimates(adjust(estimateParsed({ parsed: files, diagnostics: [] })).resources);
  return (texts) => {
    const replaced = new Map<ParsedFile, ParsedFile>();
    for (const [path, text] of texts) {
      const files = byPath.get(path);
      if (!files) return undefined;
      for (const file of files) replaced.set(file, reparse(file, text));
    }
    const delta = { monthlyCost: 0, monthlyCarbonKg: 0 };
    for (const key of new Set([...replaced.values()].map(groupKey))) {
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

function groupKey(file: ParsedFile): string {
  return `${file.format.id}\0${file.basis.environment}`;
}
