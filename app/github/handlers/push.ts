import type { Context } from "probot";
import { deployJob } from "../deploy-run.ts";
import { pushFromPayload } from "../push.ts";
import type { HandlerScope } from "./scope.ts";

/**
 * A push to the default branch, when the App's environment names an ArgoCD server: the deployment is
 * followed off the webhook's clock, by a job that opens the "GreenOps deploy" check on the pushed commit.
 * The handler writes nothing to GitHub: a redelivery reaching another replica adds no job, so no check.
 */
export async function onPush(context: Context<"push">, scope: HandlerScope): Promise<void> {
  if (!scope.deploys) return;
  const push = pushFromPayload(context.repo(), context.payload, scope.installation(context.payload));
  if (push) await scope.push(deployJob(push));
}
