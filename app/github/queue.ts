import { createHash } from "node:crypto";

/**
 * What a queue needs of a job: its lane (`key`: one pull request's jobs run one after another), its
 * kind, and when the event that asked for it happened (`at`, ms; default: when it was pushed). The
 * rest is the kind's payload: plain JSON, so that a durable queue can store it.
 */
export type QueuedJob = { key: string; kind: string; at?: number; delivery?: string };

/**
 * The rules of one kind of job. `identity`: two jobs with the same identity are one job, so pushing
 * it again while it waits or runs adds nothing (a redelivered webhook, a second replica); the
 * default is the kind, the key and the payload. `heldUntil`: until when (ms since the epoch) the
 * identity stays taken once its job has finished, so that a job pushed before then (by its `at`) adds
 * nothing either (a scheduled scan: the end of its interval). `supersedes`: when its turn comes, a job
 * is skipped if a newer one (a later `at`) of the same kind and key was pushed meanwhile.
 */
export type KindRule<J> = {
  identity?(job: J): string;
  heldUntil?(job: J): number | undefined;
  supersedes?: boolean;
};
export type JobRules<J> = Readonly<Record<string, KindRule<J> | undefined>>;

/** Which try of a job this is, and how to keep what a try did for the next one (a check run's id). */
export type Attempt<J> = {
  id: string;
  number: number;
  /** No try will follow this one: a run that cannot finish says why instead of throwing. */
  last: boolean;
  /** An earlier try started (and failed, or its worker died): look for what it left behind. */
  retried: boolean;
  save(job: J): Promise<void>;
};

export type QueueHandlers<J> = {
  /** Runs a job; throwing asks for another try (with backoff) unless `attempt.last`. */
  run(job: J, attempt: Attempt<J>): Promise<void>;
  /** A job skipped for a newer one of its kind (a check it started must still be completed). */
  superseded(job: J): Promise<void>;
  /** The last try threw, or the job could not be run at all: its check must say why. */
  failed(job: J, error: unknown): Promise<void>;
};

export type JobCounts = { waiting: number; running: number; delayed: number; failed: number };

/** The App's job transport: in this process (the default), or durable in Redis (app/service/). */
export interface JobQueue<J extends QueuedJob> {
  /** Resolves once the job is queued (stored, for a durable queue), or known to be a duplicate. */
  push(job: J): Promise<"queued" | "duplicate">;
  /** Resolves when every job pushed here so far (and every job those pushed) has finished. */
  idle(): Promise<void>;
  /** Whether this process runs a job now, or has one waiting (the catalogs are not swapped under a review). */
  readonly busy: boolean;
  counts(): Promise<JobCounts>;
  close(): Promise<void>;
}

export type RetryPolicy = { attempts: number; backoffMs: number };

/** Tries per job and the first wait; each later wait doubles (5 s, 10 s). */
export const RETRY: RetryPolicy = { attempts: 3, backoffMs: 5_000 };

export function identityOf<J extends QueuedJob>(job: J, rules: JobRules<J>): string {
  const rule = rules[job.kind]?.identity;
  if (rule) return rule(job);
  const { at: _at, delivery: _delivery, ...payload } = job;
  const digest = createHash("sha256").update(JSON.stringify(payload)).digest("base64url").slice(0, 16);
  return `${job.kind} ${job.key} ${digest}`;
}

export function heldUntil<J extends QueuedJob>(rules: JobRules<J>, job: J): number | undefined {
  return rules[job.kind]?.heldUntil?.(job);
}

export function supersedes<J extends QueuedJob>(rules: JobRules<J>, job: J): boolean {
  return rules[job.kind]?.supersedes === true;
}

export function backoff(policy: RetryPolicy, attempt: number): number {
  return policy.backoffMs * 2 ** (attempt - 1);
}

/**
 * The embedded queue, for one process: lanes per key run side by side, a lane's jobs one after
 * another (two runs never race on the same comment). Webhook handlers only push; the work happens
 * after GitHub has its answer. A restart loses what waits here: set REDIS_URL for the durable queue.
 */
