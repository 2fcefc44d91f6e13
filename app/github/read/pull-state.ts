import { GRAPHQL_PAGE_MAX } from "../limits.ts";
import type { Octokit } from "../octokit.ts";
import type { Repo } from "../pull-request.ts";

/** GreenOps' summary comment, found by its hidden marker. */
export type SummaryComment = { nodeId: string; databaseId: number; body: string };

/** A review GreenOps posted earlier. */
export type OwnReview = { nodeId: string; body: string; commit: string | undefined; minimized: boolean };

/** What GitHub holds about a pull request that a run needs: the state is GitHub's, never ours. */
export type PullState = {
  /** The pull request's head now: a run for another commit never writes. */
  headSha: string;
  /** Closed or merged: its branch is no longer under review, GreenOps commits nothing to it. */
  closed: boolean;
  /** The message of the reviewed commit (the fix-loop guard reads its trailer). */
  headMessage: string | undefined;
  comment: SummaryComment | undefined;
  reviews: OwnReview[];
};

export const SUMMARY_MARKER = "<!-- greenops:summary";

type CommentNode = { id: string; databaseId: number | null; body: string; viewerDidAuthor: boolean };
type CommentPage = {
  pageInfo: { hasPreviousPage: boolean; startCursor: string | null };
  nodes: CommentNode[];
};
type PullAnswer = {
  headRefOid: string;
  state: "OPEN" | "CLOSED" | "MERGED";
  comments: CommentPage;
  reviews: {
    nodes: {
      id: string;
      body: string;
      viewerDidAuthor: boolean;
      isMinimized: boolean;
      commit: { oid: string } | null;
    }[];
  };
} | null;

const COMMENTS = `pageInfo { hasPreviousPage startCursor } nodes { id databaseId body viewerDidAuthor }`;

/** The selection (on a repository) that reads a pull request's state; it rides along with the blob reads. */
export function pullStateSelection(number: number, headSha: string): string {
  return `pull: pullRequest(number: ${number}) {
      headRefOid
      state
      comments(last: ${GRAPHQL_PAGE_MAX}) { ${COMMENTS} }
      reviews(last: ${GRAPHQL_PAGE_MAX}) { nodes { id body viewerDidAuthor isMinimized commit { oid } } }
    }
    headCommit: object(oid: ${JSON.stringify(headSha)}) { ... on Commit { message } }`;
}

/** Reads the answer to {@link pullStateSelection}; older comments are paged only when the marker is not among the newest. */
export async function pullState(
  octokit: Octokit,
  repo: Repo,
  number: number,
  answer: Record<string, unknown>,
): Promise<PullState> {
  const pull = answer.pull as PullAnswer;
  if (!pull) throw new Error(`pull request #${number} not found in ${repo.owner}/${repo.repo}`);
  let page = pull.comments;
  let comment = findSummary(page.nodes);
  while (!comment && page.pageInfo.hasPreviousPage && page.pageInfo.startCursor) {
    page = await olderComments(octokit, repo, number, page.pageInfo.startCursor);
    comment = findSummary(page.nodes);
  }
  return {
    headSha: pull.headRefOid,
    closed: pull.state !== "OPEN",
    headMessage: (answer.headCommit as { message?: string } | null)?.message,
    comment,
    reviews: pull.reviews.nodes
      .filter((review) => review.viewerDidAuthor)
      .map((review) => ({
        nodeId: review.id,
        body: review.body,
        commit: review.commit?.oid,
        minimized: review.isMinimized,
      })),
  };
}

function findSummary(nodes: CommentNode[]): SummaryComment | undefined {
  const node = nodes.find(
    (c) => c.viewerDidAuthor && c.body.startsWith(SUMMARY_MARKER) && c.databaseId !== null,
  );
  return node ? { nodeId: node.id, databaseId: node.databaseId as number, body: node.body } : undefined;
}

async function olderComments(
  octokit: Octokit,
  repo: Repo,
  number: number,
  before: string,
): Promise<CommentPage> {
  const answer = await octokit.graphql<{ repository: { pullRequest: { comments: CommentPage } } }>(
    `query GreenOpsOlderComments($owner: String!, $name: String!, $number: Int!, $before: String!) {
  repository(owner: $owner, name: $name) {
    pullRequest(number: $number) { comments(last: ${GRAPHQL_PAGE_MAX}, before: $before) { ${COMMENTS} } }
  }
}`,
    { owner: repo.owner, name: repo.repo, number, before },
  );
  return answer.repository.pullRequest.comments;
}
