import { createHash, randomUUID } from "node:crypto";
import { type Job as BullJob, DelayedError, Queue, WaitingError, Worker } from "bullmq";
import { Redis } from "ioredis";
import type {
  Attempt,
  JobCounts,
  JobQueue,
  JobRules,
  QueuedJob,
  QueueHandlers,
  RetryPolicy,
} from "../github/queue.ts";
import { heldUntil, identityOf, supersedes } from "../github/queue.ts";
import { Lanes } from "./lanes.ts";

export type RedisQueueOptions = {
  url: string;
  /** BullMQ's key prefix: one per deployment sharing a Redis (tests use one per run). */
  prefix: string;
  /** Run jobs here (role worker or all); false: only queue them (role web). */
  work: boolean;
  concurrency: number;
  retry: RetryPolicy;
  /** BullMQ's job lock: a worker that stops renewing it for this long is dead, and its jobs run elsewhere. */
  lockMs: number;
  /** How long SIGTERM waits for running jobs before returning them to the queue. */
  shutdownMs: number;
  workerName: string;
  /** Redis or BullMQ trouble that no job owns (ioredis reconnects by itself). */
  warn(message: string, error: unknown): void;
};

const QUEUE = "greenops-jobs";
/** A job whose lane is busy waits this long before it looks again (plus jitter). */
const LANE_WAIT_MS = 250;
/** A job whose worker died this many times is not run again: its check says so (a job that kills workers). */
const STALLS_ALLOWED = 2;
/** Finished jobs are kept as long as GitHub lets anyone redeliver their webhook (3 days), so a redelivery adds nothing. */
const KEEP = { age: 3 * 24 * 3600, count: 100_000 };
/** Jobs this process pushed that idle() waits for: the latest ones only, so a web process never grows. */
const PUSHED_REMEMBERED = 10_000;

/**
 * The durable job queue (REDIS_URL): BullMQ on Redis. Webhook handlers add jobs; workers in any number
 * of processes run them. A job's id is its webhook delivery and identity (a redelivery adds nothing),
 * BullMQ's deduplication id is its identity (a second replica adds nothing while one waits or runs,
 * or until `heldUntil`: a scheduled scan's interval),
 * failed tries are retried with exponential backoff, a dead worker's job is taken over once its lock
 * expires (BullMQ's stalled-job check), and close() lets running jobs finish or returns them.
 */
export class RedisQueue<J extends QueuedJob> implements JobQueue<J> {
  readonly #options: RedisQueueOptions;
  readonly #rules: JobRules<J>;
  readonly #handlers: QueueHandlers<J>;
  readonly #redis: Redis;
  readonly #workerRedis: Redis;
  readonly #queue: Queue<QueuedJob, void, string>;
  readonly #lanes: Lanes;
  readonly #worker: Worker<QueuedJob, void, string> | undefined;
  readonly #pushed = new Set<string>();
  #running = 0;

