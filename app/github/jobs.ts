import type { Logger } from "probot";
import { explain } from "../ai/explain.ts";
import { explainRefusal } from "./api-errors.ts";

import { COMMENT_BODY_BUDGET } from "./limits.ts";
import { meter, type Octokit } from "./octokit.ts";
import { currentPull, type PullRef, pullKey } from "./pull-request.ts";
import { completion, noIacCompletion, type Outcome } from "./render/check-output.ts";
import { commentBody } from "./render/comment-body.ts";
import { commitMessage, isFixCommit } from "./render/commit-message.ts";
import { type Engine, type Reviewed, reviewPull } from "./review-run.ts";
import { type CheckRef, completeCheck, startCheck } from "./write/checks.ts";
import { writeSummaryComment } from "./write/comment.ts";
import { commitFiles, HeadMovedError } from "./write/commit.ts";
import { publishSuggestions } from "./write/suggestions.ts";

/**
 * review: check run, summary comment, review; fix: commit the verified fixes, then say so in the
 * comment; notice: say something in the comment (a refused command) with the review's figures;
 * explain: answer `/greenops explain` in the thread.
 */
export type Job = {
  key: string;
  kind: "review" | "fix" | "notice" | "explain";
  pull: PullRef;
  /** The check run the webhook handler created; a review job without one creates it. */
  check?: CheckRef;
  notices: string[];
  /** explain: who asked, about what (a policy id or a resource). */
  question?: { asker: string; target: string | undefined };
};

export type JobDeps = {
  octokit(job: Job): Promise<Octokit>;
  engine: Engine;
  mode: "app" | "action";
  log: Logger;
  requeue(job: Job): void;
};

export function reviewJob(pull: PullRef, check: CheckRef | undefined, notices: string[] = []): Job {
  return { key: pullKey(pull), kind: "review", pull, notices, ...(check ? { check } : {}) };
}

/** Runs one job with a fresh client, and logs what it asked of GitHub and how long it took. */
export async function runJob(job: Job, deps: JobDeps): Promise<void> {
  const octokit = await deps.octokit(job);
  const calls = meter(octokit);
  let outcome = "done";
  try {
    if (job.kind === "review") outcome = await review(octokit, job, deps);
    else if (job.kind === "explain") outcome = await answer(octokit, job, deps);
    else outcome = await fixOrNotice(octokit, job, deps);
  } catch (error) {
    outcome = "failed";
    deps.log.error({ err: error, pull: job.key, head: job.pull.headSha }, "GreenOps run failed");
    if (job.check) await failCheck(octokit, job, error).catch(() => undefined);
  } finally {
    const milliseconds = Math.round(performance.now() - calls.started);
    deps.log.info(
      {
        pull: job.key,
        head: job.pull.headSha,
        job: job.kind,
        outcome,
        calls: calls.calls,
        reads: calls.reads,
        writes: calls.writes,
        milliseconds,
      },
      "GreenOps run",
    );
  }
}

async function review(octokit: Octokit, job: Job, deps: JobDeps): Promise<string> {
  const repo = { owner: job.pull.owner, repo: job.pull.repo };
  const check = job.check ?? (await startCheck(octokit, repo, job.pull.headSha, String(job.pull.number)));
  job.check = check;
  const reviewed = await reviewPull(octokit, job.pull, deps.engine);
  if (reviewed.kind === "no-iac") {
    await completeCheck(octokit, repo, check.id, noIacCompletion(reviewed.changed));
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
      ...(await attempt("the summary comment", () =>
        writeComment(octokit, job, reviewed, job.notices, checksTab(check.url, job.pull.number), deps),
      )),
    );
    notices.push(
      ...(await attempt("the review with suggestions", () =>
        publishSuggestions(octokit, job.pull, reviewed),
      )),
    );
  }
  const offer = commitsAllowed(job, deps) === "yes";
  await completeCheck(octokit, repo, check.id, completion(outcome(reviewed, notices), offer));
  return current ? "reviewed" : "reviewed an older head: comment and review left to the newer run";
}

async function fixOrNotice(octokit: Octokit, job: Job, deps: JobDeps): Promise<string> {
  const reviewed = await reviewPull(octokit, job.pull, deps.engine);
  if (reviewed.kind === "no-iac") return "no IaC";
  if (reviewed.state.headSha !== job.pull.headSha) {
    deps.requeue(
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
async function answer(octokit: Octokit, job: Job, deps: JobDeps): Promise<string> {
  const { asker, target } = job.question ?? { asker: "", target: undefined };
  const reviewed = target === undefined ? undefined : await reviewPull(octokit, job.pull, deps.engine);
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
async function commit(octokit: Octokit, job: Job, reviewed: Reviewed, deps: JobDeps): Promise<string> {
  const where = commitsAllowed(job, deps);
  if (where === "fork")
    return "GreenOps does not commit to a fork's branch: apply the suggestions in the review instead (the fork's author can always apply them).";
  if (where === "action")
    return "In the GitHub Action GreenOps does not commit (the workflow token's commits start no workflows): apply the suggestions in the review instead.";
  const fixes = reviewed.fixes;
  if (!fixes || fixes.applied.length === 0) return "There is no verified fix to commit for this commit.";
  if (isFixCommit(reviewed.state.headMessage))
    return "The last commit is already a GreenOps fix: GreenOps does not fix its own fix (loop guard). Push a commit of your own first, or apply the remaining suggestions by hand.";
  try {
    const oid = await commitFiles(octokit, job.pull, fixes.files, commitMessage(fixes, job.pull.headSha));
    return `GreenOps committed ${fixes.applied.length} verified fix${fixes.applied.length > 1 ? "es" : ""} in ${oid.slice(0, 7)}; it reviews that commit next.`;
  } catch (error) {
    if (error instanceof HeadMovedError) {
      const { owner, repo, number, installationId } = job.pull;
      const now = await currentPull(octokit, { owner, repo }, number, installationId);
      deps.requeue(reviewJob(now, undefined, [movedNotice(job.pull.headSha, now.headSha)]));
      return "moved";
    }
    const refusal = explainRefusal("The fix commit", error);
    if (refusal) return refusal.message;
    throw error;
  }
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

function commitsAllowed(job: Job, deps: JobDeps): "yes" | "fork" | "action" {
  if (deps.mode === "action") return "action";
  return job.pull.fork ? "fork" : "yes";
}

function outcome(reviewed: Reviewed, notices: string[]): Outcome {
  return { report: reviewed.report, fixes: reviewed.fixes, notices };
}

async function writeComment(
  octokit: Octokit,
  job: Job,
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
async function attempt(what: string, write: () => Promise<unknown>): Promise<string[]> {
  try {
    await write();
    return [];
  } catch (error) {
    const refusal = explainRefusal(`GreenOps could not write ${what}`, error);
    if (refusal) return [refusal.message];
    throw error;
  }
}

async function failCheck(octokit: Octokit, job: Job, error: unknown): Promise<void> {
  if (!job.check) return;
  const refusal = explainRefusal("GreenOps could not read the pull request", error);
  const reason = refusal?.message ?? `GreenOps failed: ${(error as Error).message}`;
  await completeCheck(octokit, { owner: job.pull.owner, repo: job.pull.repo }, job.check.id, {
    conclusion: "failure",
    output: {
      title: "GreenOps could not run",
      summary: `${reason}\n\nRe-run the check, or comment \`/greenops recheck\`.`,
      annotations: [],
    },
    actions: [],
  });
}
