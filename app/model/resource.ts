import type { CloudDemand, CloudLocation, MonthlyUsage } from "./cloud.ts";
import type { Span } from "./span.ts";

/**
 * The normalized resource model: one shape for every IaC source. A resource knows who it is, where it
 * is written (and where each field a policy may point at is written), and the quantities its cost and
 * carbon depend on (its demand).
 */
export type Resource = {
  /** `Kind/namespace/name` (`Kind/name` without a namespace); a cloud resource's address. */
  id: string;
  kind: string;
  name: string;
  namespace?: string;
  apiVersion?: string;
  /** The environment the resource is deployed to; "" when no environment applies. */
  environment: string;
  labels: Record<string, string>;
  source: ResourceSource;
  demand: Demand;
  /** Assumptions made while reading the resource, in plain words (shown in the report). */
  notes: string[];
  /** Set when the input is itself a change (a Terraform plan, a Pulumi preview): the side this is. */
  planned?: { action: PlanAction; side: "before" | "after" };
  /** The ArgoCD Application that deploys the resource's file, when one does. */
  application?: ApplicationRef;
};

export type PlanAction = "create" | "update" | "delete" | "replace" | "no-op";

/** An ArgoCD Application: which source it deploys, where, at which revision. */
export type ApplicationRef = {
  name: string;
  /** The file that declares it (an Application, or the ApplicationSet that generates it). */
  file: string;
  line: number;
  project?: string;
  /** destination.server or destination.name. */
  cluster: string;
  namespace?: string;
  revision: string;
};

export type ResourceSource = {
  /** The id of the format that read it (app/engine/formats.ts). */
  format: string;
  /** The whole document or block. */
  span: Span;
  /** JSON pointer of a field → where it is written; present fields only. */
  fields: Record<string, FieldSpan>;
  /** Where the object is in its file: the YAML document's index and the path to the object in it. */
  document?: { index: number; path: (string | number)[] };
};

export type FieldSpan = {
  value: Span;
  key?: Span;
  /** The value is shared through a YAML anchor: editing it edits every alias. */
  viaAlias?: boolean;
  /** The value is computed when a program runs (an expression, not a literal): nothing to edit. */
  computed?: boolean;
  /**
   * Set when the value is written in a YAML file other than the resource's own document (a Pulumi
   * stack's config value in Pulumi.<stack>.yaml, a Kustomize base or patch): its path there, in the
   * document `yamlDocument` (0 when absent), for an edit.
   */
  yamlPath?: readonly (string | number)[];
  yamlDocument?: number;
  /** The value is written in a Kustomize inline patch (YAML in a string): located at the patch's entry only. */
  inlinePatch?: boolean;
};

export type Demand =
  | WorkloadDemand
  | VolumeDemand
  | LoadBalancerDemand
  | ModifierDemand
  | FreeDemand
  | UnknownDemand
  | CloudDemand;

/** Pods: Deployment, StatefulSet, DaemonSet, ReplicaSet, Pod, Job, CronJob. */
export type WorkloadDemand = {
  type: "workload";
  replicas: Replicas;
  /** Jobs and CronJobs run part of the month. */
  runs?: JobRuns;
  /** A kube-downscaler schedule: the workload runs its replicas only part of the week. */
  uptime?: Uptime;
  containers: ContainerDemand[];
  /** `spec.overhead` (RuntimeClass), added to each pod. */
  overhead: Partial<Amounts>;
  /** Pod-level `spec.resources.requests`, which take precedence over container sums. */
  podRequests: Partial<Amounts>;
  /** Effective requests of one pod, computed by Kubernetes' rules once defaults are known. */
  pod: Amounts;
  /** StatefulSet volumeClaimTemplates: one claim per replica each. */
  volumeClaims: VolumeDemand[];
};

export type Replicas = {
  /** The count the estimate uses. */
  count: number;
  /** Bounds when an autoscaler owns the count. */
  min?: number;
  max?: number;
  basis: "spec" | "default" | "autoscaler" | "node-count" | "single-pod";
  /** The resource that set the count (an HPA's id). */
  by?: string;
};

