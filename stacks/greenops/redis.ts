import * as aws from "@pulumi/aws";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { labels, type Settings } from "./config.ts";

/**
 * The queue's Redis, as a REDIS_URL. In the cluster: one Redis with an append-only file on a volume
 * (queued jobs survive a restart of Redis). On AWS: ElastiCache, two nodes in two zones with
 * automatic failover, encrypted at rest and in transit, with an AUTH token.
 */
export function redis(settings: Settings, namespace: pulumi.Input<string>): pulumi.Output<string> {
  return settings.elastiCache && settings.redisAuthToken
    ? elastiCache(settings.elastiCache, settings.redisAuthToken)
    : inCluster(namespace);
}

function inCluster(namespace: pulumi.Input<string>): pulumi.Output<string> {
  const meta = { name: "greenops-redis", namespace, labels: labels("redis") };
  new k8s.apps.v1.StatefulSet("greenops-redis", {
    metadata: meta,
    spec: {
      serviceName: "greenops-redis",
      replicas: 1,
      selector: { matchLabels: labels("redis") },
      template: {
        metadata: { labels: labels("redis") },
        spec: {
          containers: [
            {
              name: "redis",
              image: "redis:7.4-alpine",
              args: ["--appendonly", "yes", "--maxmemory-policy", "noeviction"],
              ports: [{ name: "redis", containerPort: 6379 }],
              resources: { requests: { cpu: "100m", memory: "256Mi" }, limits: { memory: "256Mi" } },
              volumeMounts: [{ name: "data", mountPath: "/data" }],
            },
          ],
        },
      },
      volumeClaimTemplates: [
        {
          metadata: { name: "data" },
          spec: { accessModes: ["ReadWriteOnce"], resources: { requests: { storage: "1Gi" } } },
        },
      ],
    },
  });
  const service = new k8s.core.v1.Service("greenops-redis", {
    metadata: meta,
    spec: { selector: labels("redis"), ports: [{ name: "redis", port: 6379, targetPort: "redis" }] },
  });
  return pulumi.interpolate`redis://${service.metadata.name}.${service.metadata.namespace}:6379`;
}

function elastiCache(
  settings: NonNullable<Settings["elastiCache"]>,
  authToken: pulumi.Output<string>,
): pulumi.Output<string> {
  const group = new aws.ec2.SecurityGroup("greenops-redis", {
    vpcId: settings.vpcId,
    description: "GreenOps' Redis: reachable from the cluster only",
    ingress: [{ protocol: "tcp", fromPort: 6379, toPort: 6379, cidrBlocks: [settings.clusterCidr] }],
  });
  const subnets = new aws.elasticache.SubnetGroup("greenops-redis", { subnetIds: settings.subnetIds });
  const redis = new aws.elasticache.ReplicationGroup("greenops-redis", {
    description: "GreenOps job queue",
    engine: "redis",
    engineVersion: "7.1",
    nodeType: settings.nodeType,
    numCacheClusters: 2,
    automaticFailoverEnabled: true,
    multiAzEnabled: true,
    atRestEncryptionEnabled: true,
    transitEncryptionEnabled: true,
    authToken,
    parameterGroupName: "default.redis7",
    subnetGroupName: subnets.name,
    securityGroupIds: [group.id],
  });
  return pulumi.secret(pulumi.interpolate`rediss://:${authToken}@${redis.primaryEndpointAddress}:6379`);
}
