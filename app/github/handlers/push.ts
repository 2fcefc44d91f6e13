import type { Context } from "probot";
import { deployJob } from "../deploy-run.ts";
import { pushFromPayload } from "../push.ts";
import { DEPLOY_CHECK_NAME } from "../render/deploy-check.ts";
import { startCheck } from "../write/checks.ts";
import type { HandlerScope } from "./scope.ts";

/**
 * A push to the default branch, when the App's environment names an ArgoCD server: the "GreenOps
 * deploy" check in progress on the pushed commit at once, the deployment followed off the webhook's clock.
 */
export async function onPush(context: Context<"push">, scope: HandlerScope): Promise<void> {
  if (!scope.deploys) return;
  const push = pushFromPayload(context.repo(), context.payload, scope.installation(context.payload));
  if (!push) return;
  const check = await startCheck(context.octokit, context.repo(), push.after, push.after, DEPLOY_CHECK_NAME);
  await scope.push(deployJob(push, check));
}
