import * as k8s from "@pulumi/kubernetes";
import type * as pulumi from "@pulumi/pulumi";
import { labels, type Settings } from "./config.ts";

const PORT = 3000;

/**
 * The App's secret (its GitHub App key, webhook secret and Redis URL, from Pulumi config secrets), the
 * web Deployment behind a Service, and the worker Deployment that an HPA scales on CPU.
 */
export function greenOpsApp(
  settings: Settings,
  namespace: pulumi.Input<string>,
  redisUrl: pulumi.Input<string>,
) {
  const secret = new k8s.core.v1.Secret("greenops-app", {
    metadata: { name: "greenops-app", namespace, labels: labels("app") },
    stringData: {
      APP_ID: settings.appId,
      PRIVATE_KEY: settings.privateKey,
      WEBHOOK_SECRET: settings.webhookSecret,
      REDIS_URL: redisUrl,
    },
  });
  const container = (role: "web" | "worker", resources: k8s.types.input.core.v1.ResourceRequirements) => ({
    name: role,
    image: settings.image,
    envFrom: [{ secretRef: { name: secret.metadata.name } }],
    env: [
      { name: "GREENOPS_ROLE", value: role },
      { name: "GREENOPS_CONCURRENCY", value: String(settings.workers.concurrency) },
      { name: "HOST", value: "0.0.0.0" },
      { name: "PORT", value: String(PORT) },
      { name: "NODE_ENV", value: "production" },
      { name: "LOG_FORMAT", value: "json" },
    ],
    ports: [{ name: "http", containerPort: PORT }],
    readinessProbe: { httpGet: { path: "/healthz", port: "http" } },
    livenessProbe: { httpGet: { path: "/healthz", port: "http" }, periodSeconds: 20 },
    resources,
  });
  const deployment = (
    role: "web" | "worker",
    replicas: number,
    resources: k8s.types.input.core.v1.ResourceRequirements,
  ) =>
    new k8s.apps.v1.Deployment(`greenops-${role}`, {
      metadata: { name: `greenops-${role}`, namespace, labels: labels(role) },
      spec: {
        replicas,
        selector: { matchLabels: labels(role) },
        template: {
          metadata: { labels: labels(role) },
          spec: {
            // SIGTERM: running jobs get GREENOPS_SHUTDOWN_SECONDS (20) to finish, then go back to the queue
            terminationGracePeriodSeconds: 30,
            containers: [container(role, resources)],
          },
        },
      },
    });
  const web = deployment("web", settings.webReplicas, {
    requests: { cpu: "100m", memory: "256Mi" },
    limits: { memory: "512Mi" },
  });
  const worker = deployment("worker", settings.workers.minReplicas, {
    requests: { cpu: "500m", memory: "768Mi" },
    limits: { memory: "1536Mi" },
  });
  new k8s.autoscaling.v2.HorizontalPodAutoscaler("greenops-worker", {
    metadata: { name: "greenops-worker", namespace, labels: labels("worker") },
    spec: {
      scaleTargetRef: { apiVersion: "apps/v1", kind: "Deployment", name: worker.metadata.name },
      minReplicas: settings.workers.minReplicas,
      maxReplicas: settings.workers.maxReplicas,
      metrics: [
        {
          type: "Resource",
          resource: { name: "cpu", target: { type: "Utilization", averageUtilization: 70 } },
        },
      ],
    },
  });
  const service = (role: "web" | "worker") =>
    new k8s.core.v1.Service(`greenops-${role}`, {
      metadata: { name: `greenops-${role}`, namespace, labels: labels(role) },
      spec: { selector: labels(role), ports: [{ name: "http", port: 80, targetPort: "http" }] },
    });
  const webService = service("web");
  service("worker"); // the workers' /metrics, for the ServiceMonitor
  return { web, worker, webService };
}
