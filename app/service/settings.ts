import { availableParallelism, hostname } from "node:os";
import { RETRY, type RetryPolicy } from "../github/queue.ts";

export type Role = "web" | "worker" | "all";

export type ServiceSettings = {
  /** web: answers webhooks and queues jobs; worker: runs jobs; all: both (the default). */
  role: Role;
  /** Jobs one process runs at once. */
  concurrency: number;
  /** The durable queue's Redis; without it, jobs wait in this process's memory. */
  redisUrl: string | undefined;
  prefix: string;
  lockMs: number;
  shutdownMs: number;
  retry: RetryPolicy;
  workerName: string;
  /** Port of a worker's /healthz and /metrics (web and all serve them beside the webhooks). */
  port: number;
};

type Env = Record<string, string | undefined>;

/** Thrown for a setting an operator must correct: names the variable and what it accepts. */
export class SettingError extends Error {}

/**
 * The App service's settings from the environment: GREENOPS_ROLE, GREENOPS_CONCURRENCY, REDIS_URL,
 * GREENOPS_QUEUE_PREFIX, GREENOPS_JOB_LOCK_SECONDS, GREENOPS_SHUTDOWN_SECONDS, GREENOPS_JOB_ATTEMPTS,
 * GREENOPS_JOB_BACKOFF_SECONDS (Probot's own variables are read by Probot).
 */
export function serviceSettings(env: Env): ServiceSettings {
  const role = env.GREENOPS_ROLE ?? "all";
  if (role !== "web" && role !== "worker" && role !== "all")
    throw new SettingError(`GREENOPS_ROLE is "${role}": use web, worker or all`);
  const redisUrl = env.REDIS_URL || undefined;
  if (role !== "all" && !redisUrl)
    throw new SettingError(
      `GREENOPS_ROLE=${role} needs REDIS_URL: web and worker processes share their jobs through Redis`,
    );
  return {
    role,
    concurrency: whole(env, "GREENOPS_CONCURRENCY", availableParallelism()),
    redisUrl,
    prefix: env.GREENOPS_QUEUE_PREFIX || "greenops",
    lockMs: whole(env, "GREENOPS_JOB_LOCK_SECONDS", 30) * 1000,
    shutdownMs: whole(env, "GREENOPS_SHUTDOWN_SECONDS", 20) * 1000,
    retry: {
      attempts: whole(env, "GREENOPS_JOB_ATTEMPTS", RETRY.attempts),
      backoffMs: whole(env, "GREENOPS_JOB_BACKOFF_SECONDS", RETRY.backoffMs / 1000) * 1000,
    },
    workerName: `${hostname()}:${process.pid}`,
    port: whole(env, "PORT", 3000),
  };
}

function whole(env: Env, name: string, fallback: number): number {
  const text = env[name];
  if (text === undefined || text === "") return fallback;
  const value = Number(text);
  if (!Number.isInteger(value) || value < 1)
    throw new SettingError(`${name} is "${text}": use a whole number of at least 1`);
  return value;
}
