/**
 * The parts of ArgoCD's `v1alpha1Application` GreenOps reads (argo-cd v3.5.1 swagger): its sources
 * and destination, and its sync, health and last operation. Everything else is passed over.
 */
export type LiveSource = { repoURL?: string; path?: string; chart?: string; targetRevision?: string };

export type SyncRevision = { revision?: string; revisions?: string[] };

export type OperationState = {
  /** Running | Terminating | Failed | Error | Succeeded */
  phase?: string;
  message?: string;
  startedAt?: string;
  finishedAt?: string;
  syncResult?: SyncRevision;
  operation?: { sync?: SyncRevision };
};

export type LiveApplication = {
  metadata: { name: string; namespace?: string; labels?: Record<string, string> };
  spec?: {
    project?: string;
    source?: LiveSource;
    sources?: LiveSource[];
    destination?: { server?: string; name?: string; namespace?: string };
    syncPolicy?: { automated?: { enabled?: boolean } };
  };
  /** Set while an operation is requested and not yet picked up by the controller. */
  operation?: { sync?: SyncRevision };
  status?: {
    /** Synced | OutOfSync | Unknown */
    sync?: { status?: string } & SyncRevision;
    /** Healthy | Progressing | Degraded | Suspended | Missing | Unknown */
    health?: { status?: string; message?: string };
    operationState?: OperationState;
  };
};

/** An application as ArgoCD sent it, if it has at least a name (third-party input: the rest is optional). */
export function liveApplication(value: unknown): LiveApplication | undefined {
  if (typeof value !== "object" || value === null) return undefined;
  const metadata = (value as { metadata?: { name?: unknown } }).metadata;
  return typeof metadata?.name === "string" ? (value as LiveApplication) : undefined;
}

/** Whether ArgoCD syncs the application by itself (`syncPolicy.automated`, not disabled). */
export function autoSyncs(application: LiveApplication): boolean {
  const automated = application.spec?.syncPolicy?.automated;
  return automated !== undefined && automated !== null && automated.enabled !== false;
}
