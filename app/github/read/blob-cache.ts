import type { Repo } from "../pull-request.ts";
import type { BlobContent, RepositoryBlobs } from "./blobs.ts";
import type { TreeFile } from "./trees.ts";

/** GREENOPS_BLOB_CACHE_MB when unset: a 10,000-manifest monorepo's IaC is about 25 MB. */
export const BLOB_CACHE_DEFAULT_MB = 64;

/**
 * A read is the same whenever it is made: by blob id, or `<commit>:<path>` with a full commit SHA (a
 * commit names its tree, which names the blob). A branch name or a short SHA may name another commit
 * tomorrow: such a read is not kept.
 */
const FULL_SHA_EXPRESSION = /^(?:[0-9a-f]{40}|[0-9a-f]{64}):/;

function immutableKey(file: TreeFile): string | undefined {
  if (file.oid) return file.oid;
  return file.expression && FULL_SHA_EXPRESSION.test(file.expression) ? file.expression : undefined;
}

type Entry = { content: BlobContent; bytes: number };

/**
 * Blob contents kept between the runs of one process (a worker), so a push to a pull request reads
 * only the blobs GitHub has not sent already. Entries are counted by the UTF-8 bytes of their text
 * and key (about what V8 keeps: up to twice as much for a text that holds one character beyond
 * Latin-1, which V8 keeps at two bytes a character); the least recently used go first once they pass
 * `maxBytes` (0: nothing is kept). A file GitHub did not find is not kept (it may be there on the next
 * try); `truncated` and `skipped` are kept as they were read.
 */
export class BlobCache {
  readonly maxBytes: number;
  /** A Map iterates in insertion order: a read moves its entry to the end, so the first is the oldest. */
  readonly #entries = new Map<string, Entry>();
  #bytes = 0;
  #hits = 0;
  #misses = 0;

  constructor(maxBytes: number) {
    this.maxBytes = maxBytes;
  }

  get bytes(): number {
    return this.#bytes;
  }

  get size(): number {
    return this.#entries.size;
  }

  /** Reads that could be kept, found and not found. */
  get hits(): number {
    return this.#hits;
  }

  get misses(): number {
    return this.#misses;
  }

  /** The cache as the runs of one repository of one installation see it: never another's entries. */
  of(installation: number | undefined, repo: Repo): RepositoryBlobs {
    const scope = `${installation ?? "-"} ${repo.owner}/${repo.repo} `;
    return {
      get: (file) => {
        const key = immutableKey(file);
        return key === undefined ? undefined : this.#get(scope + key);
      },
      set: (file, content) => {
        const key = immutableKey(file);
        if (key !== undefined && !("missing" in content)) this.#set(scope + key, content);
      },
    };
  }

  #get(key: string): BlobContent | undefined {
    const entry = this.#entries.get(key);
    if (!entry) {
      this.#misses++;
      return undefined;
    }
    this.#hits++;
    this.#entries.delete(key);
    this.#entries.set(key, entry);
    return entry.content;
  }

  #set(key: string, content: BlobContent): void {
    const bytes = key.length + Buffer.byteLength("text" in content ? content.text : JSON.stringify(content));
    if (bytes > this.maxBytes) return;
    this.#remove(key);
    this.#entries.set(key, { content, bytes });
    this.#bytes += bytes;
    for (const oldest of this.#entries.keys()) {
      if (this.#bytes <= this.maxBytes) break;
      this.#remove(oldest);
    }
  }

  #remove(key: string): void {
    const entry = this.#entries.get(key);
    if (!entry) return;
    this.#entries.delete(key);
    this.#bytes -= entry.bytes;
  }
}
