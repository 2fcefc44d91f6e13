/** What the queue needs of a job: which pull request it is for, and whether it is a review. */
export type QueuedJob = { key: string; kind: string };

export type QueueHandlers<J> = {
  run(job: J): Promise<void>;
  /** A job replaced by a newer one before it started (its check must still be completed). */
  superseded(job: J, by: J): Promise<void>;
  failed(job: J, error: unknown): void;
};

/**
 * One queue per pull request: its jobs run one after another (so two runs never race on the same
 * comment), pull requests run side by side, and a newer review (a newer head) replaces a waiting
 * one. Webhook handlers only push; the work happens after GitHub has its answer.
 */
export class PullQueue<J extends QueuedJob> {
  readonly #handlers: QueueHandlers<J>;
  readonly #waiting = new Map<string, J[]>();
  readonly #draining = new Map<string, Promise<void>>();
  readonly #superseding = new Set<Promise<void>>();

  constructor(handlers: QueueHandlers<J>) {
    this.#handlers = handlers;
  }

  push(job: J): void {
    const waiting = this.#waiting.get(job.key) ?? [];
    const kept: J[] = [];
    for (const queued of waiting) {
      if (queued.kind === "review" && job.kind === "review") {
        const done = this.#supersede(queued, job).finally(() => this.#superseding.delete(done));
        this.#superseding.add(done);
      } else kept.push(queued);
    }
    kept.push(job);
    this.#waiting.set(job.key, kept);
    if (!this.#draining.has(job.key)) {
      this.#draining.set(
        job.key,
        this.#drain(job.key).finally(() => this.#draining.delete(job.key)),
      );
    }
  }

  /** Whether a job is running or waiting (the catalogs are not swapped under a running review). */
  get busy(): boolean {
    return this.#draining.size > 0;
  }

  /** Resolves when every job pushed so far (and every job those pushed) has finished. */
  async idle(): Promise<void> {
    while (this.#draining.size > 0 || this.#superseding.size > 0)
      await Promise.all([...this.#draining.values(), ...this.#superseding]);
  }

  async #drain(key: string): Promise<void> {
    await Promise.resolve(); // let the handler that pushed answer the webhook first
    for (;;) {
      const job = this.#waiting.get(key)?.shift();
      if (!job) {
        this.#waiting.delete(key);
        return;
      }
      try {
        await this.#handlers.run(job);
      } catch (error) {
        this.#handlers.failed(job, error);
      }
    }
  }

  async #supersede(old: J, by: J): Promise<void> {
    try {
      await this.#handlers.superseded(old, by);
    } catch (error) {
      this.#handlers.failed(old, error);
    }
  }
}
