import type { ApplicationFunction, ApplicationFunctionOptions, Context, Probot } from "probot";
import { type AiProvider, providerFromEnv } from "../ai/provider.ts";
import { checkedReviewSnapshots } from "../engine/review.ts";
import { scheduleCatalogRefresh } from "../estimate/refresh/schedule.ts";
import { type ApplyFixes, applyFixes } from "./apply-fixes.ts";
import { Deliveries } from "./deliveries.ts";
import { onRequestedAction, onRerequested } from "./handlers/check-run.ts";
import { onCommand } from "./handlers/command.ts";
import { onPullRequest } from "./handlers/pull-request.ts";
import type { HandlerScope } from "./handlers/scope.ts";
import { type Job, type JobDeps, runJob } from "./jobs.ts";
import { DELIVERIES_REMEMBERED } from "./limits.ts";
import { meter, type Octokit } from "./octokit.ts";
import { PullQueue } from "./queue.ts";
import { completeCheck } from "./write/checks.ts";

export type GreenOpsOptions = {
  /** The engine's review of two snapshots (default: the engine's; tests wrap it to add findings). */
  review?: typeof checkedReviewSnapshots;
  /** The engine's fix applier (default: the adapter in apply-fixes.ts; tests inject one). */
  applyFixes?: ApplyFixes;
  /** "action": run in a workflow with its token: no installations, no commits. */
  mode?: "app" | "action";
  /** The AI advisor's endpoint (default: the operator's environment), or why there is none. */
  ai?: AiProvider | string;
};

export type GreenOpsApp = ApplicationFunction & {
  /** Resolves when every queued job has finished (tests, the Action's single run). */
  idle(): Promise<void>;
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
  const appFunction = (app: Probot, functionOptions?: ApplicationFunctionOptions) => {
    const mode = options.mode ?? "app";
    const deps: JobDeps = {
      octokit: (job) => app.auth(mode === "action" ? undefined : job.pull.installationId) as Promise<Octokit>,
      engine: {
        review: options.review ?? checkedReviewSnapshots,
        applyFixes: options.applyFixes ?? applyFixes,
        ai: options.ai ?? providerFromEnv(process.env),
      },
      mode,
      log: app.log,
      requeue: (job) => queue?.push(job),
    };
    const jobs = new PullQueue<Job>({
      run: (job) => runJob(job, deps),
      superseded: async (job) => {
        if (!job.check) return;
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
    if (functionOptions?.addHandler) healthCheck(functionOptions.addHandler);
  };
  return Object.assign(appFunction, { idle: () => queue?.idle() ?? Promise.resolve() });
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
