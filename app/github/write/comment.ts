import type { Octokit } from "../octokit.ts";
import type { PullRef } from "../pull-request.ts";
import type { SummaryComment } from "../read/pull-state.ts";

export type CommentWrite = "created" | "updated" | "unchanged";

/** The one summary comment: created once, then edited in place, and not touched when nothing changed. */
export async function writeSummaryComment(
  octokit: Octokit,
  pull: PullRef,
  existing: SummaryComment | undefined,
  body: string,
): Promise<CommentWrite> {
  if (existing?.body === body) return "unchanged";
  const repo = { owner: pull.owner, repo: pull.repo };
  if (existing) {
    await octokit.rest.issues.updateComment({ ...repo, comment_id: existing.databaseId, body });
    return "updated";
  }
  await octokit.rest.issues.createComment({ ...repo, issue_number: pull.number, body });
  return "created";
}
