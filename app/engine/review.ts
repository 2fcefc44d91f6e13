import { changedFiles } from "../source/changes.ts";
import { git } from "../source/git.ts";
import { gitRevision, workingTree } from "../source/snapshot.ts";
import { runReview } from "./pipeline.ts";
import { localCheckout } from "./projects.ts";
import { commitOf, resolveBase } from "./revisions.ts";
import type { CheckedReview, Progress, Report, ReviewExtras, SnapshotReview } from "./types.ts";

export type ReviewOptions = {
  base?: string;
  head?: string;
  env?: string;
  onProgress?: Progress;
} & ReviewExtras;

/**
 * Estimates the IaC changed between two revisions (head: the working tree by default), compares them,
 * and runs the policies on the head. Each side reads the touched files plus the untouched ones that
 * change their estimate or that they change; both read the same ones.
 */
export async function review(cwd: string, options: ReviewOptions = {}): Promise<Report> {
  return (await checkedReview(cwd, options)).report;
}

/** The review of two snapshots, without what fixing needs. */
export async function reviewSnapshots(input: SnapshotReview): Promise<Report> {
  return (await runReview(input)).report;
}

/** The review of {@link review}, with what applying its fixes needs, and the repository's root. */
export async function checkedReview(
  cwd: string,
  options: ReviewOptions = {},
): Promise<CheckedReview & { root: string }> {
  const root = (await git(cwd, ["rev-parse", "--show-toplevel"])).trim();
  const [base, headCommit] = await Promise.all([
    resolveBase(root, options.base),
    options.head === undefined ? undefined : commitOf(root, options.head),
  ]);
  const checked = await runReview({
    base: { snapshot: gitRevision(root, base.commit), info: base },
    head: {
      snapshot: headCommit ? gitRevision(root, headCommit) : workingTree(root, true),
      info: headCommit && options.head ? { ref: options.head, commit: headCommit } : { ref: "working tree" },
    },
    files: changedFiles(root, base.commit, headCommit),
    // Untouched files are the same on both sides: search them where that is fastest, on disk when the
    // head is the working tree (git grep of a revision must inflate every blob).
    searched: headCommit ? "base" : "head",
    env: options.env,
    onProgress: options.onProgress,
    maxCatalogAgeDays: options.maxCatalogAgeDays,
    // On the user's own machine or CI, programs run (sandboxed) unless --no-programs, with the
    // packages the checkout installed.
    projects: { runPrograms: true, local: localCheckout(root), ...options.projects },
    telemetry: options.telemetry,
  });
  return { ...checked, root };
}

/** The review of {@link reviewSnapshots}, with what applying its fixes needs (the GitHub App's entry). */
export const checkedReviewSnapshots: (input: SnapshotReview) => Promise<CheckedReview> = runReview;
