import type { Metrics } from "../service/metrics.ts";
import { runGitOpsJob } from "./gitops-jobs.ts";
import { type Job, type JobDeps, runJob } from "./jobs.ts";
import type { QueueHandlers } from "./queue.ts";
import { completeCheck } from "./write/checks.ts";

/**
 * What either queue calls: a try of a job (its outcome and wall time counted), a job skipped for a
 * newer one, and a job given up; the last two complete its check if a try opened one.
 */
export function jobHandlers(deps: JobDeps, metrics: Metrics): QueueHandlers<Job> {
  const conclude = async (job: Job, conclusion: "neutral" | "failure", title: string, summary: string) => {
    if (job.kind === "scan" || !job.check) return;
    const where = job.kind === "deploy" ? job.push : job.pull;
    const octokit = await deps.octokit(job);
    await completeCheck(octokit, { owner: where.owner, repo: where.repo }, job.check.id, {
      conclusion,
      output: { title, summary, annotations: [] },
      actions: [],
    });
  };
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
      await conclude(
        job,
        "neutral",
        "Superseded",
        "A newer push replaced this commit before GreenOps reviewed it.",
      );
    },
    failed: async (job, error) => {
      deps.log.error({ err: error, delivery: job.delivery, pull: job.key }, "GreenOps job failed");
      metrics.job(job.kind, "failed");
      if (job.kind === "deploy") {
        const summary = `GreenOps could not follow the deployment: ${(error as Error).message}.`;
        await conclude(job, "neutral", "GreenOps could not follow the deployment", summary).catch(
          () => undefined,
        );
        return;
      }
      const summary = `GreenOps could not run: ${(error as Error).message}.\n\nRe-run the check, or comment \`/greenops recheck\`.`;
      await conclude(job, "failure", "GreenOps could not run", summary).catch(() => undefined);
    },
  };
}
