/**
 * GreenOps on Kubernetes: `pulumi up` with a stack (Pulumi.prod.yaml: Redis in the cluster;
 * Pulumi.staging.yaml: ElastiCache). GreenOps reviews changes to this program like any other.
 */
import * as k8s from "@pulumi/kubernetes";
import { greenOpsApp } from "./app.ts";
import { labels, settings } from "./config.ts";
import { serviceMonitor } from "./monitoring.ts";
import { redis } from "./redis.ts";

const stack = settings();
const namespace = new k8s.core.v1.Namespace("greenops", {
  metadata: { name: stack.namespace, labels: labels("namespace") },
});
const app = greenOpsApp(stack, namespace.metadata.name, redis(stack, namespace.metadata.name));
if (stack.monitoring) serviceMonitor(namespace.metadata.name);

/** Point the GitHub App's webhook here (through your ingress): http://<this>/api/github/webhooks */
export const webService = app.webService.metadata.name;
