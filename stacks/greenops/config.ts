import * as pulumi from "@pulumi/pulumi";

export type WorkerSettings = { minReplicas: number; maxReplicas: number; concurrency: number };
export type ElastiCacheSettings = {
  vpcId: string;
  subnetIds: string[];
  clusterCidr: string;
  nodeType: string;
};

/** The stack's settings (`greenops:*`), its secrets kept secret (Pulumi config secrets). */
export function settings() {
  const config = new pulumi.Config("greenops");
  const redis = config.get("redis") ?? "in-cluster";
  if (redis !== "in-cluster" && redis !== "elasticache")
    throw new Error(`greenops:redis is "${redis}": use in-cluster or elasticache`);
  return {
    namespace: config.get("namespace") ?? "greenops",
    image: config.get("image") ?? "ghcr.io/greenops-dev/greenops:0.1.0",
    appId: config.require("appId"),
    privateKey: config.requireSecret("privateKey"),
    webhookSecret: config.requireSecret("webhookSecret"),
    webReplicas: config.getNumber("webReplicas") ?? 2,
    workers: config.getObject<WorkerSettings>("workers") ?? {
      minReplicas: 2,
      maxReplicas: 8,
      concurrency: 2,
    },
    redis,
    elastiCache:
      redis === "elasticache" ? config.requireObject<ElastiCacheSettings>("elasticache") : undefined,
    redisAuthToken: redis === "elasticache" ? config.requireSecret("redisAuthToken") : undefined,
    monitoring: config.getBoolean("serviceMonitor") ?? true,
  };
}

export type Settings = ReturnType<typeof settings>;

/** The labels every GreenOps object carries; `component` tells web, worker and redis apart. */
export function labels(component: string): Record<string, string> {
  return {
    "app.kubernetes.io/name": "greenops",
    "app.kubernetes.io/component": component,
    "app.kubernetes.io/managed-by": "pulumi",
  };
}
