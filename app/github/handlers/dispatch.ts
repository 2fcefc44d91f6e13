import type { Context } from "probot";
import { scanJob } from "../scan-run.ts";
import type { HandlerScope } from "./scope.ts";

/** The `event_type` a workflow sends (`POST /repos/{owner}/{repo}/dispatches`) to ask for a scan. */
export const SCAN_EVENT_TYPE = "greenops-scan";

/** `repository_dispatch` of type greenops-scan: a scan of the default branch, queued. */
export async function onDispatch(
  context: Context<"repository_dispatch">,
  scope: HandlerScope,
): Promise<void> {
  if (context.payload.action !== SCAN_EVENT_TYPE) return;
  const repository = {
    ...context.repo(),
    installationId: scope.installation(context.payload),
    defaultBranch: context.payload.repository.default_branch,
  };
  await scope.push(scanJob(repository, "dispatch"));
}
