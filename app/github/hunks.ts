/** The lines of the new side of a file that a pull request's diff shows, hunk by hunk (1-based, inclusive). */
export type Hunk = { start: number; end: number };

const HUNK_HEADER = /^@@ -\d+(?:,\d+)? \+(\d+)(?:,(\d+))? @@/;

/**
 * Parses the hunk headers of a unified diff (`patch` of the compare and pull request files APIs).
 * Review comments on the RIGHT side may anchor only on these lines, and a multi-line comment only
 * within one hunk: GitHub rejects the whole review otherwise.
 */
export function parseHunks(patch: string): Hunk[] {
  const hunks: Hunk[] = [];
  for (const line of patch.split("\n")) {
    const match = HUNK_HEADER.exec(line);
    if (!match) continue;
    const start = Number(match[1]);
    const count = match[2] === undefined ? 1 : Number(match[2]);
    if (count > 0) hunks.push({ start, end: start + count - 1 });
  }
  return hunks;
}

/** Whether lines `start`..`end` all lie in one hunk. */
export function withinOneHunk(hunks: Hunk[], start: number, end: number): boolean {
  return hunks.some((hunk) => hunk.start <= start && end <= hunk.end);
}
