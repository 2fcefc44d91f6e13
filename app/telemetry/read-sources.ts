import type { TelemetrySettings } from "../config/telemetry-settings.ts";
import { PROCESS_SECRETS, resolveEndpoint, type SecretSource } from "./endpoint.ts";
import type { EnvironmentTelemetry, SourceStatus, TelemetryRequest } from "./fetch-telemetry.ts";
import { gridProvider, gridUrl, hourlyProfile } from "./grid-intensity.ts";
import { TelemetryError } from "./http.ts";
import { byWorkload, fetchKepler, measuredEnergy } from "./kepler.ts";
import { fetchAllocations } from "./opencost.ts";
import { PrometheusClient } from "./prometheus.ts";
import { workloadKey } from "./types.ts";
import { fetchUsage } from "./usage.ts";

/** Each source of one environment, read into its telemetry; a failure becomes a source status, never an exception. */

export type Tracker = (
  source: SourceStatus["source"],
  url: string,
  run: () => Promise<{ status: "ok" | "empty"; requests: number; note: string }>,
  fallback: string,
  requests?: () => number,
) => Promise<void>;

export function tracker(environment: string, sources: SourceStatus[]): Tracker {
  return async (source, url, run, fallback, requests = () => 0) => {
    const started = performance.now();
    const status = (s: Omit<SourceStatus, "source" | "environment" | "url" | "milliseconds">) =>
      sources.push({ source, environment, url, milliseconds: Math.round(performance.now() - started), ...s });
    try {
      status(await run());
    } catch (error) {
      const message =
        error instanceof TelemetryError
          ? error.message
          : `internal error: ${(error as Error).message ?? String(error)}`;
      status({ status: "failed", error: message, requests: requests(), note: fallback });
    }
  };
}

export async function prometheus(
  request: TelemetryRequest,
  settings: NonNullable<TelemetrySettings["prometheus"]>,
  result: EnvironmentTelemetry,
  secrets: SecretSource | undefined,
  track: Tracker,
): Promise<void> {
  let client: PrometheusClient | undefined;
  const namespaces = [...new Set(request.workloads.map((w) => w.namespace))];
  const wanted = new Set(request.workloads.map((w) => workloadKey(w.namespace, w.kind, w.name)));
  const scope = {
    namespaces,
    quantiles: request.quantiles,
    window: result.window,
    ...(settings.cluster ? { cluster: settings.cluster } : {}),
  };
  let kepler: Awaited<ReturnType<typeof fetchKepler>>;
  let ownerOf: Awaited<ReturnType<typeof fetchUsage>>["ownerOf"] | undefined;
  await track(
    "prometheus",
    settings.url,
    async () => {
      client = new PrometheusClient(resolveEndpoint(settings, secrets ?? PROCESS_SECRETS));
      if (namespaces.length === 0) return { status: "empty", requests: 0, note: "no workload under review" };
      const [usage, energy] = await Promise.all([
        fetchUsage(client, scope),
        fetchKepler(client, namespaces, settings.cluster, result.window).catch(() => undefined),
      ]);
      kepler = energy;
      ownerOf = usage.ownerOf;
      for (const [key, workload] of usage.workloads) if (wanted.has(key)) result.workloads.set(key, workload);
      result.source = `Prometheus ${settings.url} (cAdvisor, kube-state-metrics) over ${result.window.label}`;
      const found = result.workloads.size;
      return found === 0
        ? {
            status: "empty",
            requests: client.queries,
            note: `no series for the ${wanted.size} workload(s) under review: modelled defaults were used`,
          }
        : {
            status: "ok",
            requests: client.queries,
            note: `usage of ${found} of ${wanted.size} workload(s) under review`,
          };
    },
    "modelled defaults were used (CCF's 50% CPU, requests as written)",
    () => client?.queries ?? 0,
  );
  if (kepler && ownerOf) attachEnergy(kepler, ownerOf, result, request, settings.url);
}

function attachEnergy(
  kepler: NonNullable<Awaited<ReturnType<typeof fetchKepler>>>,
  ownerOf: (namespace: string, pod: string) => { kind: string; name: string },
  result: EnvironmentTelemetry,
  request: TelemetryRequest,
  url: string,
): void {
  for (const [key, group] of byWorkload(kepler.pods, ownerOf)) {
    const workload = result.workloads.get(key);
    if (workload)
      workload.energy = measuredEnergy(kepler.generation, group.pods, result.window, request.nodeMaxWatts);
  }
  result.source = `${result.source}; energy measured by ${kepler.generation.replace("-", " ")} at ${url}`;
}

export async function opencost(
  settings: NonNullable<TelemetrySettings["opencost"]>,
  result: EnvironmentTelemetry,
  secrets: SecretSource | undefined,
  track: Tracker,
): Promise<void> {
  await track(
    "opencost",
    settings.url,
    async () => {
      const allocations = await fetchAllocations(
        resolveEndpoint(settings, secrets ?? PROCESS_SECRETS),
        result.window,
      );
      if (allocations.prices) result.prices = allocations.prices;
      result.costs = allocations.workloads;
      if (!allocations.prices)
        return {
          status: "empty",
          requests: 1,
          note: "no CPU or RAM cost in the window: list prices were used",
        };
      return { status: "ok", requests: 1, note: "the cluster's CPU and RAM prices replace list prices" };
    },
    "list prices were used",
  );
}

export async function grid(
  settings: NonNullable<TelemetrySettings["gridIntensity"]>,
  now: number,
  result: EnvironmentTelemetry,
  secrets: SecretSource | undefined,
  track: Tracker,
): Promise<void> {
  await track(
    "grid-intensity",
    gridUrl(settings),
    async () => {
      const provider = gridProvider(settings, secrets ?? PROCESS_SECRETS);
      const { basis, points } = await provider.points(now);
      const profile = hourlyProfile(provider, basis, points);
      if (!profile)
        return {
          status: "empty",
          requests: 2,
          note: "fewer than 24 hours of data: the static profile or factor was used",
        };
      result.intensity = profile;
      return { status: "ok", requests: basis === "forecast" ? 1 : 2, note: profile.source };
    },
    "the environment's carbonIntensityProfile, else its annual grid factor, was used",
  );
}
