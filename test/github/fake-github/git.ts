import { createHash } from "node:crypto";

/** A commit of the fake: its files (path → blob id), parents and message. */
export type FakeCommit = { sha: string; tree: Map<string, string>; parents: string[]; message: string };

/** Git's object id of a blob: sha1 of "blob <size>\0<content>". */
export function blobId(text: string): string {
  const bytes = Buffer.from(text);
  return createHash("sha1").update(`blob ${bytes.length}\0`).update(bytes).digest("hex");
}

/** The first ancestor of `head` that is also an ancestor of `base` (breadth first), as git merge-base finds it. */
export function mergeBase(commits: Map<string, FakeCommit>, base: string, head: string): string {
  const ofBase = ancestors(commits, base);
  for (const sha of walk(commits, head)) if (ofBase.has(sha)) return sha;
  throw new Error(`no merge base for ${base} and ${head}`);
}

function ancestors(commits: Map<string, FakeCommit>, start: string): Set<string> {
  return new Set(walk(commits, start));
}

function* walk(commits: Map<string, FakeCommit>, start: string): Generator<string> {
  const queue = [start];
  const seen = new Set<string>();
  while (queue.length > 0) {
    const sha = queue.shift() as string;
    if (seen.has(sha)) continue;
    seen.add(sha);
    yield sha;
    queue.push(...(commits.get(sha)?.parents ?? []));
  }
}

const CONTEXT = 3;
/** Files larger than this get no `patch`, as GitHub leaves it out for large diffs. */
const PATCH_MAX_LINES = 3000;

/**
 * A unified diff of two texts with 3 lines of context (the fake's own: an LCS diff, as `git diff`
 * would show the same changes); undefined when the file is too large for a patch.
 */
export function unifiedPatch(before: string, after: string): string | undefined {
  const a = splitLines(before);
  const b = splitLines(after);
  if (a.length > PATCH_MAX_LINES || b.length > PATCH_MAX_LINES) return undefined;
  const ops = lcsOps(a, b);
  const hunks: string[] = [];
  let i = 0;
  while (i < ops.length) {
    if (ops[i]?.kind === "same") {
      i++;
      continue;
    }
    let start = Math.max(0, i - CONTEXT);
    let end = i;
    // extend over changes separated by at most 2 × CONTEXT unchanged lines
    for (;;) {
      while (end < ops.length && ops[end]?.kind !== "same") end++;
      let next = end;
      while (next < ops.length && ops[next]?.kind === "same") next++;
      if (next < ops.length && next - end <= 2 * CONTEXT) end = next;
      else break;
    }
    const stop = Math.min(ops.length, end + CONTEXT);
    const slice = ops.slice(start, stop);
    const first = ops[start] as Op;
    const oldCount = slice.filter((op) => op.kind !== "add").length;
    const newCount = slice.filter((op) => op.kind !== "del").length;
    const oldStart = oldCount === 0 ? first.a : first.a + 1;
    const newStart = newCount === 0 ? first.b : first.b + 1;
    hunks.push(
      `@@ -${oldStart},${oldCount} +${newStart},${newCount} @@`,
      ...slice.map((op) => `${op.kind === "same" ? " " : op.kind === "add" ? "+" : "-"}${op.line}`),
    );
    i = stop;
    start = stop;
  }
  return hunks.join("\n");
}

type Op = { kind: "same" | "add" | "del"; line: string; a: number; b: number };

function splitLines(text: string): string[] {
  if (text === "") return [];
  const lines = text.split("\n");
  if (lines.at(-1) === "") lines.pop();
  return lines;
}

function lcsOps(a: string[], b: string[]): Op[] {
  const n = a.length;
  const m = b.length;
  const table = Array.from({ length: n + 1 }, () => new Uint16Array(m + 1));
  for (let i = n - 1; i >= 0; i--) {
    const row = table[i] as Uint16Array;
    const below = table[i + 1] as Uint16Array;
    for (let j = m - 1; j >= 0; j--) {
      row[j] =
        a[i] === b[j] ? (below[j + 1] as number) + 1 : Math.max(below[j] as number, row[j + 1] as number);
    }
  }
  const ops: Op[] = [];
  let i = 0;
  let j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && a[i] === b[j]) ops.push({ kind: "same", line: a[i++] as string, a: i - 1, b: j++ });
    else if (j < m && (i === n || (table[i]?.[j + 1] ?? 0) >= (table[i + 1]?.[j] ?? 0)))
      ops.push({ kind: "add", line: b[j++] as string, a: i, b: j - 1 });
    else ops.push({ kind: "del", line: a[i++] as string, a: i - 1, b: j });
  }
  return ops;
}

/** The lines of the new side a patch shows (the fake's check of review anchors, independent of the App's). */
export function commentableRanges(patch: string): [number, number][] {
  const ranges: [number, number][] = [];
  for (const match of patch.matchAll(/^@@ -\d+,\d+ \+(\d+),(\d+) @@/gm)) {
    const start = Number(match[1]);
    const count = Number(match[2]);
    if (count > 0) ranges.push([start, start + count - 1]);
  }
  return ranges;
}
