import { LineIndex } from "../iac/yaml/line-index.ts";
import type { Finding, TextEdit } from "./finding.ts";
import type { FixScope } from "./fix-scope.ts";

/** A fix left out of a pass, and why; `retry`: a later pass may apply it (it overlapped another). */
export type Left = { finding: Finding; reason: string; retry: boolean };

/**
 * One pass's fixes, as ESLint's source-code-fixer chooses them: fixable, unsuppressed findings in report
 * order, each unless it overlaps one chosen before (left for the next pass, never forced), edits a file
 * not read completely or outside `scope` (left out whole), has no edit it can write, or would delete a
 * comment.
 */
export function selectFixes(
  findings: readonly Finding[],
  text: (file: string) => string | undefined,
  scope?: FixScope,
): { chosen: Finding[]; left: Left[] } {
  const taken = new Map<string, [number, number, Finding][]>();
  const chosen: Finding[] = [];
  const left: Left[] = [];
  const leave = (finding: Finding, reason: string, retry = false) => left.push({ finding, reason, retry });
  for (const finding of findings) {
    if (!finding.fix || finding.suppressed) continue;
    if (finding.fix.edits.length === 0) {
      leave(
        finding,
        "its edit cannot be written here (a value not written in the file, shared through a YAML anchor, or computed when a program runs): make it by hand",
      );
      continue;
    }
    const outside = scope ? editedFiles(finding).filter((file) => !scope.includes(file)) : [];
    if (scope && outside.length > 0) {
      leave(finding, scope.leftOut(outside));
      continue;
    }
    if (finding.fix.edits.some((edit) => text(edit.file) === undefined)) {
      leave(finding, "a file it edits was not read completely");
      continue;
    }
    const clash = finding.fix.edits
      .map((edit) => (taken.get(edit.file) ?? []).find(([start, end]) => overlaps(edit, start, end)))
      .find(Boolean);
    if (clash) {
      const other = clash[2];
      leave(
        finding,
        `it overlaps the fix of ${other.policy} at line ${other.location.startLine}; run the fix again`,
        true,
      );
      continue;
    }
    if (finding.fix.edits.some((edit) => (text(edit.file) ?? "").slice(edit.start, edit.end).includes("#"))) {
      leave(finding, "it would remove a comment");
      continue;
    }
    for (const edit of finding.fix.edits) {
      const ranges = taken.get(edit.file) ?? [];
      ranges.push([edit.start, edit.end, finding]);
      taken.set(edit.file, ranges);
    }
    chosen.push(finding);
  }
  return { chosen, left };
}

/** Two edits overlap when their ranges intersect, or both insert at the same place (their order is unknown). */
function overlaps(edit: TextEdit, start: number, end: number): boolean {
  if (edit.start === edit.end && start === end) return edit.start === start;
  return edit.start < end && start < edit.end;
}

/** The texts of the files the findings' fixes edit (files not read are left out), with the edits applied. */
export function fixedTexts(
  findings: readonly Finding[],
  text: (file: string) => string | undefined,
): Map<string, string> {
  return editedTexts(
    findings.flatMap((f) => f.fix?.edits ?? []),
    text,
  );
}

/** The texts of the files some edits change (files not read are left out), with the edits applied. */
export function editedTexts(
  edits: readonly TextEdit[],
  text: (file: string) => string | undefined,
): Map<string, string> {
  const byFile = new Map<string, TextEdit[]>();
  for (const edit of edits) byFile.set(edit.file, [...(byFile.get(edit.file) ?? []), edit]);
  return new Map(
    [...byFile].flatMap(([file, edits]) => {
      const original = text(file);
      return original === undefined ? [] : [[file, applyEdits(original, edits)] as const];
    }),
  );
}

/** The files a finding's fix edits. */
export function editedFiles(finding: Finding): string[] {
  return [...new Set(finding.fix?.edits.map((e) => e.file) ?? [])];
}

/**
 * The text with the edits applied (they must not overlap), in one pass: the edits of a file of
 * thousands of fixes, each applied to the whole text, copied it once per edit. At one place, the text
 * of an insertion comes before a replacement's, and a later insertion's before an earlier one's.
 */
export function applyEdits(text: string, edits: readonly TextEdit[]): string {
  const order = edits
    .map((edit, index) => ({ edit, index }))
    .sort((a, b) => a.edit.start - b.edit.start || a.edit.end - b.edit.end || b.index - a.index);
  const parts: string[] = [];
  let at = 0;
  for (const { edit } of order) {
    parts.push(text.slice(at, edit.start), edit.text);
    at = Math.max(at, edit.end);
  }
  parts.push(text.slice(at));
  return parts.join("");
}

/**
 * A finding of a later pass located in the text as it was read: its offsets carried back through the
 * edits of the passes before (`passes`, first first; a place inside inserted text goes to where it was
 * inserted), so every line a summary shows is a line of the file before the fix.
 */
export function asRead(
  finding: Finding,
  passes: readonly TextEdit[][],
  text: (file: string) => string | undefined,
): Finding {
  const { file, startOffset, endOffset } = finding.location;
  const original = text(file);
  if (passes.length === 0 || original === undefined) return finding;
  let [start, end] = [startOffset, endOffset];
  for (const edits of [...passes].reverse()) {
    const own = edits.filter((edit) => edit.file === file).sort((a, b) => a.start - b.start);
    [start, end] = [before(start, own), before(end, own)];
  }
  return { ...finding, location: new LineIndex(original).span(file, start, Math.max(start, end)) };
}

/** An offset of an edited text in the text before the edits (sorted, not overlapping). */
function before(offset: number, edits: readonly TextEdit[]): number {
  let shift = 0;
  for (const edit of edits) {
    const start = edit.start + shift;
    if (offset < start) break;
    if (offset < start + edit.text.length) return edit.start;
    shift += edit.text.length - (edit.end - edit.start);
  }
  return offset - shift;
}
