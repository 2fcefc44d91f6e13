import type { PushedCommit } from "../gitops/deploy/types.ts";
import type { Repo } from "./pull-request.ts";

/** A push to a repository's default branch: what the deployment report follows. */
export type PushRef = Repo & {
  installationId: number | undefined;
  before: string;
  after: string;
  defaultBranch: string;
  /** The clone URL, which ArgoCD Applications name as their source (in one of its forms). */
  repositoryUrl: string;
  /** The push's commits as the webhook lists them (at most 20), with the files each touched. */
  commits: PushedCommit[];
};

type PushPayload = {
  ref: string;
  before: string;
  after: string;
  deleted: boolean;
  repository: { clone_url?: string; html_url: string; default_branch?: string };
  commits: {
    id: string;
    message: string;
    distinct: boolean;
    added?: string[];
    modified?: string[];
    removed?: string[];
  }[];
};

const ZERO = /^0+$/;

/** The push of a `push` webhook when it moved the default branch to a new commit; undefined otherwise. */
export function pushFromPayload(
  repo: Repo,
  payload: PushPayload,
  installationId: number | undefined,
): PushRef | undefined {
  const defaultBranch = payload.repository.default_branch;
  if (!defaultBranch || payload.ref !== `refs/heads/${defaultBranch}`) return undefined;
  if (payload.deleted || ZERO.test(payload.after) || ZERO.test(payload.before)) return undefined;
  return {
    ...repo,
    installationId,
    before: payload.before,
    after: payload.after,
    defaultBranch,
    repositoryUrl: payload.repository.clone_url ?? `${payload.repository.html_url}.git`,
    commits: payload.commits
      .filter((c) => c.distinct)
      .map((c) => ({
        sha: c.id,
        message: c.message,
        files: [...(c.added ?? []), ...(c.modified ?? []), ...(c.removed ?? [])],
      })),
  };
}