export type JobRuns = {
  runsPerMonth: number;
  /** Seconds one run keeps its pods busy. */
  runSeconds: number;
  runSecondsBasis: "active-deadline" | "default";
  /** Pods running at once during a run. */
  podsPerRun: number;
  schedule?: string;
  /** A CronJob's `spec.timeZone` (IANA); its schedule is in the controller's zone (usually UTC) without one. */
  timeZone?: string;
  suspended: boolean;
};

export type Uptime = {
  /** Share of the week (0–1) the workload runs its replicas. */
  share: number;
  /** The annotation and its value, as written. */
  annotation: "downscaler/uptime" | "downscaler/downtime";
  schedule: string;
  /** Replicas outside the uptime (`downscaler/downtime-replicas`, default 0). */
  downtimeReplicas: number;
};

export type Amounts = { cpuMillis: number; memoryBytes: number; gpus: number };

export type AmountBasis = "request" | "limit" | "limit-range" | "none";

export type ContainerDemand = {
  name: string;
  role: "app" | "init" | "sidecar";
  /** JSON pointer of the container in its document. */
  pointer: string;
  requests: Partial<Amounts>;
  limits: Partial<Amounts>;
  /** Requests after Kubernetes' defaulting (limits, LimitRange). */
  effective: Amounts;
  basis: { cpu: AmountBasis; memory: AmountBasis };
};

/** A PersistentVolumeClaim or a volume claim template. */
export type VolumeDemand = {
  type: "volume";
  /** The claim's metadata.name (a volume claim template's name). */
  name?: string;
  storageBytes: number;
  storageClass?: string;
  /** The cloud volume type the class provisions (gp3, io1, …), when known. */
  volumeType?: string;
  /** JSON pointer of the claim in its document. */
  pointer: string;
};

export type LoadBalancerDemand = {
  type: "load-balancer";
  flavour: "classic" | "network" | "application";
  /** Ingresses in one AWS load balancer controller group share one ALB. */
  group?: string;
  /** Set when another resource of the group already pays for the load balancer. */
  sharedWith?: string;
  /** Cloud resources (aws_lb) carry their own region; Kubernetes ones take the environment's. */
  location?: CloudLocation;
  /** Load balancer capacity units a month (LCU-hours), from a usage file; usage-based without one. */
  capacityUnits?: MonthlyUsage;
};

/** Changes other resources' demand; costs nothing itself. */
export type ModifierDemand = { type: "modifier"; effect: ModifierEffect };

export type ModifierEffect =
  | {
      kind: "autoscaler";
      target: { kind: string; name: string };
      minReplicas: number;
      maxReplicas: number;
      /** Target utilisation (% of the request) of the resources it scales on. */
      utilisation: { cpu?: number; memory?: number };
    }
  | { kind: "limit-range"; defaultRequest: Partial<Amounts>; defaultLimit: Partial<Amounts> }
  | { kind: "storage-class"; name: string; provisioner: string; volumeType?: string; isDefault: boolean };

/** Costs nothing by nature (ConfigMap, Service ClusterIP, RBAC, …). */
export type FreeDemand = { type: "free" };

/** A kind GreenOps has no cost model for. */
export type UnknownDemand = { type: "unknown"; reason: string };

/** One object of one environment as a key: its environment and identity (a file may move). */
export function resourceKey({ environment, id }: { environment: string; id: string }): string {
  return `${environment}\0${id}`;
}

/**
 * True when the pods request nothing at all: no container requests (or limits, or gets from a
 * LimitRange) CPU or memory, and the pod sets none itself. Such a workload is not free: what it costs
 * is unknown.
 */
export function requestsNothing(demand: WorkloadDemand): boolean {
  const { podRequests } = demand;
  if (podRequests.cpuMillis !== undefined || podRequests.memoryBytes !== undefined || demand.pod.gpus > 0)
    return false;
  return demand.containers.every((c) => c.basis.cpu === "none" && c.basis.memory === "none");
}
