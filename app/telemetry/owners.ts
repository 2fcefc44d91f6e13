import type { Sample } from "./prometheus.ts";
import { STAT } from "./promql.ts";

/** A pod's controlling workload, as kube-state-metrics' owner metrics describe it. */
export type Owner = { kind: string; name: string; replicaSet?: string };

/**
 * Resolves pods to their top controllers from `kube_pod_owner`, `kube_replicaset_owner` and
 * `kube_job_owner` samples (stats pod, replicaset, job): a pod of a ReplicaSet owned by a Deployment
 * (or an Argo Rollout) belongs to it, a pod of a Job owned by a CronJob to the CronJob; a pod without
 * an owner is its own workload.
 */
export function ownerResolver(samples: Sample[]): (namespace: string, pod: string) => Owner {
  const pods = new Map<string, Owner>();
  const parents = new Map<string, Owner>();
  for (const { labels } of samples) {
    const kind = labels.owner_kind ?? "";
    if (kind === "" || kind === "<none>") continue;
    const owner = { kind, name: labels.owner_name ?? "" };
    const stat = labels[STAT];
    if (stat === "pod") pods.set(`${labels.namespace}/${labels.pod}`, owner);
    if (stat === "replicaset") parents.set(`${labels.namespace}/ReplicaSet/${labels.replicaset}`, owner);
    if (stat === "job") parents.set(`${labels.namespace}/Job/${labels.job_name}`, owner);
  }
  return (namespace, pod) => {
    const direct = pods.get(`${namespace}/${pod}`);
    if (!direct) return { kind: "Pod", name: pod };
    const parent = parents.get(`${namespace}/${direct.kind}/${direct.name}`);
    if (!parent) return direct;
    return direct.kind === "ReplicaSet" ? { ...parent, replicaSet: direct.name } : parent;
  };
}
