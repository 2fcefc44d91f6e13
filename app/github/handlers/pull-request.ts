import type { Context } from "probot";
import { reviewJob } from "../jobs.ts";
import { pullFromPayload } from "../pull-request.ts";
import type { HandlerScope } from "./scope.ts";

/**
 * opened, synchronize, reopened, ready_for_review: the review queued, nothing else (its job opens the
 * check). The pull request's `updated_at` orders its pushes, so a late redelivery of an older push
 * never replaces the review of a newer one.
 */
export async function onPullRequest(context: Context<"pull_request">, scope: HandlerScope): Promise<void> {
  const repo = context.repo();
  const payload = context.payload.pull_request;
  const pull = pullFromPayload(repo, payload, scope.installation(context.payload));
  await scope.push({ ...reviewJob(pull, undefined), at: Date.parse(payload.updated_at) });
}
