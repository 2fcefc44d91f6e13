import { get, type HttpEndpoint, TelemetryError } from "./http.ts";
import type { ObservedCost, ObservedPrices, TelemetryWindow } from "./types.ts";

/** The cluster's own prices as OpenCost charged them over the window. */
export type Allocations = { workloads: Map<string, ObservedCost>; prices?: ObservedPrices; requests: number };

const GIB = 2 ** 30;

/** OpenCost's controllerKind values are lower-case ("deployment"); Kubernetes kinds are not. */
const KINDS: Record<string, string> = {
  deployment: "Deployment",
  statefulset: "StatefulSet",
  daemonset: "DaemonSet",
  job: "Job",
  cronjob: "CronJob",
  replicaset: "ReplicaSet",
  rollout: "Rollout",
};

/**
 * `GET /allocation/compute?window=…&aggregate=namespace,controllerKind,controller&accumulate=true`
 * (OpenCost's allocation API; response shape in docs/swagger.json of opencost/opencost): each
 * controller's cost and efficiency over the window, and the cluster's CPU and RAM prices
 * (Σ cpuCost / Σ cpuCoreHours, Σ ramCost / Σ GiB-hours).
 */
export async function fetchAllocations(
  endpoint: HttpEndpoint,
  window: TelemetryWindow,
): Promise<Allocations> {
  const response = await get(endpoint, "opencost", "/allocation/compute", {
    window: `${window.end - window.seconds},${window.end}`,
    aggregate: "namespace,controllerKind,controller",
    accumulate: "true",
  });
  if (response.status !== 200) throw new TelemetryError("http", `HTTP ${response.status}`);
  return parseAllocations(response.body);
}

type Allocation = {
  name?: string;
  properties?: { namespace?: string; controllerKind?: string; controller?: string };
  minutes?: number | null;
  cpuCoreHours?: number | null;
  cpuCost?: number | null;
  cpuEfficiency?: number | null;
  ramByteHours?: number | null;
  ramCost?: number | null;
  ramEfficiency?: number | null;
  totalCost?: number | null;
};

export function parseAllocations(text: string): Allocations {
  let body: { code?: number; data?: Record<string, Allocation>[] };
  try {
    body = JSON.parse(text);
  } catch {
    throw new TelemetryError("invalid", "the answer is not JSON");
  }
  if (body.code !== 200 || !Array.isArray(body.data))
    throw new TelemetryError("invalid", `not an allocation answer (code ${String(body.code)})`);
  const workloads = new Map<string, ObservedCost>();
  const sums = { cpuCost: 0, cpuHours: 0, ramCost: 0, ramGiBHours: 0 };
  for (const set of body.data) {
    for (const allocation of Object.values(set ?? {})) {
      if (!allocation || allocation.name?.startsWith("__")) continue;
      sums.cpuCost += allocation.cpuCost ?? 0;
      sums.cpuHours += allocation.cpuCoreHours ?? 0;
      sums.ramCost += allocation.ramCost ?? 0;
      sums.ramGiBHours += (allocation.ramByteHours ?? 0) / GIB;
      const key = keyOf(allocation);
      if (key) workloads.set(key, observed(allocation));
    }
  }
  const result: Allocations = { workloads, requests: 1 };
  if (sums.cpuHours > 0 && sums.ramGiBHours > 0)
    result.prices = {
      usdPerVcpuHour: sums.cpuCost / sums.cpuHours,
      usdPerGiBHour: sums.ramCost / sums.ramGiBHours,
    };
  return result;
}

function keyOf(allocation: Allocation): string | undefined {
  const { namespace, controllerKind, controller } = allocation.properties ?? {};
  if (!namespace || !controllerKind || !controller) return undefined;
  return `${namespace}/${KINDS[controllerKind.toLowerCase()] ?? controllerKind}/${controller}`;
}

function observed(allocation: Allocation): ObservedCost {
  return {
    totalCost: allocation.totalCost ?? 0,
    cpuEfficiency: allocation.cpuEfficiency ?? null,
    ramEfficiency: allocation.ramEfficiency ?? null,
    minutes: allocation.minutes ?? 0,
  };
}
