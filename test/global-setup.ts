/**
 * Starts the servers tests share, once for the whole run, and stops them after (vitest globalSetup):
 * the fixture Prometheus, and a Redis for the App's durable queue.
 */
import type { TestProject } from "vitest/node";
import { startRedis } from "./service/redis-server.ts";
import { testCluster } from "./telemetry/fixture/cluster.ts";
import { startPrometheus } from "./telemetry/fixture/prometheus-server.ts";

declare module "vitest" {
  export interface ProvidedContext {
    prometheus: { url: string; end: number };
    redis: { url: string };
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const end = Math.floor(Date.now() / 1000 / 300) * 300;
  const [prometheus, redis] = await Promise.all([startPrometheus(testCluster(end)), startRedis()]);
  project.provide("prometheus", { url: prometheus.url, end });
  project.provide("redis", { url: redis.url });
  return async () => {
    await Promise.all([prometheus.stop(), redis.stop()]);
  };
}
