import type { TextEdit } from "../engine/finding.ts";
import { LineIndex } from "../iac/yaml/line-index.ts";
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
  const index = new LineIndex(before);
  const count = before.endsWith("\n") || before === "" ? index.lines - 1 : index.lines;
  const line = (n: number) => before.slice(index.offset(n + 1), index.offset(n + 2));
  const lines = [`--- ${quotePath(`a/${path}`)}`, `+++ ${quotePath(`b/${path}`)}`];
  let shift = 0;
  for (const changes of hunks(changedLines(before, index, edits))) {
    const from = Math.max(0, (changes[0] as Change).line - CONTEXT);
    const to = Math.min(count, end(changes.at(-1) as Change) + CONTEXT);
    const body: string[] = [];
    let at = from;
    let added = 0;
    for (const change of changes) {
      for (; at < change.line; at++) body.push(` ${line(at)}`);
      body.push(...change.removed.map((l) => `-${l}`), ...change.added.map((l) => `+${l}`));
      at = end(change);
      added += change.added.length - change.removed.length;
    }
    for (; at < to; at++) body.push(` ${line(at)}`);
    const old = to - from;
    lines.push(
      `@@ -${range(from, old)} +${range(from + shift, old + added)} @@`,
      ...body.flatMap(withoutNewline),
    );
    shift += added;
  }
  return `${lines.join("\n")}\n`;
}

/** Changes grouped in hunks: a change joins the hunk before when their contexts touch (≤ 6 lines apart). */
function hunks(changes: readonly Change[]): Change[][] {
  const groups: Change[][] = [];
  for (const change of changes) {
    const group = groups.at(-1);
    const previous = group?.at(-1);
    if (group && previous && change.line - end(previous) <= 2 * CONTEXT) group.push(change);
    else groups.push([change]);
  }
  return groups;
}

/** A hunk header's range: its first line (1-based; the line before it when it is empty) and its size. */
function range(from: number, size: number): string {
  return `${size === 0 ? from : from + 1},${size}`;
}

function end(change: Change): number {
  return change.line + change.removed.length;
}

/** A line of the diff without its line break, followed by git's marker when it had none. */
function withoutNewline(line: string): string[] {
  return line.endsWith("\n") ? [line.slice(0, -1)] : [line, "\\ No newline at end of file"];
}

/**
 * Edits on whole lines, from `from` to `to` (edits that share a line share a region); `endsLine`: the text written up to the last edit's end
 * ends a line (or is empty), so a last edit ending at a line start ends the region there.
 */
type Region = { from: number; to: number; edits: TextEdit[]; endsLine: boolean };

/**
 * The runs of lines the edits change: each edit widened to whole lines, edits on one line joined, the
 * lines a run leaves as they were at its start and end taken out of it, then runs without an unchanged
 * line between them joined.
 */
function changedLines(before: string, index: LineIndex, edits: readonly TextEdit[]): Change[] {
  const regions: Region[] = [];
  for (const edit of edits) {
    const from = index.offset(index.lineOf(edit.start) + 1);
    let region = regions.at(-1);
    if (!region || from >= region.to) {
      region = { from, to: from, edits: [], endsLine: true };
      regions.push(region);
    }
    const kept = before.slice(region.edits.at(-1)?.end ?? region.from, edit.start);
    if (edit.text !== "") region.endsLine = edit.text.endsWith("\n");
    else if (kept !== "") region.endsLine = kept.endsWith("\n");
    region.edits.push(edit);
    const atLineStart = edit.end === 0 || before[edit.end - 1] === "\n";
    const to = atLineStart && region.endsLine ? edit.end : index.offset(index.lineOf(edit.end) + 2);
    region.to = Math.max(region.to, to);
  }
  const changes = regions.flatMap(({ from, to, edits }) => {
    const pieces: string[] = [];
    let at = from;
    for (const edit of edits) {
      pieces.push(before.slice(at, edit.start), edit.text);
      at = edit.end;
    }
    pieces.push(before.slice(at, to));
    return trimmed(index.lineOf(from), splitLines(before.slice(from, to)), splitLines(pieces.join("")));
  });
  return joined(changes);
}

/** Changes with no unchanged line between them as one: git shows their removed lines, then their added ones. */
function joined(changes: readonly Change[]): Change[] {
  const runs: Change[] = [];
  for (const change of changes) {
    const previous = runs.at(-1);
    if (previous && change.line === end(previous)) {
      previous.removed.push(...change.removed);
      previous.added.push(...change.added);
    } else runs.push(change);
  }
  return runs;
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
