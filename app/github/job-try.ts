import type { Logger } from "probot";
import { explainRefusal } from "./api-errors.ts";
import { meter, meterFields, type Octokit } from "./octokit.ts";
import type { Repo } from "./pull-request.ts";
import type { Attempt, QueuedJob } from "./queue.ts";
import { type CheckPlace, type CheckRef, completeCheck, openCheck } from "./write/checks.ts";

/**
 * What a try needs of a job (jobs.ts's `Job`): the check it completes when it cannot run, in the
 * repository of the push (a deployment) or of the pull request; a scan has none.
 */
export type TriedJob = QueuedJob & { check?: CheckRef; push?: Repo; pull?: Repo };

/** What a try needs of the jobs' dependencies: a client for the job, and the log. */
export type TryDeps<J> = { octokit(job: J): Promise<Octokit>; log: Logger };

/** What differs between the kinds of job around one try: what the logs name, what GitHub may refuse, the work. */
export type TryOf = {
  /** The child logger's name for the job (`pull` for a pull request's, `key` otherwise). */
  names: Record<string, string>;
  /** Fields every line of the try carries besides the try's number (a pull request's head). */
  fields: Record<string, string>;
  /** What a refusal says GreenOps could not read ("the pull request", "the push"...). */
  reading: string;
  run(octokit: Octokit, log: Logger): Promise<string>;
};

/**
 * Runs one try of a job with a fresh client and logs what it asked of GitHub and how long it took (each
 * line with the delivery and the job). A refusal GitHub explains (403, 422), or the last try's failure,
 * ends it and completes the job's check with the reason ({@link giveUp}); any other failure is thrown so
 * the queue tries again later. Returns the outcome.
 */
export async function runTry<J extends TriedJob>(
  job: J,
  deps: TryDeps<J>,
  attempt: Attempt<J>,
  work: TryOf,
): Promise<string> {
  const log = deps.log.child({ delivery: job.delivery, job: attempt.id, ...work.names });
  const octokit = await deps.octokit(job);
  const calls = meter(octokit);
  let outcome = "done";
  try {
    outcome = await work.run(octokit, log);
    return outcome;
  } catch (error) {
    const refusal = explainRefusal(`GreenOps could not read ${work.reading}`, error);
    if (!refusal && !attempt.last) {
      outcome = "retrying";
      log.warn({ err: error, ...work.fields, try: attempt.number }, "GreenOps run failed; retrying");
      throw error;
    }
    outcome = "failed";
    log.error({ err: error, ...work.fields, try: attempt.number }, "GreenOps run failed");
    const reason =
      refusal?.message ??
      `GreenOps failed ${attempt.number} times; the last error: ${(error as Error).message}`;
    await giveUp(async () => octokit, job, reason).catch(() => undefined);
    return outcome;
  } finally {
    const fields = { ...work.fields, kind: job.kind, try: attempt.number, outcome };
    log.info({ ...fields, ...meterFields(calls) }, "GreenOps run");
  }
}

/**
 * The check a job reports on, opened by its first try (not by the webhook handler: a redelivery the
 * queue finds a duplicate opens none) and saved with the job before any other work, so that a retry
 * completes the same one; a retry that finds none saved (its worker died, or GitHub's answer was lost,
 * before the save) takes the one still open at `place`, if any.
 */
export async function jobCheck<J extends TriedJob>(
  octokit: Octokit,
  repo: Repo,
  job: J,
  attempt: Attempt<J>,
  place: CheckPlace,
): Promise<CheckRef> {
  if (!job.check) {
    job.check = await openCheck(octokit, repo, place, attempt.retried);
    await attempt.save(job);
  }
  return job.check;
}

/**
 * Completes the check a job's try opened, with no annotations; nothing when it has none (a scan, or a
 * job no try got to). `client` is asked only when there is a check to complete.
 */
export async function concludeCheck(
  client: () => Promise<Octokit>,
  job: TriedJob,
  conclusion: "neutral" | "failure",
  title: string,
  summary: string,
): Promise<void> {
  const where = job.kind === "deploy" ? job.push : job.pull;
  if (!job.check || !where) return;
  await completeCheck(await client(), { owner: where.owner, repo: where.repo }, job.check.id, {
    conclusion,
    output: { title, summary, annotations: [] },
    actions: [],
  });
}

/**
 * The check of a job that could not run, with the reason: a deployment's is neutral (the deployment did
 * not fail, GreenOps could not follow it), a pull request's fails and says how to run it again.
 */
export function giveUp(client: () => Promise<Octokit>, job: TriedJob, reason: string): Promise<void> {
  if (job.kind === "deploy")
    return concludeCheck(client, job, "neutral", "GreenOps could not follow the deployment", reason);
  const summary = `${reason}\n\nRe-run the check, or comment \`/greenops recheck\`.`;
  return concludeCheck(client, job, "failure", "GreenOps could not run", summary);
}
