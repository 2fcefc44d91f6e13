import type { IncomingMessage, ServerResponse } from "node:http";
import type { ApplicationFunction, ApplicationFunctionOptions, Context, Logger, Probot } from "probot";
import { type AiProvider, providerFromEnv } from "../ai/provider.ts";
import { checkedEstimateSnapshot } from "../engine/estimate.ts";
import { checkedReviewSnapshots } from "../engine/review.ts";
import { type CatalogSchedule, scheduleCatalogRefresh } from "../estimate/refresh/schedule.ts";
import { Metrics } from "../service/metrics.ts";
import {
  appSecretRoutes,
  argoCdSetup,
  blobCacheBytes,
  programsSwitch,
  scanInterval,
  warnSecretsInClear,
  warnUnreadableSecretFiles,
} from "./app-env.ts";
import { type ApplyFixes, applyFixes } from "./apply-fixes.ts";
import { Deliveries } from "./deliveries.ts";
import { onRequestedAction, onRerequested } from "./handlers/check-run.ts";
import { onCommand } from "./handlers/command.ts";
import { onDispatch } from "./handlers/dispatch.ts";
import { onPullRequest } from "./handlers/pull-request.ts";
import { onPush } from "./handlers/push.ts";
import type { HandlerScope } from "./handlers/scope.ts";
import { jobHandlers } from "./job-handlers.ts";
import { installationOf, JOB_RULES, type Job, type JobDeps } from "./jobs.ts";
import { DELIVERIES_REMEMBERED } from "./limits.ts";
import { meter, type Octokit } from "./octokit.ts";
import { type JobQueue, type JobRules, PullQueue, type QueueHandlers } from "./queue.ts";
import { BlobCache } from "./read/blob-cache.ts";
import { ScanSchedule } from "./schedule.ts";

/** Builds the job transport from what runs a job; the default is the in-process queue. */
export type QueueFactory = (handlers: QueueHandlers<Job>, rules: JobRules<Job>, log: Logger) => JobQueue<Job>;

export type GreenOpsOptions = {
  /** The engine's review of two snapshots (default: the engine's; tests wrap it to add findings). */
  review?: typeof checkedReviewSnapshots;
  /** The engine's fix applier (default: the adapter in apply-fixes.ts; tests inject one). */
  applyFixes?: ApplyFixes;
  /** "action": run in a workflow with its token: no installations, no commits. */
  mode?: "app" | "action";
  /** The job transport (default: in this process; the service passes the Redis one). */
  queue?: QueueFactory;
  /** The AI advisor's endpoint (default: the operator's environment), or why there is none. */
  ai?: AiProvider | string;
  /**
   * The App's own environment: ARGOCD_SERVER, ARGOCD_AUTH_TOKEN, GREENOPS_SCAN_INTERVAL, GREENOPS_PROGRAMS,
   * GREENOPS_CATALOG_REFRESH, GREENOPS_BLOB_CACHE_MB, and the AI advisor's when `ai` is not given
   * (default: process.env).
   */
  env?: Record<string, string | undefined>;
  /** How often a deployment is looked at: the first wait and the longest (default 5 s and 30 s). */
  deployPace?: { intervalMs: number; maxIntervalMs: number };
};

export type GreenOpsApp = ApplicationFunction & {
  /** Resolves when every job queued here has finished (tests, the Action's single run). */
  idle(): Promise<void>;
  /** Stops taking jobs and closes the queue (its running jobs finish first). */
  close(): Promise<void>;
  metrics: Metrics;
  /** The scan schedule, when GREENOPS_SCAN_INTERVAL sets one (App mode). */
  schedule(): ScanSchedule | undefined;
};

const PULL_REQUEST_EVENTS = [
  "pull_request.opened",
  "pull_request.synchronize",
  "pull_request.reopened",
  "pull_request.ready_for_review",
] as const;

/**
 * The GreenOps GitHub App: wiring only. Handlers read at most what a command needs and queue the
 * work, then answer; jobs run per pull request, off the webhook's clock, in this process or on
 * workers (REDIS_URL).
 */
