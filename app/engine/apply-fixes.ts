import type { Diagnostic } from "../model/span.ts";
import type { Finding, FixResult, TextEdit } from "./finding.ts";
import type { Totals } from "./policy.ts";

/** What re-running the engine on fixed texts found: the check every fix must pass before it is kept. */
export type Verification = {
  totals: Totals;
  findings: Finding[];
  /** Diagnostics of the fixed files (a fix must not add errors). */
  diagnostics: Diagnostic[];
};

export type Verifier = (texts: ReadonlyMap<string, string>) => Promise<Verification>;

/**
 * Applies the fixes of the findings (ESLint's source-code-fixer: edits sorted, a fix whose edits
 * overlap an earlier one is skipped and reported, never forced), then verifies the result: the edited
 * files still parse with no new error, no edit removed a comment, and the engine run again no longer
 * reports the fixed findings. Fixes that fail verification are dropped, file by file.
 */
export async function applyFixes(
  findings: readonly Finding[],
  text: (file: string) => string | undefined,
  verify: Verifier,
  baseline: Verification,
): Promise<FixResult> {
  const skipped: FixResult["skipped"] = [];
  const accepted = selectFixes(findings, text, skipped);
  let texts = fixedTexts(accepted, text);
  let verification = await verify(texts);
  const failed = failedFiles(accepted, texts, verification, baseline);
  if (failed.size > 0) {
    for (const finding of accepted.filter(
      (f) => failed.has(f.location.file) || editedFiles(f).some((p) => failed.has(p)),
    )) {
      skipped.push({
        finding,
        reason: failed.get(editedFiles(finding).find((p) => failed.has(p)) ?? "") ?? "verification failed",
      });
    }
    const kept = accepted.filter((f) => !editedFiles(f).some((p) => failed.has(p)));
    texts = fixedTexts(kept, text);
    verification = await verify(texts);
    accepted.splice(0, accepted.length, ...kept);
  }
  return {
    files: [...texts].map(([path, newText]) => ({ path, text: newText })),
    applied: accepted,
    skipped,
    impact: {
      monthlyCost: verification.totals.monthlyCost - baseline.totals.monthlyCost,
      monthlyCarbonKg: verification.totals.monthlyCarbonKg - baseline.totals.monthlyCarbonKg,
    },
  };
}

/** Fixable, unsuppressed findings whose edits do not overlap, in report order; the others are reported. */
function selectFixes(
  findings: readonly Finding[],
  text: (file: string) => string | undefined,
  skipped: FixResult["skipped"],
): Finding[] {
  const taken = new Map<string, [number, number, Finding][]>();
  const accepted: Finding[] = [];
  for (const finding of findings) {
    if (!finding.fix || finding.suppressed) continue;
    if (finding.fix.edits.length === 0) {
      skipped.push({
        finding,
        reason:
          "its edit cannot be written here (a value not written in the file, shared through a YAML anchor, or computed when a program runs): make it by hand",
      });
      continue;
    }
    if (finding.fix.edits.some((edit) => text(edit.file) === undefined)) {
      skipped.push({ finding, reason: "a file it edits was not read completely" });
      continue;
    }
    const clash = finding.fix.edits
      .map((edit) => (taken.get(edit.file) ?? []).find(([start, end]) => overlaps(edit, start, end)))
      .find(Boolean);
    if (clash) {
      skipped.push({
        finding,
        reason: `it overlaps the fix of ${clash[2].policy} at line ${clash[2].location.startLine}; run the fix again`,
      });
      continue;
    }
    const removesComment = finding.fix.edits.some((edit) =>
      (text(edit.file) ?? "").slice(edit.start, edit.end).includes("#"),
    );
    if (removesComment) {
      skipped.push({ finding, reason: "it would remove a comment" });
      continue;
    }
    for (const edit of finding.fix.edits) {
      const ranges = taken.get(edit.file) ?? [];
      ranges.push([edit.start, edit.end, finding]);
      taken.set(edit.file, ranges);
    }
    accepted.push(finding);
  }
  return accepted;
}

/** Two edits overlap when their ranges intersect, or both insert at the same place (their order is unknown). */
function overlaps(edit: TextEdit, start: number, end: number): boolean {
  if (edit.start === edit.end && start === end) return edit.start === start;
  return edit.start < end && start < edit.end;
}

function fixedTexts(
  findings: readonly Finding[],
  text: (file: string) => string | undefined,
): Map<string, string> {
  const byFile = new Map<string, TextEdit[]>();
  for (const edit of findings.flatMap((f) => f.fix?.edits ?? []))
    byFile.set(edit.file, [...(byFile.get(edit.file) ?? []), edit]);
  return new Map([...byFile].map(([file, edits]) => [file, applyEdits(text(file) ?? "", edits)]));
}

/** The text with the edits applied (they must not overlap). */
export function applyEdits(text: string, edits: readonly TextEdit[]): string {
  let result = text;
  for (const edit of [...edits].sort((a, b) => b.start - a.start || b.end - a.end)) {
    result = result.slice(0, edit.start) + edit.text + result.slice(edit.end);
  }
  return result;
}

/**
 * Files whose fixes made things worse: a new error, or a fixed finding still reported (a policy
 * reports no fewer findings on a resource than before, less the ones fixed).
 */
function failedFiles(
  applied: readonly Finding[],
  texts: ReadonlyMap<string, string>,
  verification: Verification,
  before: Verification,
): Map<string, string> {
  const failed = new Map<string, string>();
  const known = new Set(before.diagnostics.map((d) => `${d.file}\0${d.message}`));
  for (const diagnostic of verification.diagnostics) {
    if (
      diagnostic.severity === "error" &&
      texts.has(diagnostic.file) &&
      !known.has(`${diagnostic.file}\0${diagnostic.message}`)
    ) {
      failed.set(
        diagnostic.file,
        `the fixed file would not be valid: ${diagnostic.message} (line ${diagnostic.line})`,
      );
    }
  }
  const remaining = countBy(before.findings);
  for (const finding of applied) remaining.set(keyOf(finding), (remaining.get(keyOf(finding)) ?? 0) - 1);
  const after = countBy(verification.findings);
  for (const finding of applied) {
    const file = editedFiles(finding)[0];
    const allowed = Math.max(0, remaining.get(keyOf(finding)) ?? 0);
    if ((after.get(keyOf(finding)) ?? 0) <= allowed || !file || failed.has(file)) continue;
    const again = verification.findings.find((f) => keyOf(f) === keyOf(finding));
    failed.set(file, `after the fix, ${finding.policy} still reports: ${again?.message ?? finding.message}`);
  }
  return failed;
}

function keyOf(finding: Finding): string {
  return `${finding.policy}\0${finding.resource?.id ?? finding.location.file}`;
}

function countBy(findings: readonly Finding[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const finding of findings)
    if (!finding.suppressed) counts.set(keyOf(finding), (counts.get(keyOf(finding)) ?? 0) + 1);
  return counts;
}

function editedFiles(finding: Finding): string[] {
  return [...new Set(finding.fix?.edits.map((e) => e.file) ?? [])];
}
