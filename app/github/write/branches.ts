import { readTrailers } from "../../gitops/trailers.ts";
import { SCAN_BRANCH_PREFIX } from "../../scan/render.ts";
import type { Octokit } from "../octokit.ts";
import type { Repo } from "../pull-request.ts";

/** A branch GreenOps will not move: someone else committed to it. */
export class ForeignBranchError extends Error {}

/**
 * Points GreenOps' own scan branch at `sha` (the default branch's head), creating it if needed. The only
 * forced ref update GreenOps ever makes, and only on `greenops/optimize-*` branches whose head is a
 * GreenOps scan commit for the same environment (or already a commit of the default branch): once a
 * person pushes to the branch, it is theirs. The update is a compare-and-swap on the head checked, so
 * a push between the check and the update is never overwritten.
 */
export async function resetScanBranch(
  octokit: Octokit,
  repo: Repo,
  branch: string,
  sha: string,
  environment: string,
): Promise<void> {
  if (!branch.startsWith(SCAN_BRANCH_PREFIX))
    throw new ForeignBranchError(`${branch} is not a GreenOps branch`);
  const current = await branchHead(octokit, repo, branch);
  if (current === undefined) {
    await octokit.rest.git.createRef({ ...repo, ref: `refs/heads/${branch}`, sha });
    return;
  }
  if (current === sha) return;
  await assertOwn(octokit, repo, branch, current, environment, sha);
  await swapRef(octokit, repo, branch, current, sha);
}

/** Deletes GreenOps' own scan branch (after its pull request is closed), if it is still GreenOps'. */
export async function deleteScanBranch(
  octokit: Octokit,
  repo: Repo,
  branch: string,
  environment: string,
): Promise<void> {
  const current = await branchHead(octokit, repo, branch);
  if (current === undefined || !branch.startsWith(SCAN_BRANCH_PREFIX)) return;
  await assertOwn(octokit, repo, branch, current, environment);
  await swapRef(octokit, repo, branch, current, DELETED);
}

/** The object id that, as a ref's new value, deletes it. */
const DELETED = "0".repeat(40);

/**
 * Moves (forced) or deletes a branch only if it still points at `before`: GraphQL's `updateRefs`
 * with `beforeOid`, all or nothing. When GitHub refuses and the branch has moved, someone pushed
 * after GreenOps checked it: a {@link ForeignBranchError}, and the branch is theirs.
 */
async function swapRef(octokit: Octokit, repo: Repo, branch: string, before: string, after: string) {
  const { repository } = await octokit.graphql<{ repository: { id: string } }>(
    "query GreenOpsRepositoryId($owner: String!, $name: String!) { repository(owner: $owner, name: $name) { id } }",
    { owner: repo.owner, name: repo.repo },
  );
  try {
    await octokit.graphql(
      "mutation GreenOpsSwapRef($input: UpdateRefsInput!) { updateRefs(input: $input) { clientMutationId } }",
      {
        input: {
          repositoryId: repository.id,
          refUpdates: [{ name: `refs/heads/${branch}`, beforeOid: before, afterOid: after, force: true }],
        },
      },
    );
  } catch (error) {
    const now = await branchHead(octokit, repo, branch);
    if (now === before) throw error;
    throw new ForeignBranchError(
      `${branch} moved while GreenOps updated it (${before.slice(0, 7)} → ${now?.slice(0, 7) ?? "deleted"}): GreenOps leaves the branch and its pull request alone`,
    );
  }
}

/** The commit a branch points at, or undefined when there is no such branch. */
export async function branchHead(octokit: Octokit, repo: Repo, branch: string): Promise<string | undefined> {
  try {
    return await existingBranchHead(octokit, repo, branch);
  } catch (error) {
    if ((error as { status?: number }).status === 404) return undefined;
    throw error;
  }
}

/** The commit a branch that must exist points at; GitHub's error (a 404 when it does not) is thrown on. */
export async function existingBranchHead(octokit: Octokit, repo: Repo, branch: string): Promise<string> {
  const { data } = await octokit.rest.git.getRef({ ...repo, ref: `heads/${branch}` });
  return data.object.sha;
}

/**
 * The branch's head is GreenOps' scan commit for the environment, or holds nothing `base` lacks;
 * else a {@link ForeignBranchError}. Returns the commit the branch builds on: the scan commit's parent,
 * or the head itself.
 */
export async function assertOwn(
  octokit: Octokit,
  repo: Repo,
  branch: string,
  sha: string,
  environment: string,
  base?: string,
): Promise<string> {
  const { data } = await octokit.rest.git.getCommit({ ...repo, commit_sha: sha });
  const [parent] = data.parents;
  if (readTrailers(data.message)?.scan === environment && parent && data.parents.length === 1)
    return parent.sha;
  if (base) {
    const { data: comparison } = await octokit.rest.repos.compareCommitsWithBasehead({
      ...repo,
      basehead: `${base}...${sha}`,
      per_page: 1,
    });
    if (comparison.status === "behind" || comparison.status === "identical") return sha;
  }
  throw new ForeignBranchError(
    `${branch} has a commit GreenOps did not make (${sha.slice(0, 7)}): GreenOps leaves the branch and its pull request alone`,
  );
}
