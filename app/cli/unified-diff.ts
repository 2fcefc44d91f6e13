import type { TextEdit } from "../engine/finding.ts";
import { quotePath } from "../source/quote-path.ts";

/** Lines of unchanged text around each change, as `git diff` shows them. */
const CONTEXT = 3;

/** A run of changed lines: the lines as read from `line` (0-based) on, and the lines written there. */
type Change = { line: number; removed: string[]; added: string[] };

/**
 * The unified diff of a file changed by `edits` (on `before`, sorted and not overlapping, as a fix
 * result's files carry them): built from the edited ranges, so its time grows with the file and the
 * edits, never with their product as comparing the two texts line by line does. Hunks have 3 lines of
 * context and merge when their contexts touch, as in `git diff`.
 */
export function unifiedDiff(path: string, before: string, edits: readonly TextEdit[]): string {
  const starts = lineStarts(before);
  const changes = changedLines(before, starts, edits);
  const lines = [`--- ${quotePath(`a/${path}`)}`, `+++ ${quotePath(`b/${path}`)}`];
  const count = before.endsWith("\n") || before === "" ? starts.length - 1 : starts.length;
  const line = (n: number) => before.slice(starts[n], starts[n + 1] ?? before.length);
  let shift = 0;
  for (let first = 0; first < changes.length; ) {
    let last = first;
    const next = () => changes[last + 1];
    while (next() && (next()?.line ?? 0) - end(changes[last] as Change) <= 2 * CONTEXT) last++;
    const from = Math.max(0, (changes[first] as Change).line - CONTEXT);
    const to = Math.min(count, end(changes[last] as Change) + CONTEXT);
    const body: string[] = [];
    let at = from;
    let added = 0;
    for (const change of changes.slice(first, last + 1)) {
      for (; at < change.line; at++) body.push(` ${line(at)}`);
      body.push(...change.removed.map((l) => `-${l}`), ...change.added.map((l) => `+${l}`));
      at = end(change);
      added += change.added.length - change.removed.length;
    }
    for (; at < to; at++) body.push(` ${line(at)}`);
    const old = to - from;
    const start = (n: number, size: number) => (size === 0 ? n : n + 1);
    lines.push(`@@ -${start(from, old)},${old} +${start(from + shift, old + added)},${old + added} @@`);
    lines.push(...body.flatMap(withoutNewline));
    shift += added;
    first = last + 1;
  }
  return `${lines.join("\n")}\n`;
}

function end(change: Change): number {
  return change.line + change.removed.length;
}

/** A line of the diff without its line break, followed by git's marker when it had none. */
function withoutNewline(line: string): string[] {
  return line.endsWith("\n") ? [line.slice(0, -1)] : [line, "\\ No newline at end of file"];
}

function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = text.indexOf("\n"); i !== -1; i = text.indexOf("\n", i + 1)) starts.push(i + 1);
  return starts;
}

/**
 * Edits on whole lines, from `from` to `to`; `endsLine`: the text written up to the last edit's end
 * ends a line (or is empty), so a last edit ending at a line start ends the region there.
 */
type Region = { from: number; to: number; edits: TextEdit[]; endsLine: boolean };

/**
 * The runs of lines the edits change: each edit widened to whole lines, edits on one line or on
 * adjacent lines joined (git shows their removed lines, then their added ones), and the lines a run
 * leaves as they were at its start and end taken out of it.
 */
function changedLines(before: string, starts: readonly number[], edits: readonly TextEdit[]): Change[] {
  const lineOf = lineFinder(starts);
  const regions: Region[] = [];
  for (const edit of edits) {
    const from = starts[lineOf(edit.start)] ?? 0;
    let region = regions.at(-1);
    if (!region || from > region.to) {
      region = { from, to: from, edits: [], endsLine: true };
      regions.push(region);
    }
    const kept = before.slice(region.edits.at(-1)?.end ?? region.from, edit.start);
    if (edit.text !== "") region.endsLine = edit.text.endsWith("\n");
    else if (kept !== "") region.endsLine = kept.endsWith("\n");
    region.edits.push(edit);
    const atLineStart = edit.end === 0 || before[edit.end - 1] === "\n";
    const to = atLineStart && region.endsLine ? edit.end : (starts[lineOf(edit.end) + 1] ?? before.length);
    region.to = Math.max(region.to, to);
  }
  return regions.flatMap(({ from, to, edits }) => {
    const pieces: string[] = [];
    let at = from;
    for (const edit of edits) {
      pieces.push(before.slice(at, edit.start), edit.text);
      at = edit.end;
    }
    pieces.push(before.slice(at, to));
    return trimmed(lineOf(from), splitLines(before.slice(from, to)), splitLines(pieces.join("")));
  });
}

function lineFinder(starts: readonly number[]): (offset: number) => number {
  return (offset) => {
    let [low, high] = [0, starts.length - 1];
    while (low < high) {
      const middle = (low + high + 1) >> 1;
      if ((starts[middle] ?? 0) <= offset) low = middle;
      else high = middle - 1;
    }
    return low;
  };
}

function splitLines(text: string): string[] {
  return text === "" ? [] : (text.match(/[^\n]*\n|[^\n]+$/g) ?? []);
}

/** The run without the lines it keeps at its start and end; nothing when it changes no line. */
function trimmed(line: number, removed: string[], added: string[]): Change[] {
  let head = 0;
  while (head < removed.length && head < added.length && removed[head] === added[head]) head++;
  let tail = 0;
  while (
    tail < removed.length - head &&
    tail < added.length - head &&
    removed[removed.length - 1 - tail] === added[added.length - 1 - tail]
  )
    tail++;
  const change = {
    line: line + head,
    removed: removed.slice(head, removed.length - tail),
    added: added.slice(head, added.length - tail),
  };
  return change.removed.length + change.added.length === 0 ? [] : [change];
}
