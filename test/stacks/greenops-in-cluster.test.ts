import { readFileSync } from "node:fs";
import { load } from "js-yaml";
import { describe, expect, it } from "vitest";
import { envOf, one, runGreenOpsStack, secretValue } from "./pulumi-mocks.ts";

const PROD = load(
  readFileSync(new URL("../../stacks/greenops/Pulumi.prod.yaml", import.meta.url), "utf8"),
) as {
  config: Record<string, unknown>;
};

describe("stacks/greenops, the prod stack (Redis in the cluster), under Pulumi's mocks", async () => {
  const config = {
    ...Object.fromEntries(Object.entries(PROD.config).filter(([, v]) => !(v as { secure?: string }).secure)),
    "greenops:privateKey": "-----BEGIN RSA PRIVATE KEY-----\ntest\n-----END RSA PRIVATE KEY-----\n",
    "greenops:webhookSecret": "webhook-secret",
  };
  const registered = await runGreenOpsStack("prod", config, [
    "greenops:privateKey",
    "greenops:webhookSecret",
  ]);

  it("registers the namespace, the App's secret, web and worker, Redis and the ServiceMonitor, nothing on AWS", () => {
    expect(registered.map((r) => `${r.type}::${r.name}`).sort()).toEqual([
      "kubernetes:apps/v1:Deployment::greenops-web",
      "kubernetes:apps/v1:Deployment::greenops-worker",
      "kubernetes:apps/v1:StatefulSet::greenops-redis",
      "kubernetes:autoscaling/v2:HorizontalPodAutoscaler::greenops-worker",
      "kubernetes:core/v1:Namespace::greenops",
      "kubernetes:core/v1:Secret::greenops-app",
      "kubernetes:core/v1:Service::greenops-redis",
      "kubernetes:core/v1:Service::greenops-web",
      "kubernetes:core/v1:Service::greenops-worker",
      "kubernetes:monitoring.coreos.com/v1:ServiceMonitor::greenops",
    ]);
  });

  it("puts the config secrets and the in-cluster REDIS_URL in the App's secret, kept secret", () => {
    const secret = one(registered, "kubernetes:core/v1:Secret", "greenops-app");
    expect(secretValue(secret.inputs.stringData)).toEqual({
      APP_ID: "123456",
      PRIVATE_KEY: config["greenops:privateKey"],
      WEBHOOK_SECRET: "webhook-secret",
      REDIS_URL: "redis://greenops-redis.greenops:6379",
    });
  });

  it("runs web and worker roles from one image; an HPA scales the workers on CPU", () => {
    const web = one(registered, "kubernetes:apps/v1:Deployment", "greenops-web");
    const worker = one(registered, "kubernetes:apps/v1:Deployment", "greenops-worker");
    expect(web.inputs.spec.replicas).toBe(2);
    expect(envOf(web)).toMatchObject({ GREENOPS_ROLE: "web", HOST: "0.0.0.0", LOG_FORMAT: "json" });
    expect(envOf(worker)).toMatchObject({ GREENOPS_ROLE: "worker", GREENOPS_CONCURRENCY: "2" });
    expect(worker.inputs.spec.template.spec.terminationGracePeriodSeconds).toBeGreaterThan(20);
    const probe = web.inputs.spec.template.spec.containers[0].readinessProbe;
    expect(probe.httpGet).toEqual({ path: "/healthz", port: "http" });
    const hpa = one(registered, "kubernetes:autoscaling/v2:HorizontalPodAutoscaler", "greenops-worker");
    expect(hpa.inputs.spec).toMatchObject({
      scaleTargetRef: { kind: "Deployment", name: "greenops-worker" },
      minReplicas: 2,
      maxReplicas: 8,
    });
  });

  it("keeps Redis' append-only file on a volume, with the eviction policy BullMQ needs", () => {
    const redis = one(registered, "kubernetes:apps/v1:StatefulSet", "greenops-redis");
    expect(redis.inputs.spec.template.spec.containers[0].args).toEqual([
      "--appendonly",
      "yes",
      "--maxmemory-policy",
      "noeviction",
    ]);
    expect(redis.inputs.spec.volumeClaimTemplates[0].spec.resources.requests.storage).toBe("1Gi");
  });

  it("scrapes /metrics of the web and worker Services", () => {
    const monitor = one(registered, "kubernetes:monitoring.coreos.com/v1:ServiceMonitor", "greenops");
    expect(monitor.inputs.spec.endpoints).toEqual([{ port: "http", path: "/metrics", interval: "30s" }]);
    const worker = one(registered, "kubernetes:core/v1:Service", "greenops-worker");
    expect(worker.inputs.spec.ports[0].name).toBe("http");
  });
});
