import { git, gitMaybe } from "./git.ts";

/** A commit with its message and the files it touched (against its first parent). */
export type CommitInfo = { sha: string; message: string; files: string[] };

const MAX_COMMITS = 50;

/** The first parent of a revision, or undefined for a root commit. */
export async function firstParent(root: string, revision: string): Promise<string | undefined> {
  return (await gitMaybe(root, ["rev-parse", "--verify", "-q", `${revision}^1`]))?.trim();
}

/**
 * The commits a revision brought to its branch: the revision itself, and for a merge commit the
 * commits it merged (`parent..rev`, `parent` its {@link firstParent}), at most 50, newest first.
 */
export async function commitsOf(
  root: string,
  revision: string,
  parent: string | undefined,
): Promise<CommitInfo[]> {
  const range = parent ? [`${parent}..${revision}`] : [revision, "-1"];
  // One git process: each commit as \x01sha\0message\0 then the files it touched against its first parent.
  const log = await git(root, [
    "log",
    `--max-count=${MAX_COMMITS}`,
    "--diff-merges=first-parent",
    "--name-only",
    "--format=%x01%H%x00%B%x00",
    ...range,
  ]);
  return log
    .split("\x01")
    .slice(1)
    .map((entry) => {
      const [sha = "", message = "", files = ""] = entry.split("\0");
      return { sha, message: message.trim(), files: files.split("\n").filter(Boolean) };
    });
}

/** The clone URL of `origin`, or undefined. */
export async function originUrl(root: string): Promise<string | undefined> {
  return (await gitMaybe(root, ["remote", "get-url", "origin"]))?.trim() || undefined;
}
