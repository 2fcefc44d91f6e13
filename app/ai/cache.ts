import { createHash } from "node:crypto";
import { mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";

/** A model's usable answer, as cached: nothing else of the exchange is kept (the request holds no secret). */
export type CachedAnswer = { text: string; model: string };

/**
 * Answers on disk by a hash of the endpoint, the extra headers, the API and the whole request body
 * (model included): the same review of the same head costs one request, and two endpoints or models
 * never share an answer. Files are written whole (a temporary file renamed) and readable by the owner only.
 */
export class AnswerCache {
  readonly #dir: string | undefined;

  constructor(dir: string | undefined) {
    this.#dir = dir;
  }

  static key(parts: readonly unknown[]): string {
    return createHash("sha256").update(JSON.stringify(parts)).digest("hex");
  }

  get(key: string): CachedAnswer | undefined {
    if (!this.#dir) return undefined;
    try {
      const value: unknown = JSON.parse(readFileSync(this.#path(key), "utf8"));
      const answer = value as Partial<CachedAnswer>;
      return typeof answer.text === "string" && typeof answer.model === "string"
        ? { text: answer.text, model: answer.model }
        : undefined;
    } catch {
      return undefined;
    }
  }

  /** Stores an answer; a cache that cannot be written only costs a request next time. */
  set(key: string, answer: CachedAnswer): void {
    if (!this.#dir) return;
    try {
      mkdirSync(this.#dir, { recursive: true, mode: 0o700 });
      const temporary = `${this.#path(key)}.${process.pid}.tmp`;
      writeFileSync(temporary, JSON.stringify(answer), { mode: 0o600 });
      renameSync(temporary, this.#path(key));
    } catch {
      // read-only or full disk: the next identical run asks again
    }
  }

  #path(key: string): string {
    return join(this.#dir as string, `${key}.json`);
  }
}
