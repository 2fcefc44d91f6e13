import type { LiveApplication } from "../../argocd/types.ts";
import { type ArgoApplication, applicationOf } from "../../iac/argocd/applications.ts";

/** The repository a push is to: its clone URL (any form), its default branch, and the files it changed. */
export type Pushed = { repositoryUrl: string; defaultBranch: string; changed: string[] };

/** An Application that deploys the push: as ArgoCD serves it, and as the review maps Applications. */
export type Target = { live: LiveApplication; application: ArgoApplication; paths: string[] };

/**
 * The Applications (ApplicationSet-generated ones included: ArgoCD serves them like the others) with a
 * source in this repository, at a revision that follows the default branch, whose path holds a changed
 * file. Sources are read as the review reads the repository's own Applications (app/iac/argocd).
 */
export function deployingApplications(live: LiveApplication[], pushed: Pushed): Target[] {
  const repository = repositoryKey(pushed.repositoryUrl);
  return live.flatMap((value) => {
    const application = applicationOf(value as Record<string, unknown>, "ArgoCD", 0);
    if (!application) return [];
    const paths = application.sources.flatMap((source) =>
      source.path !== undefined &&
      source.chart === undefined &&
      repositoryKey(source.repoURL) === repository &&
      followsBranch(source.targetRevision, pushed.defaultBranch) &&
      pushed.changed.some((file) => holds(source.path ?? "", file))
        ? [source.path]
        : [],
    );
    return paths.length > 0 ? [{ live: value, application, paths }] : [];
  });
}

/**
 * A repository URL as ArgoCD's webhook handler compares them: scheme, user, `.git`, a trailing slash
 * and case ignored, so `git@github.com:o/r.git` and `https://github.com/O/r` are the same repository.
 */
export function repositoryKey(url: string): string {
  return url
    .trim()
    .toLowerCase()
    .replace(/^[a-z+]+:\/\//, "")
    .replace(/^[^@/]+@/, "")
    .replace(/^([^/:]+):(?!\d+\/)/, "$1/")
    .replace(/\/+$/, "")
    .replace(/\.git$/, "");
}

/** A target revision that follows the default branch: empty or `HEAD`, the branch, or its ref. */
export function followsBranch(revision: string, branch: string): boolean {
  return revision === "" || revision === "HEAD" || revision === branch || revision === `refs/heads/${branch}`;
}

/** Whether a source path ("" for the repository's root) holds a file. */
export function holds(path: string, file: string): boolean {
  return path === "" || path === "." || file === path || file.startsWith(`${path}/`);
}
