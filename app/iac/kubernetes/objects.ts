import type { Amounts, Demand, ModifierDemand } from "../../model/resource.ts";
import type { ManifestReader } from "./manifest-reader.ts";
import { readAmounts } from "./pod-template.ts";

/** Kinds that cost nothing by themselves. */
export const FREE_KINDS = new Set([
  "APIService",
  "Certificate",
  "ClusterIssuer",
  "ClusterRole",
  "ClusterRoleBinding",
  "ConfigMap",
  "CustomResourceDefinition",
  "Endpoints",
  "EndpointSlice",
  "IngressClass",
  "Issuer",
  "MutatingWebhookConfiguration",
  "Namespace",
  "NetworkPolicy",
  "PersistentVolume",
  "PodDisruptionBudget",
  "PodMonitor",
  "PriorityClass",
  "PrometheusRule",
  "ResourceQuota",
  "Role",
  "RoleBinding",
  "RuntimeClass",
  "Secret",
  "ServiceAccount",
  "ServiceMonitor",
  "ValidatingWebhookConfiguration",
  "VerticalPodAutoscaler",
]);

/** Kinds that are not namespaced: a default namespace (Kustomize's, an ArgoCD destination's) leaves them alone. */
const CLUSTER_SCOPED = new Set([
  "Namespace",
  "Node",
  "PersistentVolume",
  "StorageClass",
  "ClusterRole",
  "ClusterRoleBinding",
  "CustomResourceDefinition",
  "PriorityClass",
  "IngressClass",
  "RuntimeClass",
  "MutatingWebhookConfiguration",
  "ValidatingWebhookConfiguration",
  "APIService",
  "ClusterIssuer",
  "CSIDriver",
  "VolumeSnapshotClass",
]);

export function isNamespaced(kind: string): boolean {
  return !CLUSTER_SCOPED.has(kind);
}

export function readAutoscaler(reader: ManifestReader): ModifierDemand | undefined {
  const kind = reader.string(["spec", "scaleTargetRef", "kind"]);
  const name = reader.string(["spec", "scaleTargetRef", "name"], true);
  const maxReplicas = reader.integer(["spec", "maxReplicas"], { min: 1, max: 1_000_000 });
  const minReplicas = reader.integer(["spec", "minReplicas"], { min: 0, max: 1_000_000 }) ?? 1;
  if (!kind || !name || maxReplicas === undefined) {
    reader.report(
      ["spec"],
      "error",
      "the autoscaler needs spec.scaleTargetRef.kind, .name and spec.maxReplicas",
    );
    return undefined;
  }
  if (minReplicas > maxReplicas) {
    reader.report(["spec", "minReplicas"], "error", "spec.minReplicas is above spec.maxReplicas");
  }
  return {
    type: "modifier",
    effect: {
      kind: "autoscaler",
      target: { kind, name },
      minReplicas,
      maxReplicas: Math.max(minReplicas, maxReplicas),
      utilisation: readUtilisation(reader),
    },
  };
}

/** The HPA controller's default when no metric is given: 80 % of the CPU request. */
const DEFAULT_CPU_UTILISATION = 80;

/**
 * The resources the autoscaler scales on as a percentage of their request (Utilization targets:
 * autoscaling/v1 `targetCPUUtilizationPercentage`, v2 `metrics[].resource.target.averageUtilization`,
 * v2beta1 `targetAverageUtilization`, and `ContainerResource` metrics). Changing those requests
 * changes the replica count.
 */
function readUtilisation(reader: ManifestReader): { cpu?: number; memory?: number } {
  const v1 = reader.value(["spec", "targetCPUUtilizationPercentage"]);
  const count = reader.count(["spec", "metrics"]);
  if (typeof v1 === "number") return { cpu: v1 };
  if (count === 0) return { cpu: DEFAULT_CPU_UTILISATION };
  const utilisation: { cpu?: number; memory?: number } = {};
  for (let index = 0; index < count; index++) {
    const type = reader.value(["spec", "metrics", index, "type"]);
    const key = type === "ContainerResource" ? "containerResource" : "resource";
    const metric = ["spec", "metrics", index, key];
    const name = reader.value([...metric, "name"]);
    const target =
      reader.value([...metric, "target", "averageUtilization"]) ??
      reader.value([...metric, "targetAverageUtilization"]);
    if ((name === "cpu" || name === "memory") && typeof target === "number") utilisation[name] = target;
  }
  return utilisation;
}

/**
 * The container defaults of a LimitRange, after the API server's own defaulting of the object:
 * a missing defaultRequest takes the default limit, and a missing default limit takes the max.
 */
export function readLimitRange(reader: ManifestReader): ModifierDemand {
  const defaultRequest: Partial<Amounts> = {};
  const defaultLimit: Partial<Amounts> = {};
  const count = reader.count(["spec", "limits"]);
  for (let index = 0; index < count; index++) {
    const path = ["spec", "limits", index];
    if (reader.value([...path, "type"]) !== "Container") continue;
    const max = readAmounts(reader, [...path, "max"]);
    const limit = { ...max, ...readAmounts(reader, [...path, "default"]) };
    const request = { ...limit, ...readAmounts(reader, [...path, "defaultRequest"]) };
    Object.assign(defaultLimit, limit);
    Object.assign(defaultRequest, request);
  }
  return { type: "modifier", effect: { kind: "limit-range", defaultRequest, defaultLimit } };
}

const NLB_TYPES = new Set(["nlb", "nlb-ip", "external"]);

export function readService(reader: ManifestReader): Demand {
  if (reader.string(["spec", "type"], true) !== "LoadBalancer") return { type: "free" };
  const type = reader.value(["metadata", "annotations", "service.beta.kubernetes.io/aws-load-balancer-type"]);
  const loadBalancerClass = reader.string(["spec", "loadBalancerClass"]);
  const network = NLB_TYPES.has(String(type)) || loadBalancerClass === "service.k8s.aws/nlb";
  return { type: "load-balancer", flavour: network ? "network" : "classic" };
}

/** An Ingress handled by the AWS Load Balancer Controller provisions an ALB (one per group). */
export function readIngress(reader: ManifestReader): Demand {
  const className =
    reader.string(["spec", "ingressClassName"]) ??
    reader.value(["metadata", "annotations", "kubernetes.io/ingress.class"]);
  if (className !== "alb") return { type: "free" };
  const group = reader.value(["metadata", "annotations", "alb.ingress.kubernetes.io/group.name"]);
  return typeof group === "string"
    ? { type: "load-balancer", flavour: "application", group }
    : { type: "load-balancer", flavour: "application" };
}
