import type { Logger } from "probot";
import { explain } from "../ai/explain.ts";
import { counted } from "../model/words.ts";
import { unevaluatedNotice } from "../report/unevaluated.ts";
import { explainRefusal } from "./api-errors.ts";
import type { ArgoCdSetup, DeployJob } from "./deploy-run.ts";
import { jobCheck, runTry } from "./job-try.ts";
import { COMMENT_BODY_BUDGET } from "./limits.ts";
import type { Octokit } from "./octokit.ts";
import { currentPull, type PullRef, pullKey } from "./pull-request.ts";
import type { Attempt, JobRules, QueuedJob } from "./queue.ts";
import type { BlobCache } from "./read/blob-cache.ts";
import { completion, noIacCompletion, type Outcome } from "./render/check-output.ts";
import { commentBody } from "./render/comment-body.ts";
import { commitMessage, fixTrailer, isFixCommit } from "./render/commit-message.ts";
import { type Engine, type Reviewed, reviewPull } from "./review-run.ts";
import type { ScanInterval, ScanJob } from "./scan-run.ts";
import { CHECK_NAME, type CheckRef, completeCheck } from "./write/checks.ts";
import { writeSummaryComment } from "./write/comment.ts";
import { commitFiles, HeadMovedError } from "./write/commit.ts";
import { publishSuggestions } from "./write/suggestions.ts";

/**
 * review: check run, summary comment, review; fix: commit the verified fixes, then say so in the
 * comment; notice: say something in the comment (a refused command) with the review's figures;
 * explain: answer `/greenops explain` in the thread.
 */
export type PullJob = QueuedJob & {
  kind: "review" | "fix" | "notice" | "explain";
  pull: PullRef;
  /** The review's check run, once its first try created it (a retry completes the same one). */
  check?: CheckRef;
  notices: string[];
  /** explain: who asked, about what (a policy id or a resource). */
  question?: { asker: string; target: string | undefined };
};

/**
 * Every job the App runs: a pull request's (above), a pushed commit's deployment report, a repository's
 * scan. Each is plain JSON with a key that says what it is about (`owner/repo#number`,
 * `owner/repo@sha`, `owner/repo scan`).
 */
export type Job = PullJob | DeployJob | ScanJob;

/**
 * A pull request head is reviewed once at a time (a redelivery or a second replica adds nothing), and
 * a newer head's review replaces one still waiting; a fix is asked once per head. A pushed commit's
 * deployment is followed once; a repository is scanned once at a time, a newer scan replacing a
 * waiting one, and once per interval of the schedule (held until the interval ends, so no replica
 * adds a second, even after the first has run).
 */
export const JOB_RULES: JobRules<Job> = {
  review: { identity: (job) => `review ${job.key}@${headOf(job)}`, supersedes: true },
  fix: { identity: (job) => `fix ${job.key}@${headOf(job)}` },
  deploy: { identity: (job) => `deploy ${job.key}` },
  scan: {
    identity: (job) => {
      const interval = scheduledInterval(job);
      return interval ? `scan ${job.key} ${new Date(interval.start).toISOString()}` : `scan ${job.key}`;
    },
    heldUntil: (job) => scheduledInterval(job)?.end,
    supersedes: true,
  },
};

/** The interval of a scheduled scan; none for any other job. */
function scheduledInterval(job: Job): ScanInterval | undefined {
  return job.kind === "scan" ? job.interval : undefined;
}

export type JobDeps = {
  octokit(job: Job): Promise<Octokit>;
  engine: Engine;
  mode: "app" | "action";
  log: Logger;
  requeue(job: Job): Promise<unknown>;
  /** Where ArgoCD is (the App's environment only) and how often a deployment is looked at. */
  argocd: ArgoCdSetup;
  /** The blobs this process has read, for every job of every repository (each sees its own only). */
  blobCache: BlobCache;
};

/** The commit a job is about: a pull request's head, a pushed commit; none for a scan. */
export function headOf(job: Job): string | undefined {
  if (job.kind === "deploy") return job.push.after;
  return job.kind === "scan" ? undefined : job.pull.headSha;
}

/** The installation whose token a job runs with (none in Action mode). */
export function installationOf(job: Job): number | undefined {
  if (job.kind === "deploy") return job.push.installationId;
  if (job.kind === "scan") return job.repository.installationId;
  return job.pull.installationId;
}

export function reviewJob(pull: PullRef, check: CheckRef | undefined, notices: string[] = []): PullJob {
  return { key: pullKey(pull), kind: "review", pull, notices, ...(check ? { check } : {}) };
}

