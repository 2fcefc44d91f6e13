import { type DeployJob, runDeploy } from "./deploy-run.ts";
import { runTry } from "./job-try.ts";
import type { Job, JobDeps } from "./jobs.ts";
import type { Attempt } from "./queue.ts";
import { runScan, type ScanJob } from "./scan-run.ts";

/**
 * Runs one try of a deployment report or a scan, as `runJob` runs a pull request's: a refusal GitHub
 * explains, or the last try's failure, ends it (a deployment check then says why, neutral: the
 * deployment did not fail, GreenOps could not follow it); any other failure is thrown for another try.
 * Both are safe to try again: a report watches again, a scan reconciles with what GitHub holds.
 */
export function runGitOpsJob(
  job: DeployJob | ScanJob,
  deps: JobDeps,
  attempt: Attempt<Job>,
): Promise<string> {
  return runTry<Job>(job, deps, attempt, {
    names: { key: job.key },
    fields: {},
    reading: job.kind === "deploy" ? "the push" : "the repository",
    run: (octokit, log) =>
      job.kind === "deploy"
        ? runDeploy(octokit, job, { ...deps, log }, attempt)
        : runScan(octokit, job, deps, log),
  });
}
