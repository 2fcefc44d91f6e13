import { decode, MAX_FILE_BYTES, tooLargeReason } from "../../source/file-text.ts";
import type { SourceFile } from "../../source/snapshot.ts";
import { BLOB_BYTES_PER_QUERY, BLOBS_PER_QUERY } from "../limits.ts";
import type { Octokit } from "../octokit.ts";
import type { Repo } from "../pull-request.ts";
import type { TreeFile } from "./trees.ts";

/** A file's content as read from GitHub; `truncated`: GraphQL cut it, so it was read whole by REST and must never be edited. */
export type BlobContent = { text: string; truncated: boolean } | { skipped: string } | { missing: true };

/** Contents kept beyond one run, for one repository (blob-cache.ts). */
export type RepositoryBlobs = {
  get(file: TreeFile): BlobContent | undefined;
  set(file: TreeFile, content: BlobContent): void;
};

type GraphQLBlob = {
  __typename: string;
  oid: string;
  text?: string | null;
  isTruncated?: boolean;
  isBinary?: boolean | null;
} | null;

const BLOB_FRAGMENT =
  "\nfragment GreenOpsBlob on GitObject { __typename oid ... on Blob { text isTruncated isBinary } }";

/** Sizes unknown (files read as `<commit>:<path>`) count as this much against a query's byte budget. */
const UNKNOWN_SIZE = 64 * 1024;

export function blobKey(file: TreeFile): string {
  return file.oid ?? file.expression ?? file.path;
}

/**
 * Blob contents, read through batched GraphQL queries (many files per request, never one request per
 * file) and kept by blob id, so both sides of a review and every snapshot share them. With `cached`
 * (the process's cache, for this repository), what an earlier run read is not read again.
 */
export class BlobStore {
  readonly #octokit: Octokit;
  readonly #repo: Repo;
  readonly #cached: RepositoryBlobs | undefined;
  readonly #loaded = new Map<string, BlobContent>();

  constructor(octokit: Octokit, repo: Repo, cached?: RepositoryBlobs) {
    this.#octokit = octokit;
    this.#repo = repo;
    this.#cached = cached;
  }

  get(file: TreeFile): SourceFile | undefined {
    const content = this.#loaded.get(blobKey(file));
    if (!content || "missing" in content) return undefined;
    if ("skipped" in content) return { path: file.path, skipped: content.skipped };
    return { path: file.path, text: content.text };
  }

  /** Whether a file was cut by GraphQL and read whole another way: fixes never edit it. */
  truncated(file: TreeFile): boolean {
    const content = this.#loaded.get(blobKey(file));
    return content !== undefined && "truncated" in content && content.truncated;
  }

  /**
   * Reads the files not read yet, in queries of at most BLOBS_PER_QUERY blobs and about
   * BLOB_BYTES_PER_QUERY bytes. `extra` (a selection on the repository) rides along in the first query;
   * its answer is returned.
   */
  async load(files: TreeFile[], extra?: string): Promise<Record<string, unknown>> {
    const wanted = new Map<string, TreeFile>();
    for (const file of files) {
      const key = blobKey(file);
      if (this.#loaded.has(key) || wanted.has(key)) continue;
      if ((file.size ?? 0) > MAX_FILE_BYTES) {
        this.#loaded.set(key, { skipped: tooLargeReason(file.size ?? 0) });
        continue;
      }
      const cached = this.#cached?.get(file);
      if (cached) this.#loaded.set(key, cached);
      else wanted.set(key, file);
    }
    const chunks = chunk([...wanted.values()]);
    if (chunks.length === 0 && extra) chunks.push([]);
    let extraAnswer: Record<string, unknown> = {};
    for (const [index, files] of chunks.entries()) {
      const answer = await this.#query(files, index === 0 ? extra : undefined);
      if (index === 0) extraAnswer = answer;
    }
    return extraAnswer;
  }

  async #query(files: TreeFile[], extra: string | undefined): Promise<Record<string, unknown>> {
    const selections = files.map((file, i) => {
      const target = file.oid
        ? `oid: ${JSON.stringify(file.oid)}`
        : `expression: ${JSON.stringify(file.expression)}`;
      return `b${i}: object(${target}) { ...GreenOpsBlob }`;
    });
    // GitHub refuses a fragment no selection uses: `extra` may ride alone when every blob was cached.
    const fragment = files.length > 0 ? BLOB_FRAGMENT : "";
    const query = `query GreenOpsRead($owner: String!, $name: String!) {
  repository(owner: $owner, name: $name) {
    ${[...selections, extra ?? ""].join("\n    ")}
  }
}${fragment}`;
    const answer = await this.#octokit.graphql<{ repository: Record<string, unknown> }>(query, {
      owner: this.#repo.owner,
      name: this.#repo.repo,
    });
    const truncated: [TreeFile, string][] = [];
    files.forEach((file, i) => {
      const blob = answer.repository[`b${i}`] as GraphQLBlob;
      if (blob?.__typename !== "Blob") this.#keep(file, { missing: true });
      else if (blob.isBinary || typeof blob.text !== "string")
        this.#keep(file, { skipped: "binary file; not read" });
      else if (blob.isTruncated) truncated.push([file, blob.oid]);
      else this.#keep(file, { text: blob.text, truncated: false });
    });
    for (const [file, oid] of truncated) this.#keep(file, await this.#readWhole(blobKey(file), oid));
    return answer.repository;
  }

  #keep(file: TreeFile, content: BlobContent): void {
    this.#loaded.set(blobKey(file), content);
    this.#cached?.set(file, content);
  }

  /** GraphQL cuts text at 512,000 bytes: read such a file whole through the Git Data API. */
  async #readWhole(path: string, oid: string): Promise<BlobContent> {
    const { data } = await this.#octokit.rest.git.getBlob({ ...this.#repo, file_sha: oid });
    const file = decode(path, Buffer.from(data.content, data.encoding === "base64" ? "base64" : "utf8"));
    return "text" in file ? { text: file.text, truncated: true } : { skipped: file.skipped };
  }
}

function chunk(files: TreeFile[]): TreeFile[][] {
  const chunks: TreeFile[][] = [];
  let current: TreeFile[] = [];
  let bytes = 0;
  for (const file of files) {
    const size = file.size ?? UNKNOWN_SIZE;
    if (current.length > 0 && (current.length >= BLOBS_PER_QUERY || bytes + size > BLOB_BYTES_PER_QUERY)) {
      chunks.push(current);
      current = [];
      bytes = 0;
    }
    current.push(file);
    bytes += size;
  }
  if (current.length > 0) chunks.push(current);
  return chunks;
}