/**
 * Runs one try of a pull request's job (job-handlers.ts sends deployments and scans to gitops-jobs.ts);
 * {@link runTry} logs it and, when it cannot run, fails the check with the reason. Returns the outcome.
 */
export function runJob(job: PullJob, deps: JobDeps, attempt: Attempt<Job>): Promise<string> {
  return runTry<Job>(job, deps, attempt, {
    names: { pull: job.key },
    fields: { head: job.pull.headSha },
    reading: "the pull request",
    run: (octokit, log) => {
      if (job.kind === "review") return review(octokit, job, { ...deps, log }, attempt);
      if (job.kind === "explain") return answer(octokit, job, { ...deps, log });
      return fixOrNotice(octokit, job, { ...deps, log }, attempt);
    },
  });
}

async function review(octokit: Octokit, job: PullJob, deps: JobDeps, attempt: Attempt<Job>): Promise<string> {
  const repo = { owner: job.pull.owner, repo: job.pull.repo };
  const check = await jobCheck(octokit, repo, job, attempt, {
    headSha: job.pull.headSha,
    name: CHECK_NAME,
    externalId: String(job.pull.number),
  });
  const reviewed = await reviewPull(octokit, job.pull, deps.engine, deps.blobCache);
  if (reviewed.kind === "no-iac") {
    await completeCheck(octokit, repo, check.id, noIacCompletion(reviewed.changes.length));
    return "no IaC";
  }
  const ai = reviewed.report.ai;
  if (ai) {
    const { model, requests, cached, tokens, skipped } = ai;
    deps.log.info({ pull: job.key, model, requests, cached, tokens, skipped }, "GreenOps AI advisor");
  }
  const notices = [...job.notices];
  const current = reviewed.state.headSha === job.pull.headSha;
  if (current) {
    notices.push(
      ...(await tryWrite("the summary comment", () =>
        writeComment(octokit, job, reviewed, job.notices, checksTab(check.url, job.pull.number), deps),
      )),
    );
    notices.push(
      ...(await tryWrite("the review with suggestions", () =>
        publishSuggestions(octokit, job.pull, reviewed),
      )),
    );
  }
  const offer = commitsAllowed(job, deps) === "yes";
  // A retry completes the check an earlier try opened, which may hold some of its annotations already.
  const done = completion(outcome(reviewed, notices), offer);
  await completeCheck(octokit, repo, check.id, done, attempt.retried);
  return current ? "reviewed" : "reviewed an older head: comment and review left to the newer run";
}

async function fixOrNotice(
  octokit: Octokit,
  job: PullJob,
  deps: JobDeps,
  attempt: Attempt<Job>,
): Promise<string> {
  const reviewed = await reviewPull(octokit, job.pull, deps.engine, deps.blobCache);
  if (reviewed.kind === "no-iac") return "no IaC";
  if (reviewed.state.headSha !== job.pull.headSha) {
    if (job.kind === "fix" && attempt.retried && (await fixedBy(octokit, job.pull, reviewed.state.headSha)))
      return "committed by an earlier try";
    await deps.requeue(
      reviewJob({ ...job.pull, headSha: reviewed.state.headSha }, undefined, [
        movedNotice(job.pull.headSha, reviewed.state.headSha),
      ]),
    );
    return "head moved";
  }
  const notices = [...job.notices];
  if (job.kind === "fix") {
    const committed = await commit(octokit, job, reviewed, deps);
    if (committed === "moved") return "head moved";
    notices.push(committed);
  }
  await writeComment(octokit, job, reviewed, notices, undefined, deps);
  return job.kind;
}