export class PullQueue<J extends QueuedJob> implements JobQueue<J> {
  readonly #handlers: QueueHandlers<J>;
  readonly #rules: JobRules<J>;
  readonly #retry: RetryPolicy;
  readonly #lanes = new Map<string, (J & { at: number })[]>();
  readonly #draining = new Map<string, Promise<void>>();
  readonly #queued = new Set<string>();
  /** Identities still taken after their job finished, and until when (`heldUntil`). */
  readonly #held = new Map<string, number>();
  /** Per lane, per kind: the latest `at` pushed. */
  readonly #newest = new Map<string, Map<string, number>>();
  #running = 0;
  #ids = 0;

  constructor(handlers: QueueHandlers<J>, rules: JobRules<J> = {}, retry: RetryPolicy = RETRY) {
    this.#handlers = handlers;
    this.#rules = rules;
    this.#retry = retry;
  }

  async push(pushed: J): Promise<"queued" | "duplicate"> {
    const job = { ...pushed, at: pushed.at ?? Date.now() };
    const identity = identityOf(job, this.#rules);
    this.#forgetHeld(job.at);
    if (this.#queued.has(identity) || (this.#held.get(identity) ?? 0) > job.at) return "duplicate";
    this.#queued.add(identity);
    const until = heldUntil(this.#rules, job);
    if (until !== undefined) this.#held.set(identity, until);
    const newest = this.#newest.get(job.key) ?? new Map<string, number>();
    newest.set(job.kind, Math.max(job.at, newest.get(job.kind) ?? 0));
    this.#newest.set(job.key, newest);
    const lane = this.#lanes.get(job.key) ?? [];
    lane.push(job);
    this.#lanes.set(job.key, lane);
    if (!this.#draining.has(job.key)) {
      this.#draining.set(
        job.key,
        this.#drain(job.key).finally(() => this.#draining.delete(job.key)),
      );
    }
    return "queued";
  }

  get busy(): boolean {
    return this.#draining.size > 0;
  }

  async idle(): Promise<void> {
    while (this.#draining.size > 0) await Promise.all([...this.#draining.values()]);
  }

  async counts(): Promise<JobCounts> {
    let waiting = 0;
    for (const lane of this.#lanes.values()) waiting += lane.length;
    return { waiting, running: this.#running, delayed: 0, failed: 0 };
  }

  async close(): Promise<void> {
    await this.idle();
  }

  /** Forgets the holds over by `now`, oldest first (they come in the order of their intervals). */
  #forgetHeld(now: number): void {
    for (const [identity, until] of this.#held) {
      if (until > now) return;
      this.#held.delete(identity);
    }
  }

  async #drain(key: string): Promise<void> {
    await Promise.resolve(); // let the handler that pushed answer the webhook first
    for (;;) {
      const job = this.#lanes.get(key)?.shift();
      if (!job) {
        this.#lanes.delete(key);
        this.#newest.delete(key);
        return;
      }
      this.#running++;
      try {
        await this.#take(job);
      } finally {
        this.#running--;
        this.#queued.delete(identityOf(job, this.#rules));
      }
    }
  }

  async #take(job: J & { at: number }): Promise<void> {
    const newest = this.#newest.get(job.key)?.get(job.kind) ?? 0;
    if (supersedes(this.#rules, job) && newest > job.at) {
      await this.#handlers.superseded(job).catch((error) => this.#handlers.failed(job, error));
      return;
    }
    const id = `local-${++this.#ids}`;
    for (let number = 1; ; number++) {
      const last = number >= this.#retry.attempts;
      try {
        await this.#handlers.run(job, { id, number, last, retried: number > 1, save: async () => undefined });
        return;
      } catch (error) {
        if (last) {
          await this.#handlers.failed(job, error);
          return;
        }
        await new Promise((resolve) => setTimeout(resolve, backoff(this.#retry, number)));
      }
    }
  }
}
