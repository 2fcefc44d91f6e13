import type { Context } from "probot";
import { reviewJob } from "../jobs.ts";
import { pullFromPayload } from "../pull-request.ts";
import { startCheck } from "../write/checks.ts";
import type { HandlerScope } from "./scope.ts";

/** opened, synchronize, reopened, ready_for_review: the check in progress at once, the review queued. */
export async function onPullRequest(context: Context<"pull_request">, scope: HandlerScope): Promise<void> {
  const repo = context.repo();
  const pull = pullFromPayload(repo, context.payload.pull_request, scope.installation(context.payload));
  const check = await startCheck(context.octokit, repo, pull.headSha, String(pull.number));
  scope.push(reviewJob(pull, check));
}
