import type { Metrics } from "../service/metrics.ts";
import { runGitOpsJob } from "./gitops-jobs.ts";
import { concludeCheck, giveUp } from "./job-try.ts";
import { type Job, type JobDeps, runJob } from "./jobs.ts";
import type { QueueHandlers } from "./queue.ts";

/**
 * What either queue calls: a try of a job (its outcome and wall time counted), a job skipped for a
 * newer one, and a job given up; the last two complete its check if a try opened one.
 */
export function jobHandlers(deps: JobDeps, metrics: Metrics): QueueHandlers<Job> {
  const client = (job: Job) => () => deps.octokit(job);
  return {
    run: async (job, attempt) => {
      const started = performance.now();
      let outcome = "retrying";
      try {
        outcome =
          job.kind === "deploy" || job.kind === "scan"
            ? await runGitOpsJob(job, deps, attempt)
            : await runJob(job, deps, attempt);
      } finally {
        metrics.job(job.kind, outcome, (performance.now() - started) / 1000);
      }
    },
    superseded: async (job) => {
      metrics.job(job.kind, "superseded");
      await concludeCheck(
        client(job),
        job,
        "neutral",
        "Superseded",
        "A newer push replaced this commit before GreenOps reviewed it.",
      );
    },
    failed: async (job, error) => {
      deps.log.error({ err: error, delivery: job.delivery, pull: job.key }, "GreenOps job failed");
      metrics.job(job.kind, "failed");
      const reason =
        job.kind === "deploy"
          ? `GreenOps could not follow the deployment: ${(error as Error).message}.`
          : `GreenOps could not run: ${(error as Error).message}.`;
      await giveUp(client(job), job, reason).catch(() => undefined);
    },
  };
}
