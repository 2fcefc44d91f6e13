import { autoSyncs, type LiveApplication, type SyncRevision } from "../../argocd/types.ts";

export type Result = "success" | "failure" | "neutral";

const FAILED_PHASES = new Set(["Failed", "Error"]);
const FAILED_HEALTH = new Set(["Degraded", "Missing"]);

/**
 * Whether ArgoCD is done with `revision` for this Application: its last operation for it failed, or it
 * shows that revision with no operation in flight and a health no longer Progressing. An auto-synced
 * Application that is not yet Synced is waited for: ArgoCD starts its sync after the refresh.
 */
export function settled(application: LiveApplication, revision: string): boolean {
  const status = application.status ?? {};
  const operation = status.operationState;
  const forRevision = operationFor(application, revision);
  if (forRevision && operation?.finishedAt && FAILED_PHASES.has(operation.phase ?? "")) return true;
  if (!names(status.sync, revision)) return false;
  if (application.operation || (operation && !operation.finishedAt)) return false;
  if (status.health?.status === "Progressing") return false;
  return !(autoSyncs(application) && status.sync?.status !== "Synced" && !forRevision);
}

/** What the Application's state says of the deployment, and ArgoCD's own words when it went wrong. */
export function resultOf(
  application: LiveApplication,
  revision: string,
): { result: Result; message?: string } {
  const status = application.status ?? {};
  const operation = status.operationState;
  if (operationFor(application, revision) && FAILED_PHASES.has(operation?.phase ?? ""))
    return { result: "failure", message: `sync ${operation?.phase}: ${operation?.message ?? "no message"}` };
  const health = status.health?.status ?? "Unknown";
  if (FAILED_HEALTH.has(health))
    return { result: "failure", message: `health ${health}${with_(status.health?.message)}` };
  const sync = status.sync?.status ?? "Unknown";
  if (sync === "Synced" && health === "Healthy") return { result: "success" };
  if (sync === "OutOfSync")
    return {
      result: "neutral",
      message: autoSyncs(application)
        ? "OutOfSync at this revision"
        : "OutOfSync: the Application does not sync by itself; sync it, or set argocd.sync: true in .github/greenops.yml",
    };
  return { result: "neutral", message: `sync ${sync}, health ${health}${with_(status.health?.message)}` };
}

/** The revision ArgoCD shows the Application at (the first source's, for several sources). */
export function shownRevision(application: LiveApplication): string | undefined {
  const sync = application.status?.sync;
  return sync?.revision || sync?.revisions?.find(Boolean);
}

/** Whether the Application's last operation is about `revision`. */
function operationFor(application: LiveApplication, revision: string): boolean {
  const operation = application.status?.operationState;
  return names(operation?.syncResult, revision) || names(operation?.operation?.sync, revision);
}

function names(sync: SyncRevision | undefined, revision: string): boolean {
  return sync?.revision === revision || (sync?.revisions ?? []).includes(revision);
}

function with_(message: string | undefined): string {
  return message ? `: ${message}` : "";
}
