import type { Octokit } from "../octokit.ts";
import type { Repo } from "../pull-request.ts";

/** A branch to commit to, and the commit it must still point at (the compare-and-swap). */
export type BranchHead = Repo & { branch: string; expectedHeadOid: string };

/** The branch no longer points at the reviewed commit: nothing was committed. */
export class HeadMovedError extends Error {}

type GraphQLFailure = Error & { errors?: { message?: string; type?: string }[] };

/**
 * Commits files to a branch in one commit, as the app (no author, committer or signature: GitHub signs
 * it and marks it verified), only if the branch still points at the reviewed commit: `expectedHeadOid`
 * makes it a compare-and-swap, never a forced update.
 */
export async function commitFiles(
  octokit: Octokit,
  target: BranchHead,
  files: { path: string; text: string }[],
  message: { headline: string; body: string },
): Promise<string> {
  try {
    const answer = await octokit.graphql<{ createCommitOnBranch: { commit: { oid: string } } }>(
      `mutation GreenOpsFix($input: CreateCommitOnBranchInput!) {
  createCommitOnBranch(input: $input) { commit { oid } }
}`,
      {
        input: {
          branch: { repositoryNameWithOwner: `${target.owner}/${target.repo}`, branchName: target.branch },
          expectedHeadOid: target.expectedHeadOid,
          message,
          fileChanges: {
            additions: files.map((file) => ({
              path: file.path,
              contents: Buffer.from(file.text).toString("base64"),
            })),
          },
        },
      },
    );
    return answer.createCommitOnBranch.commit.oid;
  } catch (error) {
    const messages = ((error as GraphQLFailure).errors ?? []).map((e) => e.message ?? "").join("; ");
    if (/expected branch to point to/i.test(messages)) throw new HeadMovedError(messages);
    throw error;
  }
}
