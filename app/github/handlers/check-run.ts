import type { Context } from "probot";
import { reviewJob } from "../jobs.ts";
import { currentPull } from "../pull-request.ts";
import { APPLY_FIXES } from "../render/check-output.ts";
import { refusal } from "./permission-gate.ts";
import { fixJob, type HandlerScope, noticeJob } from "./scope.ts";

type CheckRun = Context<"check_run">["payload"]["check_run"];

/** The pull request of a GreenOps check run: its `external_id` (fork heads have no `pull_requests`). */
function pullNumber(run: CheckRun): number | undefined {
  const number = Number(run.external_id || run.pull_requests[0]?.number);
  return Number.isInteger(number) && number > 0 ? number : undefined;
}

/** "Apply fixes": commit the fixes verified for the check's commit, if the clicker may push. */
export async function onRequestedAction(
  context: Context<"check_run.requested_action">,
  scope: HandlerScope,
): Promise<void> {
  const { check_run: run, requested_action: action, sender } = context.payload;
  const number = pullNumber(run);
  if (action?.identifier !== APPLY_FIXES || number === undefined || sender.type === "Bot") return;
  const repo = context.repo();
  const pull = await currentPull(context.octokit, repo, number, scope.installation(context.payload));
  const refused = await refusal(context.octokit, repo, sender.login, "fix", undefined);
  if (refused) await scope.push(noticeJob(pull, refused));
  else await scope.push(fixJob({ ...pull, headSha: run.head_sha }, sender.login));
}

/**
 * "Re-run": a new check run on the same commit (opened by the review's job). A re-run of a commit that
 * is no longer the head replaces no waiting review (its `at` is the oldest there is).
 */
export async function onRerequested(
  context: Context<"check_run.rerequested">,
  scope: HandlerScope,
): Promise<void> {
  const run = context.payload.check_run;
  const number = pullNumber(run);
  if (number === undefined) return;
  const repo = context.repo();
  const pull = await currentPull(context.octokit, repo, number, scope.installation(context.payload));
  const job = reviewJob({ ...pull, headSha: run.head_sha }, undefined);
  await scope.push(run.head_sha === pull.headSha ? job : { ...job, at: 0 });
}
