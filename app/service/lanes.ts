import type { Redis } from "ioredis";

/** A lane's holder is forgotten after this long even if nobody releases it (a holder whose Redis went away). */
const LANE_TTL_SECONDS = 24 * 3600;
/** How long a review's `at` is remembered for superseding: longer than any job waits. */
const NEWEST_TTL_SECONDS = 7 * 24 * 3600;

// KEYS[1] lane; ARGV: job id, ttl, the holder it may replace ("" for none). Returns "" when taken, else the holder.
const TAKE = `
local holder = redis.call('GET', KEYS[1])
if not holder or holder == ARGV[1] or holder == ARGV[3] then
  redis.call('SET', KEYS[1], ARGV[1], 'EX', ARGV[2])
  return ''
end
return holder`;
// KEYS[1] lane; ARGV[1] job id
const RELEASE = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0`;
// KEYS[1] newest; ARGV: at, ttl. Keeps the largest `at`.
const NEWER = `
local current = tonumber(redis.call('GET', KEYS[1]) or '-1')
if tonumber(ARGV[1]) > current then redis.call('SET', KEYS[1], ARGV[1], 'EX', ARGV[2]) end
return 0`;

/**
 * What BullMQ does not do for GreenOps, kept in Redis beside its queue: one job at a time per lane (a
 * pull request: two runs never race on its comment), and the newest `at` per lane and kind (so a
 * waiting review is skipped once a newer push is queued). A lane held by a job that is no longer
 * running (its worker died; BullMQ's stalled-job check moved it back) is taken over.
 */
export class Lanes {
  readonly #redis: Redis;
  readonly #prefix: string;
  readonly #running: (jobId: string) => Promise<boolean>;

  constructor(redis: Redis, prefix: string, running: (jobId: string) => Promise<boolean>) {
    this.#redis = redis;
    this.#prefix = prefix;
    this.#running = running;
  }

  /** Takes the lane for this job; false while another running job holds it. */
  async take(lane: string, jobId: string): Promise<boolean> {
    const key = `${this.#prefix}:lane:${lane}`;
    const holder = String(await this.#redis.eval(TAKE, 1, key, jobId, LANE_TTL_SECONDS, ""));
    if (holder === "") return true;
    if (await this.#running(holder)) return false;
    return String(await this.#redis.eval(TAKE, 1, key, jobId, LANE_TTL_SECONDS, holder)) === "";
  }

  async release(lane: string, jobId: string): Promise<void> {
    await this.#redis.eval(RELEASE, 1, `${this.#prefix}:lane:${lane}`, jobId);
  }

  async pushed(lane: string, kind: string, at: number): Promise<void> {
    await this.#redis.eval(NEWER, 1, this.#newestKey(lane, kind), at, NEWEST_TTL_SECONDS);
  }

  async newest(lane: string, kind: string): Promise<number> {
    return Number((await this.#redis.get(this.#newestKey(lane, kind))) ?? -1);
  }

  #newestKey(lane: string, kind: string): string {
    return `${this.#prefix}:newest:${kind}:${lane}`;
  }
}
