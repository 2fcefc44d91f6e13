import type { TelemetryView } from "../../app/engine/policy.ts";
import { type ContainerUsage, type WorkloadUsage, workloadKey } from "../../app/telemetry/types.ts";

export const MIB = 2 ** 20;
const DAY = 86_400;

/** A container's usage over a 14-day window (or `days`), its peak on the last day but `peakDaysAgo`. */
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

/** The policies' view of test usage: a 14-day window of a test Prometheus. */
export function telemetryOf(workloads: WorkloadUsage[]): TelemetryView {
  const byKey = new Map(workloads.map((w) => [workloadKey(w.namespace, w.kind, w.name), w]));
  return {
    source: "test Prometheus over 14d",
    window: { label: "14d", seconds: 14 * DAY, end: Date.UTC(2026, 10, 23) / 1000 },
    usage: (resource) =>
      byKey.get(workloadKey(resource.namespace ?? "default", resource.kind, resource.name)),
  };
}
