import type { Octokit } from "./octokit.ts";

/** A repository, as Octokit's route parameters name it. */
export type Repo = { owner: string; repo: string };

/** One pull request and the commits a run is about. */
export type PullRef = Repo & {
  number: number;
  installationId: number | undefined;
  /** The reviewed commit. */
  headSha: string;
  headRef: string;
  /** The base branch's commit when the event was sent (the review starts from its merge base). */
  baseSha: string;
  /** The head branch lives in another repository: GreenOps never pushes there. */
  fork: boolean;
};

export function pullKey(pull: Repo & { number: number }): string {
  return `${pull.owner}/${pull.repo}#${pull.number}`;
}

type PullPayload = {
  number: number;
  head: { sha: string; ref: string; repo: { full_name: string } | null };
  base: { sha: string; ref: string; repo: { full_name: string } };
};

/** The pull request of a `pull_request` webhook (or of the API's pull request object). */
export function pullFromPayload(repo: Repo, pull: PullPayload, installationId: number | undefined): PullRef {
  return {
    ...repo,
    number: pull.number,
    installationId,
    headSha: pull.head.sha,
    headRef: pull.head.ref,
    baseSha: pull.base.sha,
    fork: pull.head.repo?.full_name !== pull.base.repo.full_name,
  };
}

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
