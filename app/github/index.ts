import type { ApplicationFunction, ApplicationFunctionOptions, Context, Probot } from "probot";
import { type AiProvider, providerFromEnv } from "../ai/provider.ts";
import { checkedEstimateSnapshot } from "../engine/estimate.ts";
import { checkedReviewSnapshots } from "../engine/review.ts";
import { scheduleCatalogRefresh } from "../estimate/refresh/schedule.ts";
import { argoCdSetup, scanInterval } from "./app-env.ts";
import { type ApplyFixes, applyFixes } from "./apply-fixes.ts";
import { Deliveries } from "./deliveries.ts";
import { onRequestedAction, onRerequested } from "./handlers/check-run.ts";
import { onCommand } from "./handlers/command.ts";
import { onDispatch } from "./handlers/dispatch.ts";
import { onPullRequest } from "./handlers/pull-request.ts";
import { onPush } from "./handlers/push.ts";
import type { HandlerScope } from "./handlers/scope.ts";
import { installationOf, type Job, type JobDeps, runJob } from "./jobs.ts";
import { DELIVERIES_REMEMBERED } from "./limits.ts";
import { meter, type Octokit } from "./octokit.ts";
import { PullQueue } from "./queue.ts";
import { ScanSchedule } from "./schedule.ts";
import { completeCheck } from "./write/checks.ts";

export type GreenOpsOptions = {
  /** The engine's review of two snapshots (default: the engine's; tests wrap it to add findings). */
  review?: typeof checkedReviewSnapshots;
  /** The engine's fix applier (default: the adapter in apply-fixes.ts; tests inject one). */
  applyFixes?: ApplyFixes;
  /** "action": run in a workflow with its token: no installations, no commits. */
  mode?: "app" | "action";
  /** The App's own environment: ARGOCD_SERVER, ARGOCD_AUTH_TOKEN (default: process.env). */
  env?: Record<string, string | undefined>;
  /** How often a deployment is looked at: the first wait and the longest (default 5 s and 30 s). */
  deployPace?: { intervalMs: number; maxIntervalMs: number };
  /** The AI advisor's endpoint (default: the operator's environment), or why there is none. */
  ai?: AiProvider | string;
};

export type GreenOpsApp = ApplicationFunction & {
  /** Resolves when every queued job has finished (tests, the Action's single run). */
  idle(): Promise<void>;
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
 * The GreenOps GitHub App: wiring only. Handlers answer the webhook after one write at most (the
 * check in progress) and queue the work; jobs run per pull request, off the webhook's clock.
 */
export function greenOps(options: GreenOpsOptions = {}): GreenOpsApp {
  let queue: PullQueue<Job> | undefined;
  let schedule: ScanSchedule | undefined;
  const appFunction = (app: Probot, functionOptions?: ApplicationFunctionOptions) => {
    const mode = options.mode ?? "app";
    const deps: JobDeps = {
      octokit: (job) => app.auth(mode === "action" ? undefined : installationOf(job)) as Promise<Octokit>,
      engine: {
        review: options.review ?? checkedReviewSnapshots,
        applyFixes: options.applyFixes ?? applyFixes,
        estimate: checkedEstimateSnapshot,
        ai: options.ai ?? providerFromEnv(process.env),
      },
      mode,
      log: app.log,
      requeue: (job) => queue?.push(job),
      argocd: { ...argoCdSetup(options.env ?? process.env, app.log), ...options.deployPace },
    };
    const jobs = new PullQueue<Job>({
      run: (job) => runJob(job, deps),
      superseded: async (job) => {
        if (job.kind !== "review" || !job.check) return;
        const octokit = await deps.octokit(job);
        await completeCheck(octokit, { owner: job.pull.owner, repo: job.pull.repo }, job.check.id, {
          conclusion: "neutral",
          output: {
            title: "Superseded",
            summary: "A newer push replaced this commit before GreenOps reviewed it.",
            annotations: [],
          },
          actions: [],
        });
      },
      failed: (job, error) => app.log.error({ err: error, pull: job.key }, "GreenOps job failed"),
    });
    queue = jobs;
    if (mode === "app")
      scheduleCatalogRefresh({
        every: process.env.GREENOPS_CATALOG_REFRESH,
        busy: () => jobs.busy,
        log: app.log,
      });
    const scope: HandlerScope = {
      push: (job) => jobs.push(job),
      deploys: deps.argocd.server !== undefined || deps.argocd.problem !== undefined,
      installation: (payload) =>
        mode === "action" ? undefined : (payload as { installation?: { id: number } }).installation?.id,
    };
    const deliveries = new Deliveries(DELIVERIES_REMEMBERED);
    const handle =
      <C extends Context>(handler: (context: C, scope: HandlerScope) => Promise<void>) =>
      async (context: C) => {
        if (deliveries.seen(context.id)) {
          app.log.info({ delivery: context.id, event: context.name }, "redelivered webhook: already handled");
          return;
        }
        const calls = meter(context.octokit as Octokit);
        await handler(context, scope);
        app.log.debug({ delivery: context.id, event: context.name, calls: calls.calls }, "webhook handled");
      };
    app.on([...PULL_REQUEST_EVENTS], handle(onPullRequest));
    app.on("check_run.requested_action", handle(onRequestedAction));
    app.on("check_run.rerequested", handle(onRerequested));
    app.on("issue_comment.created", handle(onCommand));
    app.on("push", handle(onPush));
    app.on("repository_dispatch", handle(onDispatch));
    const interval = scanInterval(options.env ?? process.env, app.log);
    if (interval !== undefined && mode === "app") {
      schedule = new ScanSchedule(app, interval, (job) => jobs.push(job));
      schedule.start();
    }
    if (functionOptions?.addHandler) healthCheck(functionOptions.addHandler);
  };
  return Object.assign(appFunction, {
    idle: () => queue?.idle() ?? Promise.resolve(),
    schedule: () => schedule,
  });
}

/** `GET /healthz` answers "ok" under Probot's server; loaded without one (tests, the Action) there is none. */
function healthCheck(addHandler: ApplicationFunctionOptions["addHandler"]): void {
  try {
    addHandler((request, response) => {
      if (request.url !== "/healthz") return false;
      response.end("ok");
      return true;
    });
  } catch {
    // Probot.load without a server: no HTTP routes to add
  }
}

export default greenOps();
