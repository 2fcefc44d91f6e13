import type { Change } from "../../source/changes.ts";
import { type Hunk, parseHunks } from "../hunks.ts";
import { COMPARE_FILES_MAX } from "../limits.ts";
import type { Octokit } from "../octokit.ts";
import type { Repo } from "../pull-request.ts";

export type Comparison = {
  /** The commit a pull request's diff starts from: the merge base of its base branch and head. */
  mergeBase: string;
  changes: Change[];
  /** The diff hunks of each file GitHub sent a patch for (none for large or binary files). */
  hunks: Map<string, Hunk[]>;
  /** The file list may stop at GitHub's limit: the changes must then come from the trees. */
  complete: boolean;
};

/**
 * One request for what the pull request's diff is: the merge base (the review's base, as on GitHub's
 * "Files changed" tab), the changed files and their hunks. Unpaged, the compare API lists up to 300 files.
 */
export async function comparePull(
  octokit: Octokit,
  repo: Repo,
  base: string,
  head: string,
): Promise<Comparison> {
  const { data } = await octokit.rest.repos.compareCommitsWithBasehead({
    ...repo,
    basehead: `${base}...${head}`,
  });
  const files = data.files ?? [];
  const changes: Change[] = [];
  const hunks = new Map<string, Hunk[]>();
  for (const file of files) {
    const change = toChange(file.filename, file.status, file.previous_filename);
    if (change) changes.push(change);
    if (file.patch !== undefined) hunks.set(file.filename, parseHunks(file.patch));
  }
  return {
    mergeBase: data.merge_base_commit.sha,
    changes,
    hunks,
    complete: files.length < COMPARE_FILES_MAX,
  };
}

function toChange(path: string, status: string, from: string | undefined): Change | undefined {
  switch (status) {
    case "added":
    case "copied":
      return { path, status: "added" };
    case "removed":
      return { path, status: "deleted" };
    case "renamed":
      return from === undefined ? { path, status: "added" } : { path, status: "renamed", from };
    case "unchanged":
      return undefined;
    default:
      return { path, status: "modified" };
  }
}
