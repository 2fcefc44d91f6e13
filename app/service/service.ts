import { createServer } from "node:http";
import { createProbot, run } from "probot";
import { collectDefaultMetrics } from "prom-client";
import { type GreenOpsApp, greenOps, type QueueFactory, serveStatus } from "../github/index.ts";
import type { Job } from "../github/jobs.ts";
import { GreenOpsOctokit } from "../github/octokit.ts";
import { RedisQueue } from "./redis-queue.ts";
import { type ServiceSettings, serviceSettings } from "./settings.ts";

type Env = Record<string, string | undefined>;

export type Service = {
  settings: ServiceSettings;
  app: GreenOpsApp;
  /** Stops answering, lets running jobs finish (or returns them to the queue), closes connections. */
  stop(): Promise<void>;
};

/**
 * The App as a service (`npm start`), in the role GREENOPS_ROLE gives it:
 * - web: Probot's server answers webhooks and queues their jobs in Redis;
 * - worker: runs queued jobs; serves only /healthz and /metrics;
 * - all (the default): both; without REDIS_URL, jobs wait in this process (one process, no durability).
 */
export async function startService(env: Env = process.env, Octokit = GreenOpsOctokit): Promise<Service> {
  const settings = serviceSettings(env);
  const app = greenOps({ ...queueFor(settings), env });
  collectDefaultMetrics({ register: app.metrics.registry, prefix: "greenops_process_" });
  if (settings.role === "worker") {
    const probot = createProbot({ env, overrides: { Octokit } });
    await probot.load(app);
    const status = createServer((request, response) => {
      if (!serveStatus(request, response, app.metrics)) response.writeHead(404).end();
    });
    await new Promise<void>((resolve) => status.listen(settings.port, env.HOST || "localhost", resolve));
    probot.log.info({ role: settings.role, concurrency: settings.concurrency }, "GreenOps worker started");
    return {
      settings,
      app,
      stop: async () => {
        status.close();
        await app.close();
      },
    };
  }
  const server = await run(app, { env, Octokit });
  return {
    settings,
    app,
    stop: async () => {
      await server.stop();
      await app.close();
    },
  };
}

function queueFor(settings: ServiceSettings) {
  const { redisUrl } = settings;
  if (!redisUrl) return {};
  const queue: QueueFactory = (handlers, rules, log) =>
    new RedisQueue<Job>(handlers, rules, {
      url: redisUrl,
      prefix: settings.prefix,
      work: settings.role !== "web",
      concurrency: settings.concurrency,
      retry: settings.retry,
      lockMs: settings.lockMs,
      shutdownMs: settings.shutdownMs,
      workerName: settings.workerName,
      warn: (message, error) => log.warn({ err: error }, message),
    });
  return { queue };
}

/** Stops on SIGTERM or SIGINT (Kubernetes sends SIGTERM, then SIGKILL after the grace period). */
export function stopOnSignals(service: Service): void {
  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    service.stop().then(
      () => process.exit(0),
      (error) => {
        console.error(error);
        process.exit(1);
      },
    );
  };
  process.once("SIGTERM", stop);
  process.once("SIGINT", stop);
}
