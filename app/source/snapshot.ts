import { closeSync, fstatSync, openSync, readdirSync, readSync } from "node:fs";
import { join, relative, sep } from "node:path";
import { git, gitMaybe, readBlobs } from "./git.ts";

/** Files larger than this are reported and left out: no manifest is this big, a generated dump may be. */
export const MAX_FILE_BYTES = 10 * 1024 * 1024;

export type SourceFile = { path: string; text: string } | { path: string; skipped: string };

/** The files of a repository at one point in time. Paths are relative to the repository root, with `/`. */
export type Snapshot = {
  readonly label: string;
  /** Every file. */
  list(): Promise<string[]>;
  /** What a directory holds: the paths of its subdirectories and of its files. */
  entries(path: string): Promise<{ directories: string[]; files: string[] }>;
  /** The files that exist among `paths`, read (or the reason they were not). */
  read(paths: string[]): Promise<SourceFile[]>;
  /** Files that contain any of these words (`git grep -l -F -w`); only git snapshots can search. */
  grep(words: string[]): Promise<Set<string>>;
  /** For each file that contains any of these words, which of them it contains (`git grep -o -F -w`). */
  grepWords(words: string[]): Promise<Map<string, Set<string>>>;
};

/** A committed revision, read through git. */
export function gitRevision(root: string, rev: string, label = rev): Snapshot {
  return {
    label,
    async list() {
      return (await git(root, ["ls-tree", "-r", "-z", "--name-only", "--full-tree", rev]))
        .split("\0")
        .filter(Boolean);
    },
    async entries(path) {
      const out = await gitMaybe(root, ["ls-tree", "-z", "--full-tree", rev, `${path}/`]);
      const found = { directories: [] as string[], files: [] as string[] };
      for (const record of (out ?? "").split("\0")) {
        const match = /^\d+ (tree|blob) [0-9a-f]+\t(.*)$/s.exec(record);
        if (match?.[2]) (match[1] === "tree" ? found.directories : found.files).push(match[2]);
      }
      return found;
    },
    async read(paths) {
      const blobs = await readBlobs(
        root,
        paths.map((path) => ({ path, object: `${rev}:${path}` })),
        MAX_FILE_BYTES,
      );
      return blobs.map((blob) =>
        "bytes" in blob ? decode(blob.path, blob.bytes) : tooLarge(blob.path, blob.size),
      );
    },
    grep: (words) => grepFiles(root, words, rev),
    grepWords: (words) => grepWords(root, words, rev),
  };
}

/** The files on disk under `root`: in a git work tree, those git tracks or would track. */
export function workingTree(root: string, inGit: boolean): Snapshot {
  return {
    label: "working tree",
    async list() {
      if (!inGit) return walk(root);
      const out = await git(root, ["ls-files", "-z", "--cached", "--others", "--exclude-standard"]);
      return [...new Set(out.split("\0").filter(Boolean))];
    },
    async entries(path) {
      const found = { directories: [] as string[], files: [] as string[] };
      try {
        for (const entry of readdirSync(join(root, path), { withFileTypes: true })) {
          if (entry.isDirectory()) found.directories.push(`${path}/${entry.name}`);
          else if (entry.isFile()) found.files.push(`${path}/${entry.name}`);
        }
      } catch {
        // a missing directory holds nothing
      }
      return found;
    },
    // Synchronous reads: for thousands of small files they are several times faster than promises.
    async read(paths) {
      const files: SourceFile[] = [];
      for (const path of paths) {
        const file = readDisk(root, path);
        if (file) files.push(file);
      }
      return files;
    },
    async grep(words) {
      if (!inGit) throw new Error(`${root} is not a git work tree: it cannot be searched`);
      return grepFiles(root, words);
    },
    async grepWords(words) {
      if (!inGit) throw new Error(`${root} is not a git work tree: it cannot be searched`);
      return grepWords(root, words);
    },
  };
}

/** One file from disk with a single open: undefined when it is missing or not a regular file. */
function readDisk(root: string, path: string): SourceFile | undefined {
  let fd: number;
  try {
    fd = openSync(join(root, path), "r");
  } catch {
    return undefined;
  }
  try {
    const info = fstatSync(fd);
    if (!info.isFile()) return undefined;
    if (info.size > MAX_FILE_BYTES) return tooLarge(path, info.size);
    const bytes = Buffer.allocUnsafe(info.size);
    let read = 0;
    while (read < info.size) {
      const count = readSync(fd, bytes, read, info.size - read, read);
      if (count === 0) break;
      read += count;
    }
    return decode(path, bytes.subarray(0, read));
  } finally {
    closeSync(fd);
  }
}

/** `git grep` for fixed words (fast: no regex engine); no match is an empty answer, not an error. */
function grep(root: string, mode: "-l" | "-o", words: string[], revision?: string): Promise<string> {
  const args = ["grep", mode, "-z", "-I", "-F", "-w", "--full-name", ...words.flatMap((w) => ["-e", w])];
  return gitMaybe(root, [...args, ...(revision ? [revision] : []), "--"]).then((out) => out ?? "");
}

async function grepFiles(root: string, words: string[], revision?: string): Promise<Set<string>> {
  if (words.length === 0) return new Set();
  const prefix = revision ? revision.length + 1 : 0;
  const out = await grep(root, "-l", words, revision);
  return new Set(out.split("\0").flatMap((path) => (path ? [path.slice(prefix)] : [])));
}

async function grepWords(
  root: string,
  words: string[],
  revision?: string,
): Promise<Map<string, Set<string>>> {
  const found = new Map<string, Set<string>>();
  if (words.length === 0) return found;
  const out = await grep(root, "-o", words, revision);
  const prefix = revision ? revision.length + 1 : 0;
  for (const line of out.split("\n")) {
    const separator = line.indexOf("\0");
    if (separator === -1) continue;
    const path = line.slice(prefix, separator);
    const matched = found.get(path) ?? new Set<string>();
    matched.add(line.slice(separator + 1));
    found.set(path, matched);
  }
  return found;
}

const SKIPPED_DIRECTORIES = new Set([".git", "node_modules"]);

function walk(root: string, directory = root): string[] {
  const found: string[] = [];
  for (const entry of readdirSync(directory, { withFileTypes: true })) {
    const path = join(directory, entry.name);
    if (entry.isDirectory() && !SKIPPED_DIRECTORIES.has(entry.name)) found.push(...walk(root, path));
    else if (entry.isFile()) found.push(relative(root, path).split(sep).join("/"));
  }
  return found;
}

/** Text of a file, or why it is not read: binary content is refused rather than misparsed. */
export function decode(path: string, bytes: Buffer): SourceFile {
  if (bytes.subarray(0, 8000).includes(0))
    return { path, skipped: "binary file (it contains NUL bytes); not read" };
  return { path, text: bytes.toString("utf8") };
}

function tooLarge(path: string, size: number): SourceFile {
  return { path, skipped: tooLargeReason(size) };
}

/** Why a file of `size` bytes is not read. */
export function tooLargeReason(size: number): string {
  const mib = (size / 1024 / 1024).toFixed(1);
  return `file is ${mib} MiB, above the ${MAX_FILE_BYTES / 1024 / 1024} MiB limit; not read`;
}