/** Answers `/greenops explain` with a new comment in the thread, from the engine's review of the head. */
async function answer(octokit: Octokit, job: PullJob, deps: JobDeps): Promise<string> {
  const { asker, target } = job.question ?? { asker: "", target: undefined };
  const reviewed =
    target === undefined ? undefined : await reviewPull(octokit, job.pull, deps.engine, deps.blobCache);
  const text = !target
    ? "Ask about one policy id or resource, for example `/greenops explain requests-required` or `/greenops explain Deployment/shop/api`."
    : reviewed?.kind !== "reviewed"
      ? "This pull request changes no IaC file GreenOps reads: there is nothing to explain."
      : await explain(reviewed, target, deps.engine.ai);
  const head = job.pull.headSha.slice(0, 7);
  const body = `@${asker} asked GreenOps to explain${target ? ` \`${target}\`` : ""} (reviewed ${head}).\n\n${text}`;
  await octokit.rest.issues.createComment({
    owner: job.pull.owner,
    repo: job.pull.repo,
    issue_number: job.pull.number,
    body: body.slice(0, COMMENT_BODY_BUDGET),
  });
  return "explained";
}

/** Commits the verified fixes, or says why not; "moved" when the branch moved (a review of the new head is queued). */
async function commit(octokit: Octokit, job: PullJob, reviewed: Reviewed, deps: JobDeps): Promise<string> {
  const where = commitsAllowed(job, deps);
  if (where === "fork")
    return "GreenOps does not commit to a fork's branch: apply the suggestions in the review instead (the fork's author can always apply them).";
  if (where === "action")
    return "In the GitHub Action GreenOps does not commit (the workflow token's commits start no workflows): apply the suggestions in the review instead.";
  if (reviewed.state.closed)
    return "The pull request is closed: GreenOps commits only to the branch of an open pull request.";
  const fixes = reviewed.fixes;
  if (!fixes || fixes.applied.length === 0) return "There is no verified fix to commit for this commit.";
  if (isFixCommit(reviewed.state.headMessage))
    return "The last commit is already a GreenOps fix: GreenOps does not fix its own fix (loop guard). Push a commit of your own first, or apply the remaining suggestions by hand.";
  try {
    const { owner, repo, headRef, headSha } = job.pull;
    const target = { owner, repo, branch: headRef, expectedHeadOid: headSha };
    const oid = await commitFiles(octokit, target, fixes.files, commitMessage(fixes, headSha));
    return `GreenOps committed ${counted(fixes.applied.length, "verified fix", "verified fixes")} in ${oid.slice(0, 7)}; it reviews that commit next.`;
  } catch (error) {
    if (error instanceof HeadMovedError) {
      const { owner, repo, number, installationId } = job.pull;
      const now = await currentPull(octokit, { owner, repo }, number, installationId);
      await deps.requeue(reviewJob(now, undefined, [movedNotice(job.pull.headSha, now.headSha)]));
      return "moved";
    }
    const refusal = explainRefusal("The fix commit", error);
    if (refusal) return refusal.message;
    throw error;
  }
}

/** Whether `headSha` is the fix commit GreenOps made of the reviewed commit (a try that died after committing). */
async function fixedBy(octokit: Octokit, pull: PullRef, headSha: string): Promise<boolean> {
  const { data } = await octokit.rest.git.getCommit({
    owner: pull.owner,
    repo: pull.repo,
    commit_sha: headSha,
  });
  return fixTrailer(data.message) === pull.headSha;
}

/**
 * The pull request's Checks tab, from the check run's page: a link that stays the same from run to run,
 * so an unchanged review leaves the comment untouched.
 */
function checksTab(runUrl: string, number: number): string | undefined {
  return /\/runs\/\d+$/.test(runUrl) ? runUrl.replace(/\/runs\/\d+$/, `/pull/${number}/checks`) : undefined;
}

function movedNotice(reviewed: string, now: string): string {
  return `The fixes were not committed: the branch moved from ${reviewed.slice(0, 7)} to ${now.slice(0, 7)} after GreenOps reviewed it. GreenOps reviewed ${now.slice(0, 7)} again; ask again with \`/greenops fix\` if the fixes still apply.`;
}

function commitsAllowed(job: PullJob, deps: JobDeps): "yes" | "fork" | "action" {
  if (deps.mode === "action") return "action";
  return job.pull.fork ? "fork" : "yes";
}

function outcome(reviewed: Reviewed, notices: string[]): Outcome {
  const { report, fixes, unevaluated } = reviewed;
  return {
    report,
    fixes,
    notices: [...(unevaluated ? [unevaluatedNotice(unevaluated)] : []), ...notices],
    unevaluated,
  };
}

async function writeComment(
  octokit: Octokit,
  job: PullJob,
  reviewed: Reviewed,
  notices: string[],
  checkUrl: string | undefined,
  deps: JobDeps,
): Promise<void> {
  const body = commentBody(outcome(reviewed, notices), {
    headSha: job.pull.headSha,
    checkUrl,
    commits: commitsAllowed(job, deps),
  });
  const written = await writeSummaryComment(octokit, job.pull, reviewed.state.comment, body);
  deps.log.debug({ pull: job.key, comment: written }, "summary comment");
}

/** A write GitHub refuses (403/422) is explained in the check's summary; other errors go on. */
async function tryWrite(what: string, write: () => Promise<unknown>): Promise<string[]> {
  try {
    await write();
    return [];
  } catch (error) {
    const refusal = explainRefusal(`GreenOps could not write ${what}`, error);
    if (refusal) return [refusal.message];
    throw error;
  }
}
