/** Starts the fixture Prometheus once for the whole test run and stops it after (vitest globalSetup). */
import type { TestProject } from "vitest/node";
import { testCluster } from "./fixture/cluster.ts";
import { startPrometheus } from "./fixture/prometheus-server.ts";

declare module "vitest" {
  export interface ProvidedContext {
    prometheus: { url: string; end: number };
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const end = Math.floor(Date.now() / 1000 / 300) * 300;
  const server = await startPrometheus(testCluster(end));
  project.provide("prometheus", { url: server.url, end });
  return server.stop;
}
