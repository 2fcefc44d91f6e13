/**
 * Usage written by hand, as a 14-day telemetry window would give it: for the policies' documentation
 * examples and tests (GreenOps itself reads usage from Prometheus).
 */
import type { ContainerUsage, WorkloadUsage } from "./types.ts";

const MIB = 2 ** 20;
const DAY = 86_400;

/** A container's usage over 14 days (or `days`), peaking the day before the last, other days at 80 % of it. */
export function containerUsage(usage: {
  p95: number;
  p99?: number;
  peakMi: number;
  days?: number;
  oom?: ContainerUsage["oom"];
}): ContainerUsage {
  const days = usage.days ?? 14;
  const dailyPeaks = Array.from({ length: days }, (_, i) => ({
    day: `2026-11-${String(9 + i).padStart(2, "0")}`,
    bytes: i === days - 2 ? usage.peakMi * MIB : usage.peakMi * 0.8 * MIB,
  }));
  return {
    cpu: {
      quantiles: { "0.95": usage.p95, "0.99": usage.p99 ?? usage.p95 },
      max: usage.p99 ?? usage.p95,
      average: usage.p95 / 2,
      samples: days * 288,
    },
    memory: { peakBytes: usage.peakMi * MIB, peakDay: dailyPeaks.at(-2)?.day ?? "", dailyPeaks },
    historySeconds: days * DAY,
    ...(usage.oom ? { oom: usage.oom } : {}),
  };
}

/** A workload's usage, `Kind/namespace/name`. */
export function workloadUsage(
  id: string,
  containers: Record<string, ContainerUsage>,
  replicas?: number,
): WorkloadUsage {
  const [kind = "", namespace = "", name = ""] = id.split("/");
  return {
    namespace,
    kind,
    name,
    pods: [`${name}-0`],
    replicaSets: [],
    containers,
    ...(replicas ? { replicas } : {}),
  };
}

/** A Deployment `shop/<name>` with one container of that name and the given `resources:` lines, for examples. */
export function exampleDeployment(name: string, replicas: number, resources: string): string {
  return `apiVersion: apps/v1
kind: Deployment
metadata: { name: ${name}, namespace: shop }
spec:
  replicas: ${replicas}
  selector: { matchLabels: { app: ${name} } }
  template:
    metadata: { labels: { app: ${name} } }
    spec:
      containers:
        - name: ${name}
          image: example/${name}:2.4.1
          resources:
${resources}`;
}
