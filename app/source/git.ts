import { execFile, spawn } from "node:child_process";
import { promisify } from "node:util";

const run = promisify(execFile);
const MAX_BUFFER = 512 * 1024 * 1024;

export class GitError extends Error {
  /** git's exit status (1 from git grep: nothing found), when git ran. */
  readonly exitCode: number | undefined;
  constructor(message: string, exitCode?: number) {
    super(message);
    this.exitCode = exitCode;
  }
}

/** Runs git in `cwd` and returns stdout; a failure becomes a GitError with git's own message. */
export async function git(cwd: string, args: string[]): Promise<string> {
  return (await gitOutput(cwd, args)).stdout;
}

/**
 * {@link git}, with what git warned of on stderr, in English (LC_ALL=C) so that it can be read; `input`
 * is written to git's standard input.
 */
export async function gitOutput(
  cwd: string,
  args: string[],
  input?: string,
): Promise<{ stdout: string; stderr: string }> {
  try {
    const env = { ...process.env, LC_ALL: "C" };
    const running = run("git", args, { cwd, env, maxBuffer: MAX_BUFFER, encoding: "utf8" });
    // git may exit before reading its input (a bad revision): its status and stderr say why, not EPIPE
    running.child.stdin?.on("error", () => {});
    if (input !== undefined) running.child.stdin?.end(input);
    return await running;
  } catch (error) {
    const { stderr, code } = error as { stderr?: string; code?: unknown };
    throw new GitError(
      stderr?.trim() || (error as Error).message,
      typeof code === "number" ? code : undefined,
    );
  }
}

/** Like {@link git} but answers undefined instead of throwing (for probes such as "does this ref exist"). */
export async function gitMaybe(cwd: string, args: string[]): Promise<string | undefined> {
  try {
    return await git(cwd, args);
  } catch (error) {
    if (error instanceof GitError) return undefined;
    throw error;
  }
}

export type Blob = { path: string; bytes: Buffer } | { path: string; size: number };

/**
 * Reads many blobs (`<rev>:<path>`) through one `git cat-file --batch` process, parsing its output as it
 * streams: a blob larger than `maxBytes` is answered with its size only, and a missing one is left out.
 */
export function readBlobs(
  cwd: string,
  specs: { path: string; object: string }[],
  maxBytes: number,
): Promise<Blob[]> {
  if (specs.length === 0) return Promise.resolve([]);
  return new Promise((resolve, reject) => {
    const child = spawn("git", ["cat-file", "--batch"], { cwd, stdio: ["pipe", "pipe", "pipe"] });
    const parser = new BatchParser(
      specs.map((s) => s.path),
      maxBytes,
    );
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => parser.push(chunk));
    child.stderr.on("data", (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.on("error", reject);
    child.on("close", (code) => {
      if (code !== 0) reject(new GitError(stderr.trim() || `git cat-file exited with ${code}`));
      else resolve(parser.blobs);
    });
    child.stdin.end(specs.map((s) => `${s.object}\n`).join(""));
  });
}

/** `git cat-file --batch` output: "<oid> <type> <size>\n<content>\n" or "<object> missing\n", in request order. */
class BatchParser {
  readonly blobs: Blob[] = [];
  readonly #paths: string[];
  readonly #maxBytes: number;
  #pending: Buffer = Buffer.alloc(0);
  #next = 0;
  /** The blob being read: its size, and its bytes unless it is too large to keep. */
  #current: { size: number; read: number; chunks?: Buffer[] } | undefined;

  constructor(paths: string[], maxBytes: number) {
    this.#paths = paths;
    this.#maxBytes = maxBytes;
  }

  push(chunk: Buffer): void {
    let data: Buffer = this.#pending.length ? Buffer.concat([this.#pending, chunk]) : chunk;
    for (;;) {
      if (this.#current) {
        data = this.#body(data);
        if (this.#current) break;
        continue;
      }
      const newline = data.indexOf(10);
      if (newline === -1) break;
      const header = data.toString("utf8", 0, newline);
      data = data.subarray(newline + 1);
      if (header.endsWith(" missing") || header.endsWith(" ambiguous")) {
        this.#next++;
        continue;
      }
      const size = Number(header.split(" ")[2]);
      this.#current = size > this.#maxBytes ? { size, read: 0 } : { size, read: 0, chunks: [] };
    }
    this.#pending = data;
  }

  /** Consumes what belongs to the current blob (and its trailing newline); returns the rest. */
  #body(data: Buffer): Buffer {
    const current = this.#current;
    if (!current) return data;
    const take = Math.min(current.size - current.read, data.length);
    current.chunks?.push(data.subarray(0, take));
    current.read += take;
    if (current.read < current.size || data.length < take + 1) return data.subarray(take);
    const path = this.#paths[this.#next++] ?? "";
    this.blobs.push(
      current.chunks ? { path, bytes: Buffer.concat(current.chunks) } : { path, size: current.size },
    );
    this.#current = undefined;
    return data.subarray(take + 1);
  }
}
