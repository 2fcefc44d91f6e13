import { type Dirent, readdirSync } from "node:fs";
import { join, relative, sep } from "node:path";
import { Disk } from "./disk.ts";
import { decode, MAX_FILE_BYTES, type SourceFile, tooLarge, unreadableReason } from "./file-text.ts";
import { GitError, git, gitMaybe, gitOutput, readBlobs } from "./git.ts";
import { findWords, wordPatterns } from "./word-search.ts";

export type { SourceFile } from "./file-text.ts";

/** The files of a repository at one point in time. Paths are relative to the repository root, with `/`. */
export type Snapshot = {
  readonly label: string;
  /** Every file. */
  list(): Promise<string[]>;
  /** What a directory holds: the paths of its subdirectories and of its files. */
  entries(path: string): Promise<{ directories: string[]; files: string[] }>;
  /** The folders a listing or {@link entries} could not open so far, each with why (as a file not read). */
  unlisted(): SourceFile[];
  /** The files that exist among `paths`, read (or the reason they were not). */
  read(paths: string[]): Promise<SourceFile[]>;
  /** Files that contain any of these words (as `git grep -l -F -w`); only git snapshots can search. */
  grep(words: string[]): Promise<Set<string>>;
  /** For each file that contains any of these words, which of them it contains (as `git grep -o -F -w`). */
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
    unlisted: () => [],
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
    async grep(words) {
      return grepFiles(root, words, async () => this.read(await this.list()), rev);
    },
    async grepWords(words) {
      return grepWords(root, words, async () => this.read(await this.list()), rev);
    },
  };
}

/**
 * The files on disk under `root`: in a git work tree, those git tracks or would track. Nothing outside
 * the repository is read: symbolic links are not followed (git stores a link, not what it points to),
 * and FIFOs, devices and files above the size limit are refused without being opened for reading.
 */
export function workingTree(root: string, inGit: boolean): Snapshot {
  const unlisted = new Map<string, string>();
  return {
    label: "working tree",
    async list() {
      if (!inGit) return walk(root, unlisted);
      const args = ["ls-files", "-z", "--cached", "--others", "--exclude-standard"];
      const { stdout, stderr } = await gitOutput(root, args);
      // A folder git could not open: its files, if any, are neither listed nor said by git.
      for (const [, folder = "", cause = ""] of stderr.matchAll(
        /^warning: could not open directory '(.+)\/': (.+)$/gm,
      ))
        unlisted.set(
          folder,
          unlistedReason({ code: cause === "Permission denied" ? "EACCES" : undefined, message: cause }),
        );
      return [...new Set(stdout.split("\0").filter(Boolean))];
    },
    async entries(path) {
      const found = { directories: [] as string[], files: [] as string[] };
      try {
        for (const entry of readdirSync(join(root, path), { withFileTypes: true })) {
          if (entry.isDirectory()) found.directories.push(`${path}/${entry.name}`);
          else if (entry.isFile()) found.files.push(`${path}/${entry.name}`);
        }
      } catch (error) {
        // A missing directory holds nothing; one that cannot be opened is said.
        if (!["ENOENT", "ENOTDIR"].includes(String((error as NodeJS.ErrnoException).code)))
          unlisted.set(path, unlistedReason(error));
      }
      return found;
    },
    unlisted: () => [...unlisted].map(([path, skipped]) => ({ path, skipped })),
    // Synchronous reads: for thousands of small files they are several times faster than promises.
    async read(paths) {
      const disk = new Disk(root);
      const files: SourceFile[] = [];
      for (const path of paths) {
        const file = disk.read(path);
        if (file) files.push(file);
      }
      return files;
    },
    async grep(words) {
      if (!inGit) throw new Error(`${root} is not a git work tree: it cannot be searched`);
      return grepFiles(root, words, async () => this.read(await this.list()));
    },
    async grepWords(words) {
      if (!inGit) throw new Error(`${root} is not a git work tree: it cannot be searched`);
      return grepWords(root, words, async () => this.read(await this.list()));
    },
  };
}

/**
 * `git grep` for whole fixed words, as tries (word-search.ts) read from standard input (thousands of
 * names would not fit on a command line); no match is an empty answer. A git built without PCRE2
 * cannot run them: the answer is then undefined, and the caller searches the files in memory.
 */
async function gitGrep(
  root: string,
  mode: "-l" | "-o",
  patterns: string[],
  revision?: string,
): Promise<string | undefined> {
  const flags = ["grep", mode, "-z", "-I", "-P", "--full-name", "-f", "-"];
  const args = [...flags, ...(revision ? [revision] : []), "--"];
  try {
    return (await gitOutput(root, args, patterns.join("\n"))).stdout;
  } catch (error) {
    if (!(error instanceof GitError)) throw error;
    if (error.exitCode === 1) return "";
    if (error.message.includes("Perl-compatible")) return undefined;
    throw error;
  }
}

/**
 * For each file that contains any of `words`, which of them it contains, as `git grep -o -F -w` finds
 * them; `files` reads every file of the searched tree, for a git that cannot search by pattern.
 */
async function grepWords(
  root: string,
  words: string[],
  files: () => Promise<SourceFile[]>,
  revision?: string,
): Promise<Map<string, Set<string>>> {
  const found = new Map<string, Set<string>>();
  const patterns = wordPatterns(words);
  if (patterns.length === 0) return found;
  const out = await gitGrep(root, "-o", patterns, revision);
  if (out === undefined) return findWords(await files(), words);
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

/** The files that contain any of `words`, as `git grep -l -F -w` finds them; `files` as for {@link grepWords}. */
async function grepFiles(
  root: string,
  words: string[],
  files: () => Promise<SourceFile[]>,
  revision?: string,
): Promise<Set<string>> {
  const patterns = wordPatterns(words);
  if (patterns.length === 0) return new Set();
  const out = await gitGrep(root, "-l", patterns, revision);
  if (out === undefined) return new Set(findWords(await files(), words).keys());
  const prefix = revision ? revision.length + 1 : 0;
  return new Set(out.split("\0").flatMap((path) => (path ? [path.slice(prefix)] : [])));
}

const SKIPPED_DIRECTORIES = new Set([".git", "node_modules"]);

/** The files under `directory`; a folder that cannot be opened is left out, its reason kept in `unlisted`. */
function walk(root: string, unlisted: Map<string, string>, directory = root): string[] {
  const found: string[] = [];
  let entries: Dirent[];
  try {
    entries = readdirSync(directory, { withFileTypes: true });
  } catch (error) {
    unlisted.set(relative(root, directory).split(sep).join("/"), unlistedReason(error));
    return found;
  }
  for (const entry of entries) {
    const path = join(directory, entry.name);
    if (entry.isDirectory() && !SKIPPED_DIRECTORIES.has(entry.name))
      found.push(...walk(root, unlisted, path));
    // Links are listed (and refused when read), as git lists them.
    else if (entry.isFile() || entry.isSymbolicLink()) found.push(relative(root, path).split(sep).join("/"));
  }
  return found;
}

function unlistedReason(error: unknown): string {
  return `a folder whose files could not be listed: ${unreadableReason(error)}; its files are not read`;
}