export function greenOps(options: GreenOpsOptions = {}): GreenOpsApp {
  const metrics = new Metrics();
  let queue: JobQueue<Job> | undefined;
  let catalogs: CatalogSchedule | undefined;
  let schedule: ScanSchedule | undefined;
  const appFunction = (app: Probot, functionOptions?: ApplicationFunctionOptions) => {
    const mode = options.mode ?? "app";
    const env = options.env ?? process.env;
    warnSecretsInClear(appSecretRoutes(env, mode, options.ai === undefined), app.log);
    warnUnreadableSecretFiles(env, app.log);
    const deps: JobDeps = {
      octokit: (job) => app.auth(mode === "action" ? undefined : installationOf(job)) as Promise<Octokit>,
      engine: {
        review: options.review ?? checkedReviewSnapshots,
        applyFixes: options.applyFixes ?? applyFixes,
        estimate: checkedEstimateSnapshot,
        ai: options.ai ?? providerFromEnv(env),
        programs: programsSwitch(env, app.log),
      },
      mode,
      log: app.log,
      requeue: (job) => jobs.push(job),
      argocd: { ...argoCdSetup(env, app.log), ...options.deployPace },
      blobCache: new BlobCache(blobCacheBytes(env, app.log)),
    };
    metrics.watchBlobCache(deps.blobCache);
    const jobs = (options.queue ?? ((h, rules) => new PullQueue<Job>(h, rules)))(
      jobHandlers(deps, metrics),
      JOB_RULES,
      app.log,
    );
    queue = jobs;
    metrics.watch(() => jobs.counts());
    if (mode === "app")
      catalogs = scheduleCatalogRefresh({
        every: env.GREENOPS_CATALOG_REFRESH,
        busy: () => jobs.busy,
        log: app.log,
      });
    const scope = (context: Context): HandlerScope => ({
      push: async (job) => {
        const queued = await jobs.push({ ...job, delivery: context.id });
        if (queued === "duplicate")
          app.log.info(
            { delivery: context.id, pull: job.key, kind: job.kind },
            "job already queued or running",
          );
      },
      installation: (payload) =>
        mode === "action" ? undefined : (payload as { installation?: { id: number } }).installation?.id,
      deploys: deps.argocd.server !== undefined || deps.argocd.problem !== undefined,
    });
    const deliveries = new Deliveries(DELIVERIES_REMEMBERED);
    const handle =
      <C extends Context>(handler: (context: C, scope: HandlerScope) => Promise<void>) =>
      async (context: C) => {
        if (deliveries.seen(context.id)) {
          app.log.info({ delivery: context.id, event: context.name }, "redelivered webhook: already handled");
          return;
        }
        const calls = meter(context.octokit as Octokit);
        await handler(context, scope(context));
        app.log.debug({ delivery: context.id, event: context.name, calls: calls.calls }, "webhook handled");
      };
    app.onAny(async (context) => {
      const action = (context.payload as { action?: string }).action;
      metrics.webhooks.inc({ event: action ? `${context.name}.${action}` : context.name });
    });
    app.on([...PULL_REQUEST_EVENTS], handle(onPullRequest));
    app.on("check_run.requested_action", handle(onRequestedAction));
    app.on("check_run.rerequested", handle(onRerequested));
    app.on("issue_comment.created", handle(onCommand));
    app.on("push", handle(onPush));
    app.on("repository_dispatch", handle(onDispatch));
    const interval = scanInterval(env, app.log);
    if (interval !== undefined && mode === "app") {
      schedule = new ScanSchedule(app, interval, (job) => jobs.push(job));
      schedule.start();
    }
    if (functionOptions?.addHandler) routes(functionOptions.addHandler, metrics);
  };
  return Object.assign(appFunction, {
    idle: () => queue?.idle() ?? Promise.resolve(),
    close: async () => {
      catalogs?.stop();
      schedule?.stop();
      await queue?.close();
      metrics.close();
    },
    metrics,
    schedule: () => schedule,
  });
}

/**
 * Under Probot's server, `GET /healthz` answers "ok" and `GET /metrics` the metrics; loaded without a
 * server (tests, the Action) there is none.
 */
function routes(addHandler: ApplicationFunctionOptions["addHandler"], metrics: Metrics): void {
  try {
    addHandler((request, response) => serveStatus(request, response, metrics));
  } catch {
    // Probot.load without a server: no HTTP routes to add
  }
}

/** The two routes every GreenOps process serves: `/healthz` and `/metrics`; false for any other. */
export function serveStatus(request: IncomingMessage, response: ServerResponse, metrics: Metrics): boolean {
  const path = request.url?.split("?")[0];
  if (request.method !== "GET" || (path !== "/healthz" && path !== "/metrics")) return false;
  if (path === "/healthz") response.end("ok");
  else
    void metrics.text().then(
      ({ contentType, body }) => response.writeHead(200, { "content-type": contentType }).end(body),
      () => response.writeHead(500).end(),
    );
  return true;
}

export default greenOps();
