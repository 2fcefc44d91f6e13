import type { Change } from "../../source/changes.ts";
import type { Octokit } from "../octokit.ts";
import type { Repo } from "../pull-request.ts";

/** Where a file's content is found: its blob id when known, else `<commit>:<path>`. */
export type TreeFile = { path: string; oid?: string; expression?: string; size?: number };

/** The files of one commit, as paths to blobs, and whether GitHub cut the listing short. */
export type Tree = { commit: string; files: Map<string, TreeFile>; truncated: boolean };

/** One request for every file of a commit (GitHub lists up to 100,000 entries, then says `truncated`). */
export async function readTree(octokit: Octokit, repo: Repo, commit: string): Promise<Tree> {
  const { data } = await octokit.rest.git.getTree({ ...repo, tree_sha: commit, recursive: "true" });
  const files = new Map<string, TreeFile>();
  for (const entry of data.tree) {
    if (entry.type !== "blob" || entry.path === undefined || entry.sha === undefined) continue;
    files.set(entry.path, { path: entry.path, oid: entry.sha, size: entry.size });
  }
  return { commit, files, truncated: data.truncated };
}

/**
 * The tree of the base, derived from the head's and a complete list of changes (no request): files the
 * change left alone have the same blob on both sides; changed ones are read as `<base>:<path>`.
 */
export function baseFromHead(head: Tree, base: string, changes: Change[]): Tree {
  const files = new Map(head.files);
  for (const change of changes) {
    if (change.status !== "deleted") files.delete(change.path);
    const before = change.status === "added" ? undefined : (change.from ?? change.path);
    if (before !== undefined) files.set(before, { path: before, expression: `${base}:${before}` });
  }
  return { commit: base, files, truncated: head.truncated };
}

/** The changes between two trees, by blob id (renames appear as a deletion and an addition). */
export function diffTrees(base: Tree, head: Tree): Change[] {
  const changes: Change[] = [];
  for (const [path, file] of head.files) {
    const before = base.files.get(path);
    if (!before) changes.push({ path, status: "added" });
    else if (before.oid !== file.oid) changes.push({ path, status: "modified" });
  }
  for (const path of base.files.keys()) if (!head.files.has(path)) changes.push({ path, status: "deleted" });
  return changes;
}
