import { git, gitMaybe } from "./git.ts";

export type Change = { path: string; status: "added" | "modified" | "deleted" | "renamed"; from?: string };

/** The paths a change touches: its path, and the one a rename moved it from. */
export function changePaths(change: Pick<Change, "path" | "from">): string[] {
  return change.from === undefined ? [change.path] : [change.path, change.from];
}

/** Files changed from `base` to `head` (a revision, or the working tree with untracked files when undefined). */
export async function changedFiles(root: string, base: string, head?: string): Promise<Change[]> {
  const range = head === undefined ? [base] : [base, head];
  // Against the working tree, its untracked files are added too: listed at the same time.
  const [diff, untracked] = await Promise.all([
    git(root, ["diff", "--name-status", "-z", "-M", "--no-ext-diff", ...range, "--"]),
    head === undefined ? git(root, ["ls-files", "-z", "--others", "--exclude-standard"]) : "",
  ]);
  const fields = diff.split("\0");
  const changes: Change[] = [];
  for (let i = 0; i < fields.length - 1; ) {
    const status = fields[i++] ?? "";
    const path = fields[i++] ?? "";
    if (status.startsWith("R")) changes.push({ path: fields[i++] ?? "", status: "renamed", from: path });
    else if (status.startsWith("C")) changes.push({ path: fields[i++] ?? "", status: "added" });
    else if (status === "A") changes.push({ path, status: "added" });
    else if (status === "D") changes.push({ path, status: "deleted" });
    else changes.push({ path, status: "modified" });
  }
  for (const path of untracked.split("\0").filter(Boolean)) changes.push({ path, status: "added" });
  return changes;
}

export type BaseChoice = { rev: string; reason: string };

/**
 * The default base of a review: the merge-base with the default branch; on the default branch itself,
 * HEAD when the working tree has changes (review them), else HEAD~1 (review the last commit).
 */
export async function defaultBase(root: string): Promise<BaseChoice> {
  const head = (await git(root, ["rev-parse", "HEAD"])).trim();
  const branch = await defaultBranch(root);
  if (branch) {
    const mergeBase = (await gitMaybe(root, ["merge-base", "HEAD", branch]))?.trim();
    if (mergeBase && mergeBase !== head) return { rev: mergeBase, reason: `merge-base with ${branch}` };
  }
  const dirty = (await git(root, ["status", "--porcelain", "--untracked-files=normal"])).trim() !== "";
  if (dirty) return { rev: head, reason: "HEAD (uncommitted changes)" };
  const parent = (await gitMaybe(root, ["rev-parse", "--verify", "-q", "HEAD~1"]))?.trim();
  if (!parent) return { rev: head, reason: "HEAD (the repository has a single commit)" };
  return { rev: parent, reason: "HEAD~1 (the last commit)" };
}

/** The default branch: origin/HEAD, else main or master when they exist. */
export async function defaultBranch(root: string): Promise<string | undefined> {
  const remoteHead = (
    await gitMaybe(root, ["symbolic-ref", "-q", "--short", "refs/remotes/origin/HEAD"])
  )?.trim();
  if (remoteHead) return remoteHead;
  for (const candidate of ["main", "master"]) {
    if (await gitMaybe(root, ["rev-parse", "--verify", "-q", `refs/heads/${candidate}`])) return candidate;
  }
  return undefined;
}
