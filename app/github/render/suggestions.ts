import { createHash } from "node:crypto";
import type { Finding, TextEdit } from "../../engine/finding.ts";
import { counted } from "../../model/words.ts";
import { impactText } from "../../report/findings-markdown.ts";
import { type Hunk, withinOneHunk } from "../hunks.ts";
import { REVIEW_COMMENTS_MAX } from "../limits.ts";
import type { ReviewComment } from "../write/review.ts";

export type Suggestion = { finding: Finding; fingerprint: string; comment: ReviewComment };

const REVIEW_MARKER = "<!-- greenops:review";

/**
 * A finding's fix as a GitHub suggestion: the whole lines its edits touch, with the edits applied.
 * None when the fix spans files, its lines are not all inside one hunk of the pull request's diff
 * (GitHub would reject the whole review), or it changes nothing.
 */
export function suggestionFor(
  finding: Finding,
  text: string,
  hunks: Hunk[] | undefined,
): Suggestion | undefined {
  const edits = finding.fix?.edits ?? [];
  const file = edits[0]?.file;
  if (!file || !hunks || edits.some((e) => e.file !== file)) return undefined;
  const start = lineStart(text, Math.min(...edits.map((e) => e.start)));
  const end = lineEnd(text, Math.max(...edits.map((e) => e.end)));
  const replacement = applyEdits(text.slice(start, end), edits, start);
  if (replacement === undefined || replacement === text.slice(start, end)) return undefined;
  const startLine = lineNumber(text, start);
  const endLine = startLine + countNewlines(text.slice(start, end));
  if (!withinOneHunk(hunks, startLine, endLine)) return undefined;
  const fingerprint = createHash("sha256")
    .update([finding.policy, file, text.slice(start, end), replacement].join("\0"))
    .digest("hex")
    .slice(0, 16);
  const comment: ReviewComment = {
    path: file,
    line: endLine,
    side: "RIGHT",
    ...(startLine < endLine ? { start_line: startLine, start_side: "RIGHT" as const } : {}),
    body: suggestionBody(finding, replacement),
  };
  return { finding, fingerprint, comment };
}

/** The comment: what and why, then the suggestion in a fence longer than any backtick run inside it. */
export function suggestionBody(finding: Finding, replacement: string): string {
  const fence = "`".repeat(Math.max(3, longestBacktickRun(replacement) + 1));
  const fix = finding.fix;
  return [
    `**GreenOps · \`${finding.policy}\`**: ${finding.message}`,
    fix ? `${fix.title}${impactText(fix.impact)}` : "",
    `${fence}suggestion\n${replacement}\n${fence}`,
  ]
    .filter(Boolean)
    .join("\n\n");
}

/** The suggestions worth posting now: not already posted by an earlier GreenOps review (same lines, same fix). */
export function newSuggestions(all: Suggestion[], postedBefore: Set<string>): Suggestion[] {
  const seen = new Set(postedBefore);
  return all.filter((s) => !seen.has(s.fingerprint) && Boolean(seen.add(s.fingerprint)));
}

/** The review body: its hidden marker lists the fingerprints it carries, for the next push to compare. */
export function reviewBody(headSha: string, posted: Suggestion[], left: number): string {
  const marker = `${REVIEW_MARKER} head=${headSha} fp=${posted.map((s) => s.fingerprint).join(",")} -->`;
  const count = `GreenOps suggests ${counted(posted.length, "fix", "fixes")} for ${headSha.slice(0, 7)}.`;
  const more =
    left > 0
      ? ` ${left} more are in the check run's annotations (at most ${REVIEW_COMMENTS_MAX} per review).`
      : "";
  return `${marker}\n${count}${more}`;
}

export function isGreenOpsReview(body: string): boolean {
  return body.startsWith(REVIEW_MARKER);
}

/** The fingerprints a GreenOps review carries (none for other reviews). */
export function reviewFingerprints(body: string): string[] {
  if (!body.startsWith(REVIEW_MARKER)) return [];
  return /fp=([0-9a-f,]*)/.exec(body)?.[1]?.split(",").filter(Boolean) ?? [];
}

function applyEdits(block: string, edits: TextEdit[], offset: number): string | undefined {
  const sorted = [...edits].sort((a, b) => b.start - a.start);
  let text = block;
  let limit = Number.POSITIVE_INFINITY;
  for (const edit of sorted) {
    if (edit.end > limit) return undefined; // overlapping edits: not one well-defined change
    text = text.slice(0, edit.start - offset) + edit.text + text.slice(edit.end - offset);
    limit = edit.start;
  }
  return text;
}

function lineStart(text: string, offset: number): number {
  return text.lastIndexOf("\n", offset - 1) + 1;
}

function lineEnd(text: string, offset: number): number {
  const newline = text.indexOf("\n", offset);
  return newline === -1 ? text.length : newline;
}

function lineNumber(text: string, offset: number): number {
  return countNewlines(text.slice(0, offset)) + 1;
}

function countNewlines(text: string): number {
  let count = 0;
  for (let i = text.indexOf("\n"); i !== -1; i = text.indexOf("\n", i + 1)) count++;
  return count;
}

function longestBacktickRun(text: string): number {
  return Math.max(0, ...(text.match(/`+/g) ?? []).map((run) => run.length));
}
