import type { Report } from "../engine/types.ts";
import type { ObservedCost, WorkloadUsage } from "../telemetry/types.ts";
import { escapeCell, usd } from "./numbers.ts";

/** The telemetry part of the JSON report: each source's answer, each environment's window and inputs, each workload's usage. */
export function telemetryJson(report: Report): object | null {
  const telemetry = report.telemetry;
  if (!telemetry) return null;
  const environments = [...telemetry.environments.values()];
  return {
    sources: telemetry.sources.map((s) => ({ ...s, error: s.error ?? null })),
    environments: environments.map((e) => ({
      name: e.environment || null,
      window: e.window.label,
      end: new Date(e.window.end * 1000).toISOString(),
      source: e.source || null,
      intensity: e.intensity ? { source: e.intensity.source, kind: e.intensity.kind } : null,
      observedPrices: e.prices ?? null,
    })),
    workloads: environments.flatMap((e) =>
      [...e.workloads.values()].map((w) => workloadJson(e.environment, e.window.seconds, w)),
    ),
  };
}

function workloadJson(environment: string, windowSeconds: number, w: WorkloadUsage): object {
  return {
    environment: environment || null,
    id: `${w.kind}/${w.namespace}/${w.name}`,
    pods: w.pods.length,
    replicaSets: w.replicaSets,
    replicas: w.replicas ?? null,
    containers: Object.entries(w.containers).map(([name, c]) => ({
      name,
      historyDays: Number((c.historySeconds / 86_400).toFixed(2)),
      cpuCores: c.cpu
        ? { ...c.cpu.quantiles, max: round(c.cpu.max), average: round(c.cpu.average), samples: c.cpu.samples }
        : null,
      memory: c.memory ? { peakBytes: c.memory.peakBytes, peakDay: c.memory.peakDay } : null,
      oomKilled: c.oom ? { restarts: c.oom.restarts, lastAt: c.oom.lastAt ?? null } : null,
    })),
    energy: w.energy
      ? { source: w.energy.source, kWh: round(w.energy.kWh), implausible: w.energy.implausible ?? null }
      : null,
    observedCost: w.cost ? { ...w.cost, monthlyCost: round(monthly(w.cost, windowSeconds)) } : null,
  };
}

/** The markdown section: where the live figures came from, what failed, and what was used instead. */
export function telemetryMarkdown(report: Report): string {
  const telemetry = report.telemetry;
  if (!telemetry) return "";
  const rows = telemetry.sources.map(
    (s) =>
      `| ${s.source} | ${s.environment || "—"} | ${s.url} | ${s.status === "ok" ? "✅ ok" : s.status === "empty" ? "⚪ no data" : "❌ failed"} | ${escapeCell([s.error, s.note].filter(Boolean).join(": "))} |`,
  );
  const parts = [
    "### Telemetry",
    ["| Source | Environment | URL | Status | Detail |", "|---|---|---|---|---|", ...rows].join("\n"),
  ];
  const costs = [...telemetry.environments.values()].flatMap((e) =>
    [...e.workloads.values()].flatMap((w) => (w.cost ? [[e, w, w.cost] as const] : [])),
  );
  if (costs.length > 0) {
    const lines = costs.map(
      ([e, w, cost]) =>
        `| \`${w.kind}/${w.namespace}/${w.name}\` | ${usd(monthly(cost, e.window.seconds))} | ${efficiency(cost.cpuEfficiency)} | ${efficiency(cost.ramEfficiency)} |`,
    );
    parts.push(
      "Observed by OpenCost over the window, per month, beside the estimate above:",
      [
        "| Workload | Observed cost/month | CPU efficiency | RAM efficiency |",
        "|---|---:|---:|---:|",
        ...lines,
      ].join("\n"),
    );
  }
  return parts.join("\n\n");
}

/** OpenCost's cost over its window, scaled to 730 hours. */
function monthly(cost: ObservedCost, windowSeconds: number): number {
  return (cost.totalCost * 730 * 60) / (cost.minutes || windowSeconds / 60);
}

function efficiency(value: number | null): string {
  return value === null ? "—" : `${Math.round(value * 100)}%`;
}

function round(value: number): number {
  return Number(value.toPrecision(6));
}
