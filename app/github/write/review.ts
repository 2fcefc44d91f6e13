import type { Octokit } from "../octokit.ts";
import type { PullRef } from "../pull-request.ts";

export type ReviewComment = {
  path: string;
  line: number;
  start_line?: number;
  side: "RIGHT";
  start_side?: "RIGHT";
  body: string;
};

/** One review per push, on the reviewed commit, with its suggestions as comments. */
export async function postReview(
  octokit: Octokit,
  pull: PullRef,
  body: string,
  comments: ReviewComment[],
): Promise<void> {
  await octokit.rest.pulls.createReview({
    owner: pull.owner,
    repo: pull.repo,
    pull_number: pull.number,
    commit_id: pull.headSha,
    event: "COMMENT",
    body,
    comments,
  });
}

/** Hides GreenOps' outdated reviews (COMMENT reviews cannot be dismissed), all in one mutation. */
export async function minimizeReviews(octokit: Octokit, nodeIds: string[]): Promise<void> {
  if (nodeIds.length === 0) return;
  const mutations = nodeIds.map(
    (id, i) =>
      `m${i}: minimizeComment(input: { subjectId: ${JSON.stringify(id)}, classifier: OUTDATED }) { minimizedComment { isMinimized } }`,
  );
  await octokit.graphql(`mutation GreenOpsMinimize {\n  ${mutations.join("\n  ")}\n}`);
}