  constructor(handlers: QueueHandlers<J>, rules: JobRules<J>, options: RedisQueueOptions) {
    this.#options = options;
    this.#rules = rules;
    this.#handlers = handlers;
    this.#redis = new Redis(options.url, { maxRetriesPerRequest: null });
    this.#workerRedis = new Redis(options.url, { maxRetriesPerRequest: null, lazyConnect: !options.work });
    this.#queue = new Queue<QueuedJob, void, string>(QUEUE, {
      connection: this.#redis,
      prefix: options.prefix,
      defaultJobOptions: {
        attempts: options.retry.attempts,
        backoff: { type: "exponential", delay: options.retry.backoffMs },
        removeOnComplete: KEEP,
        removeOnFail: KEEP,
      },
    });
    this.#lanes = new Lanes(
      this.#redis,
      `${options.prefix}:${QUEUE}`,
      async (id) => (await this.#queue.getJobState(id)) === "active",
    );
    this.#worker = options.work
      ? new Worker<QueuedJob, void, string>(
          QUEUE,
          (job, token, signal) => this.#process(job, token, signal),
          {
            connection: this.#workerRedis,
            prefix: options.prefix,
            concurrency: options.concurrency,
            lockDuration: options.lockMs,
            stalledInterval: options.lockMs,
            maxStalledCount: STALLS_ALLOWED + 1,
            name: options.workerName,
          },
        )
      : undefined;
    this.#worker?.on("failed", (job, error) => {
      if (job && job.attemptsMade >= options.retry.attempts) void this.#handlers.failed(job.data as J, error);
    });
    this.#worker?.on("error", (error) => options.warn("job worker error", error));
    this.#queue.on("error", (error) => options.warn("job queue error", error));
  }

  async push(pushed: J): Promise<"queued" | "duplicate"> {
    const job = { ...pushed, at: pushed.at ?? Date.now() };
    const identity = identityOf(job, this.#rules);
    const jobId = `j${createHash("sha256")
      .update(`${job.delivery ?? randomUUID()}\n${identity}`)
      .digest("hex")
      .slice(0, 32)}`;
    if (await this.#redis.exists(this.#queue.toKey(jobId))) return "duplicate"; // a redelivery
    const until = heldUntil(this.#rules, job);
    // with a ttl, BullMQ keeps the deduplication id for that long even after the job finished
    const deduplication =
      until === undefined ? { id: identity } : { id: identity, ttl: Math.max(1, until - job.at) };
    const added = await this.#queue.add(job.kind, job, { jobId, deduplication });
    if (added.id !== jobId) return "duplicate";
    this.#pushed.add(jobId);
    if (this.#pushed.size > PUSHED_REMEMBERED) this.#pushed.delete(this.#pushed.values().next().value ?? "");
    if (supersedes(this.#rules, job)) await this.#lanes.pushed(job.key, job.kind, job.at);
    return "queued";
  }

  get busy(): boolean {
    return this.#running > 0;
  }

  /** Waits until no job pushed from this process lately is waiting, delayed or running (tests, benchmarks). */
  async idle(): Promise<void> {
    while (this.#pushed.size > 0) {
      for (const id of [...this.#pushed]) {
        const state = await this.#queue.getJobState(id);
        if (state === "completed" || state === "failed" || state === "unknown") this.#pushed.delete(id);
      }
      if (this.#pushed.size > 0) await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  async counts(): Promise<JobCounts> {
    const counts = await this.#queue.getJobCounts("waiting", "prioritized", "active", "delayed", "failed");
    return {
      waiting: (counts.waiting ?? 0) + (counts.prioritized ?? 0),
      running: counts.active ?? 0,
      delayed: counts.delayed ?? 0,
      failed: counts.failed ?? 0,
    };
  }

  /** Stops taking jobs; running ones may finish within shutdownMs, then they go back to the queue. */
  async close(): Promise<void> {
    if (this.#worker) {
      const closing = this.#worker.close();
      const late = await Promise.race([
        closing.then(() => false),
        new Promise<boolean>((resolve) => setTimeout(resolve, this.#options.shutdownMs, true).unref()),
      ]);
      if (late) this.#worker.cancelAllJobs("the worker is shutting down");
      await closing;
    }
    await this.#queue.close();
    this.#redis.disconnect();
    this.#workerRedis.disconnect();
  }

  async #process(
    bull: BullJob<QueuedJob, void, string>,
    token: string | undefined,
    signal: AbortSignal | undefined,
  ): Promise<void> {
    const job = bull.data as J;
    const id = bull.id ?? "";
    if (supersedes(this.#rules, job) && (await this.#lanes.newest(job.key, job.kind)) > (job.at ?? 0)) {
      await this.#handlers.superseded(job);
      return;
    }
    if (bull.stalledCounter > STALLS_ALLOWED) {
      await this.#handlers.failed(
        job,
        new Error(`the worker running it stopped ${bull.stalledCounter} times`),
      );
      return;
    }
    if (!(await this.#lanes.take(job.key, id))) {
      await bull.moveToDelayed(Date.now() + LANE_WAIT_MS * (1 + Math.random()), token);
      throw new DelayedError();
    }
    this.#running++;
    try {
      const attempt: Attempt<J> = {
        id,
        number: bull.attemptsMade + 1,
        last: bull.attemptsMade + 1 >= this.#options.retry.attempts,
        // started before: failed, stalled (its worker died), returned at shutdown, or waited for its lane
        retried: bull.attemptsStarted > 1,
        save: (saved) => bull.updateData(saved),
      };
      const cancelled = new Promise<"cancelled">((resolve) =>
        signal?.addEventListener("abort", () => resolve("cancelled"), { once: true }),
      );
      if ((await Promise.race([this.#handlers.run(job, attempt), cancelled])) === "cancelled") {
        this.#options.warn("returned a running job to the queue: the worker is shutting down", { job: id });
        await bull.moveToWait(token);
        throw new WaitingError();
      }
    } finally {
      this.#running--;
      await this.#lanes.release(job.key, id);
    }
  }
}
