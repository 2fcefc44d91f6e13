import type { Report } from "../engine/types.ts";
import type { EnvironmentTelemetry, ObservedCost, SourceStatus, WorkloadUsage } from "../telemetry/types.ts";
import { amount, codeCell, escapeCell, quantity, usd } from "./numbers.ts";

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
      observedPrices: e.prices
        ? {
            usdPerVcpuHour: quantity(e.prices.usdPerVcpuHour),
            usdPerGiBHour: quantity(e.prices.usdPerGiBHour),
          }
        : null,
    })),
    workloads: environments.flatMap((e) =>
      observedWorkloads(e).map((w) => workloadJson(e.environment, e.window.seconds, w)),
    ),
  };
}

/** The workloads under review a source observed: usage (and maybe cost), then cost alone (OpenCost only). */
function observedWorkloads(environment: EnvironmentTelemetry): WorkloadUsage[] {
  return [...environment.workloads.values(), ...environment.costOnly.values()];
}

function workloadJson(environment: string, windowSeconds: number, w: WorkloadUsage): object {
  return {
    environment: environment || null,
    id: `${w.kind}/${w.namespace}/${w.name}`,
    pods: w.pods.length,
    replicaSets: w.replicaSets,
    replicas: w.replicas === undefined ? null : quantity(w.replicas),
    containers: Object.entries(w.containers).map(([name, c]) => ({
      name,
      historyDays: Number((c.historySeconds / 86_400).toFixed(2)),
      cpuCores: c.cpu
        ? {
            ...Object.fromEntries(Object.entries(c.cpu.quantiles).map(([q, cores]) => [q, quantity(cores)])),
            max: quantity(c.cpu.max),
            average: quantity(c.cpu.average),
            samples: c.cpu.samples,
          }
        : null,
      memory: c.memory ? { peakBytes: c.memory.peakBytes, peakDay: c.memory.peakDay } : null,
      oomKilled: c.oom ? { restarts: c.oom.restarts, lastAt: c.oom.lastAt ?? null } : null,
    })),
    energy: w.energy
      ? { source: w.energy.source, kWh: quantity(w.energy.kWh), implausible: w.energy.implausible ?? null }
      : null,
    observedCost: w.cost ? observedCostJson(w.cost, windowSeconds) : null,
  };
}

function observedCostJson(cost: ObservedCost, windowSeconds: number): object {
  const ratio = (value: number | null) => (value === null ? null : quantity(value));
  return {
    totalCost: amount(cost.totalCost),
    cpuEfficiency: ratio(cost.cpuEfficiency),
    ramEfficiency: ratio(cost.ramEfficiency),
    minutes: quantity(cost.minutes),
    monthlyCost: amount(monthly(cost, windowSeconds)),
  };
}

const STATUS: Record<SourceStatus["status"], string> = {
  ok: "✅ ok",
  empty: "⚪ no data",
  failed: "❌ failed",
  "not-allowed": "🚫 not allowed",
};

/** The markdown section: where the live figures came from, what failed, and what was used instead. */
export function telemetryMarkdown(report: Report): string {
  const telemetry = report.telemetry;
  if (!telemetry) return "";
  const rows = telemetry.sources.map(
    (s) =>
      `| ${s.source} | ${escapeCell(s.environment || "—")} | ${escapeCell(s.url)} | ${STATUS[s.status]} | ${escapeCell([s.error, s.note].filter(Boolean).join(": "))} |`,
  );
  const parts = [
    "### Telemetry",
    ["| Source | Environment | URL | Status | Detail |", "|---|---|---|---|---|", ...rows].join("\n"),
  ];
  const costs = [...telemetry.environments.values()].flatMap((e) =>
    observedWorkloads(e).flatMap((w) => (w.cost ? [[e, w, w.cost] as const] : [])),
  );
  if (costs.length > 0) {
    const lines = costs.map(
      ([e, w, cost]) =>
        `| ${codeCell(`${w.kind}/${w.namespace}/${w.name}`)} | ${usd(monthly(cost, e.window.seconds))} | ${efficiency(cost.cpuEfficiency)} | ${efficiency(cost.ramEfficiency)} |`,
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
