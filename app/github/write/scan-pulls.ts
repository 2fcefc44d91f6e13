import type { ScanAction } from "../../scan/reconcile.ts";
import { scanBody, scanBranch, scanCommitMessage, scanTitle, withHeldReason } from "../../scan/render.ts";
import { explainRefusal } from "../api-errors.ts";
import type { Octokit } from "../octokit.ts";
import type { Repo } from "../pull-request.ts";
import { assertOwn, deleteScanBranch, ForeignBranchError, resetScanBranch } from "./branches.ts";
import { commitFiles } from "./commit.ts";

/** What a scan did about one environment's pull request. */
export type Applied = {
  environment: string;
  done: "opened" | "updated" | "kept" | "closed" | "nothing to do" | "left alone" | "refused";
  number?: number;
  title?: string;
  reason?: string;
};

/** The default branch's head a scan read, in its repository. */
export type Scanned = Repo & { branch: string; commit: string };

/**
 * Carries out one environment's action: the branch rebuilt on the default branch's head with one
 * signed commit (createCommitOnBranch on the commit just set, never on anything else), then the pull
 * request opened or edited; a reworded one only edited (its branch holds these very files, on the
 * commit it was built on); a held one given the reason in its body; or the pull request closed with a
 * comment and its branch deleted. A pull request whose branch someone else pushed to is left alone.
 */
export async function applyScanAction(
  octokit: Octokit,
  scanned: Scanned,
  action: ScanAction,
): Promise<Applied> {
  const environment = action.environment;
  const repo = { owner: scanned.owner, repo: scanned.repo };
  const branch = scanBranch(environment);
  try {
    if (action.kind === "keep") {
      const { pull, reason } = action;
      const body = reason ? withHeldReason(pull.body, reason) : pull.body;
      if (body !== pull.body) {
        await assertOwn(octokit, repo, branch, pull.headSha, environment);
        await octokit.rest.pulls.update({ ...repo, pull_number: pull.number, body });
      }
      return { environment, done: "kept", number: pull.number, reason };
    }
    if (action.kind === "none") return { environment, done: "nothing to do" };
    if (action.kind === "close") {
      // A branch someone else pushed to is theirs: its pull request is not closed under them either.
      await assertOwn(octokit, repo, branch, action.pull.headSha, environment);
      await octokit.rest.issues.createComment({
        ...repo,
        issue_number: action.pull.number,
        body: `Nothing is left to fix in ${environment} on \`${scanned.branch}\` at \`${scanned.commit.slice(0, 7)}\`: these fixes were applied another way or no longer apply. GreenOps closes this pull request and deletes its branch.`,
      });
      await octokit.rest.pulls.update({ ...repo, pull_number: action.pull.number, state: "closed" });
      await deleteScanBranch(octokit, repo, branch, environment);
      return { environment, done: "closed", number: action.pull.number };
    }
    const { proposal } = action;
    let builtOn: string | undefined;
    if (action.kind === "reword") {
      builtOn = await assertOwn(octokit, repo, branch, action.pull.headSha, environment);
    } else {
      await resetScanBranch(octokit, repo, branch, scanned.commit, environment);
      await commitFiles(
        octokit,
        { ...repo, branch, expectedHeadOid: scanned.commit },
        proposal.result.files,
        scanCommitMessage(proposal),
      );
    }
    const title = scanTitle(proposal);
    const body = scanBody(proposal, { ...scanned, builtOn });
    if (action.kind !== "open") {
      await octokit.rest.pulls.update({ ...repo, pull_number: action.pull.number, title, body });
      return { environment, done: "updated", number: action.pull.number, title };
    }
    const { data } = await octokit.rest.pulls.create({
      ...repo,
      title,
      body,
      head: branch,
      base: scanned.branch,
    });
    return { environment, done: "opened", number: data.number, title };
  } catch (error) {
    if (error instanceof ForeignBranchError)
      return { environment, done: "left alone", reason: error.message };
    const refusal = explainRefusal(`GreenOps could not update the ${environment} pull request`, error);
    if (refusal) return { environment, done: "refused", reason: refusal.message };
    throw error;
  }
}
