import type { Job } from "../jobs.ts";
import type { Octokit } from "../octokit.ts";
import { type PullRef, pullFromPayload, pullKey, type Repo } from "../pull-request.ts";

/** What handlers may do: queue jobs, and read the installation of a payload (none in Action mode). */
export type HandlerScope = {
  push(job: Job): void;
  installation(payload: object): number | undefined;
};

/** The pull request as GitHub has it now (one request): commands and buttons carry only its number. */
export async function currentPull(
  octokit: Octokit,
  repo: Repo,
  number: number,
  installationId: number | undefined,
): Promise<PullRef> {
  const { data } = await octokit.rest.pulls.get({ ...repo, pull_number: number });
  return pullFromPayload(repo, data, installationId);
}

/** A job that only says something in the summary comment (a refused command), with the current figures. */
export function noticeJob(pull: PullRef, notice: string): Job {
  return { key: pullKey(pull), kind: "notice", pull, notices: [notice] };
}

export function fixJob(pull: PullRef, requestedBy: string): Job {
  return {
    key: pullKey(pull),
    kind: "fix",
    pull,
    notices: [`@${requestedBy} asked GreenOps to commit the fixes.`],
  };
}
