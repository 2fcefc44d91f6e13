import { mayBeIac } from "../engine/formats.ts";
import type { Snapshot, SourceFile } from "../source/snapshot.ts";
import { findWords } from "../source/word-search.ts";
import type { BlobStore } from "./read/blobs.ts";
import type { Tree, TreeFile } from "./read/trees.ts";

/**
 * A commit of a GitHub repository as the engine reads it: listing from the tree (already fetched),
 * contents from the shared blob store (batched GraphQL reads), searches in memory over the IaC files.
 */
export function githubSnapshot(label: string, tree: Tree, blobs: BlobStore): Snapshot {
  const entries = entryIndex(tree);
  async function read(paths: string[]): Promise<SourceFile[]> {
    const files = paths.flatMap((path) => tree.files.get(path) ?? []);
    await blobs.load(files);
    return files.flatMap((file) => blobs.get(file) ?? []);
  }
  let iac: Promise<SourceFile[]> | undefined;
  /** The IaC files, read once for every search. */
  const grepWords = async (words: string[]) => {
    iac ??= read([...tree.files.keys()].filter(mayBeIac));
    return findWords(await iac, words);
  };
  return {
    label,
    list: async () => [...tree.files.keys()],
    entries: async (path) => entries.get(path) ?? { directories: [], files: [] },
    unlisted: () => [],
    read,
    grep: async (words) => new Set((await grepWords(words)).keys()),
    grepWords,
  };
}

/** The IaC files and settings a review of this tree will read: what a run fetches up front, in one go. */
export function iacFiles(tree: Tree): TreeFile[] {
  return [...tree.files.values()].filter(
    (file) =>
      mayBeIac(file.path) || /greenops\.ya?ml$/.test(file.path) || file.path.startsWith(".github/greenops/"),
  );
}

/** Each directory's subdirectories and files, from the tree's file paths. */
function entryIndex(tree: Tree): Map<string, { directories: string[]; files: string[] }> {
  const index = new Map<string, { directories: Set<string>; files: string[] }>();
  const entry = (path: string) => {
    const found = index.get(path) ?? { directories: new Set<string>(), files: [] };
    index.set(path, found);
    return found;
  };
  for (const path of tree.files.keys()) {
    const parts = path.split("/");
    entry(parts.slice(0, -1).join("/")).files.push(path);
    for (let i = 1; i < parts.length; i++)
      entry(parts.slice(0, i - 1).join("/")).directories.add(parts.slice(0, i).join("/"));
  }
  return new Map(
    [...index].map(([path, { directories, files }]) => [path, { directories: [...directories], files }]),
  );
}
