import { explainRefusal } from "./api-errors.ts";
import { type DeployJob, runDeploy } from "./deploy-run.ts";
import type { Job, JobDeps } from "./jobs.ts";
import { meter, meterFields } from "./octokit.ts";
import type { Attempt } from "./queue.ts";
import { runScan, type ScanJob } from "./scan-run.ts";
import { completeCheck } from "./write/checks.ts";

/**
 * Runs one try of a deployment report or a scan, as `runJob` runs a pull request's: a refusal GitHub
 * explains, or the last try's failure, ends it (a deployment check then says why, neutral: the
 * deployment did not fail, GreenOps could not follow it); any other failure is thrown for another try.
 * Both are safe to try again: a report watches again, a scan reconciles with what GitHub holds.
 */
export async function runGitOpsJob(
  job: DeployJob | ScanJob,
  deps: JobDeps,
  attempt: Attempt<Job>,
): Promise<string> {
  const log = deps.log.child({ delivery: job.delivery, job: attempt.id, key: job.key });
  const octokit = await deps.octokit(job);
  const calls = meter(octokit);
  let outcome = "done";
  try {
    outcome =
      job.kind === "deploy"
        ? await runDeploy(octokit, job, { ...deps, log })
        : await runScan(octokit, job, deps.engine, log);
    return outcome;
  } catch (error) {
    const refusal = explainRefusal(
      `GreenOps could not read ${job.kind === "deploy" ? "the push" : "the repository"}`,
      error,
    );
    if (!refusal && !attempt.last) {
      outcome = "retrying";
      log.warn({ err: error, try: attempt.number }, "GreenOps run failed; retrying");
      throw error;
    }
    outcome = "failed";
    log.error({ err: error, try: attempt.number }, "GreenOps run failed");
    const reason =
      refusal?.message ??
      `GreenOps failed ${attempt.number} times; the last error: ${(error as Error).message}`;
    if (job.kind === "deploy")
      await completeCheck(octokit, { owner: job.push.owner, repo: job.push.repo }, job.check.id, {
        conclusion: "neutral",
        output: { title: "GreenOps could not follow the deployment", summary: reason, annotations: [] },
        actions: [],
      }).catch(() => undefined);
    return outcome;
  } finally {
    log.info({ kind: job.kind, try: attempt.number, outcome, ...meterFields(calls) }, "GreenOps run");
  }
}
