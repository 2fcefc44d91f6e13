/** Realistic Argo CD Applications (the shape `kubectl get application -o json` and the API give). */

export type AppSpec = {
  name: string;
  repoURL: string;
  path: string;
  targetRevision?: string;
  /** destination.server (a URL) or destination.name. */
  cluster?: string;
  namespace: string;
  project?: string;
  automated?: boolean;
  /** The revision deployed now. */
  revision: string;
  labels?: Record<string, string>;
  /** The ApplicationSet that generated it (an owner reference). */
  generatedBy?: string;
};

export type Json = Record<string, unknown>;

export function now(): string {
  return new Date().toISOString().replace(/\.\d{3}Z$/, "Z");
}

export function applicationObject(spec: AppSpec): Json {
  const source = { repoURL: spec.repoURL, path: spec.path, targetRevision: spec.targetRevision ?? "main" };
  const cluster = spec.cluster ?? "https://kubernetes.default.svc";
  const destination = cluster.startsWith("https://")
    ? { server: cluster, namespace: spec.namespace }
    : { name: cluster, namespace: spec.namespace };
  const at = now();
  return {
    metadata: {
      name: spec.name,
      namespace: "argocd",
      uid: `7f3c${spec.name.length}e2a-1b4d-4c5e-9f6a-0d1e2f3a4b5c`,
      resourceVersion: "48211",
      generation: 17,
      creationTimestamp: "2026-10-02T08:14:03Z",
      labels: spec.labels ?? {},
      ...(spec.generatedBy
        ? {
            ownerReferences: [
              {
                apiVersion: "argoproj.io/v1alpha1",
                kind: "ApplicationSet",
                name: spec.generatedBy,
                uid: "0a1b2c3d-4e5f-6071-8293-a4b5c6d7e8f9",
                controller: true,
                blockOwnerDeletion: true,
              },
            ],
          }
        : {}),
    },
    spec: {
      project: spec.project ?? "default",
      source,
      destination,
      syncPolicy: spec.automated
        ? { automated: { prune: false, selfHeal: true }, syncOptions: ["CreateNamespace=true"] }
        : { syncOptions: ["CreateNamespace=true"] },
    },
    status: {
      sync: { status: "Synced", comparedTo: { source, destination }, revision: spec.revision },
      health: { status: "Healthy", lastTransitionTime: "2026-11-19T16:02:11Z" },
      operationState: {
        operation: {
          sync: { revision: spec.revision, syncStrategy: { hook: {} } },
          initiatedBy: spec.automated ? { automated: true } : { username: "admin" },
          retry: {},
        },
        phase: "Succeeded",
        message: "successfully synced (all tasks run)",
        syncResult: { resources: [], revision: spec.revision, source },
        startedAt: "2026-11-19T16:01:58Z",
        finishedAt: "2026-11-19T16:02:03Z",
      },
      reconciledAt: at,
      sourceType: "Directory",
      summary: {},
      resources: [
        {
          group: "apps",
          version: "v1",
          kind: "Deployment",
          namespace: spec.namespace,
          name: spec.name,
          status: "Synced",
          health: { status: "Healthy" },
        },
      ],
      controllerNamespace: "argocd",
    },
  };
}
