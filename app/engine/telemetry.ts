import type { EnvironmentBasis } from "../estimate/basis.ts";
import type { Resource } from "../model/resource.ts";
import { fetchTelemetry, type TelemetryContext } from "../telemetry/fetch-telemetry.ts";
import {
  type EnvironmentTelemetry,
  type Telemetry,
  type TelemetryRequest,
  type WorkloadUsage,
  workloadKey,
} from "../telemetry/types.ts";
import type { Environments } from "./environments.ts";
import { type HourlyIntensity, settingsIntensity } from "./intensity.ts";
import type { TelemetryView } from "./policy.ts";
import type { EvaluatedResource } from "./types.ts";

/** What the telemetry stage asks for: the workloads' environments, and the CPU quantiles policies read there. */
export type TelemetryQuery = {
  environments: Environments;
  quantiles: (environment: EnvironmentBasis) => Iterable<number>;
};

/**
 * Reads the telemetry of the workloads under review, environment by environment (only environments
 * with telemetry settings, or all when the command line names a source); undefined when none is set.
 */
export async function observe(
  needs: TelemetryQuery,
  resources: readonly EvaluatedResource[],
  context: TelemetryContext = {},
): Promise<Telemetry | undefined> {
  const requests = telemetryRequests(needs, resources, context);
  return requests.length === 0 ? undefined : fetchTelemetry(requests, context);
}

function telemetryRequests(
  needs: TelemetryQuery,
  resources: readonly EvaluatedResource[],
  context: TelemetryContext,
): TelemetryRequest[] {
  const cli = Boolean(context.overrides?.prometheus || context.overrides?.opencost);
  const byEnvironment = new Map<string, TelemetryRequest>();
  for (const { resource } of resources) {
    if (resource.demand.type !== "workload") continue;
    const basis = needs.environments.all.get(resource.environment);
    if (!basis || !(cli || basis.settings.telemetry)) continue;
    let request = byEnvironment.get(basis.environment);
    if (!request) {
      request = newRequest(basis, needs.quantiles(basis));
      byEnvironment.set(basis.environment, request);
    }
    request.workloads.push({ namespace: namespaceOf(resource), kind: resource.kind, name: resource.name });
  }
  return [...byEnvironment.values()];
}

function newRequest(basis: EnvironmentBasis, needed: Iterable<number>): TelemetryRequest {
  const quantiles = new Set(needed);
  const vcpus = basis.compute.node?.vcpus;
  return {
    environment: basis.environment,
    settings: basis.settings,
    ...(basis.settingsFile ? { settingsFile: basis.settingsFile } : {}),
    workloads: [],
    quantiles: [...quantiles].sort(),
    ...(vcpus ? { nodeMaxWatts: vcpus * basis.carbon.maxWatts } : {}),
  };
}

function namespaceOf(resource: Resource): string {
  return resource.namespace ?? "default";
}

/** The cluster's own CPU and RAM prices (OpenCost) replace list prices in the environments that have them. */
export function applyObservedPrices(environments: Environments, telemetry: Telemetry | undefined): boolean {
  let applied = false;
  for (const [name, observed] of telemetry?.environments ?? []) {
    const basis = environments.all.get(name);
    if (!basis || !observed.prices) continue;
    const { usdPerVcpuHour, usdPerGiBHour } = observed.prices;
    const listed = basis.compute;
    const gpuFrom =
      listed.method === "opencost-observed"
        ? listed.gpuFrom
        : { method: listed.method, sources: listed.sources };
    basis.compute = {
      ...listed,
      cpu: usdPerVcpuHour,
      ram: usdPerGiBHour,
      method: "opencost-observed",
      reason: `the cluster's own prices, from OpenCost's allocations over ${observed.window.label}`,
      sources: [],
      ...(gpuFrom ? { gpuFrom } : {}),
    };
    applied = true;
  }
  return applied;
}

/** The policies' view of one environment's telemetry. */
export function telemetryView(
  telemetry: Telemetry | undefined,
): (basis: EnvironmentBasis) => TelemetryView | undefined {
  return (basis) => {
    const observed = telemetry?.environments.get(basis.environment);
    if (!observed || observed.workloads.size === 0) return undefined;
    return {
      source: observed.source,
      window: observed.window,
      usage: (resource) => usageOf(observed, resource),
    };
  };
}

export function usageOf(observed: EnvironmentTelemetry, resource: Resource): WorkloadUsage | undefined {
  return observed.workloads.get(workloadKey(namespaceOf(resource), resource.kind, resource.name));
}

/** A provider's hourly intensity where one answered, else the environment's own profile; never both mixed. */
export function intensityOf(
  telemetry: Telemetry | undefined,
): (basis: EnvironmentBasis) => HourlyIntensity | undefined {
  return (basis) => telemetry?.environments.get(basis.environment)?.intensity ?? settingsIntensity(basis);
}

/** A view of given usage over a 14-day window ending 2026-11-23: what docs examples and policy tests run on. */
export function fixedTelemetry(workloads: readonly WorkloadUsage[]): TelemetryView {
  const byKey = new Map(workloads.map((w) => [workloadKey(w.namespace, w.kind, w.name), w]));
  return {
    source: "Prometheus (example) over 14d",
    window: { label: "14d", seconds: 14 * 86_400, end: Date.UTC(2026, 10, 23) / 1000 },
    usage: (resource) => byKey.get(workloadKey(namespaceOf(resource), resource.kind, resource.name)),
  };
}
