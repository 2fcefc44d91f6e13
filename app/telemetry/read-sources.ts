import type { TelemetrySettings } from "../config/telemetry-settings.ts";
import { resolveEndpoint, type SecretSource, shownUrl } from "./endpoint.ts";
import { gridProvider, gridUrl, hourlyProfile } from "./grid-intensity.ts";
import { TelemetryError } from "./http.ts";
import { byWorkload, fetchKepler, measuredEnergy } from "./kepler.ts";
import { fetchAllocations } from "./opencost.ts";
import { PrometheusClient } from "./prometheus.ts";
import type { SettingsAuthor } from "./trust.ts";
import { type EnvironmentTelemetry, type SourceStatus, type TelemetryRequest, workloadKey } from "./types.ts";
import { fetchUsage } from "./usage.ts";

/** Each source of one environment, read into its telemetry; a failure becomes a source status, never an exception. */

/** Tracks one source: `run` reads it, `requests` counts the requests it sent (read when it succeeded or failed). */
export type Tracker = (
  source: SourceStatus["source"],
  url: string,
  run: () => Promise<{ status: "ok" | "empty"; note: string }>,
  fallback: string,
  requests: () => number,
) => Promise<void>;

export function tracker(environment: string, sources: SourceStatus[]): Tracker {
  return async (source, url, run, fallback, requests) => {
    const started = performance.now();
    const status = (s: Omit<SourceStatus, "source" | "environment" | "url" | "milliseconds">) =>
      sources.push({ source, environment, url, milliseconds: Math.round(performance.now() - started), ...s });
    try {
      const read = await run();
      status({ status: read.status, requests: requests(), note: read.note });
    } catch (error) {
      const message =
        error instanceof TelemetryError
          ? error.message
          : `internal error: ${(error as Error).message ?? String(error)}`;
      const refused = error instanceof TelemetryError && error.kind === "not-allowed";
      status({
        status: refused ? "not-allowed" : "failed",
        error: message,
        requests: requests(),
        note: fallback,
      });
    }
  };
}

/**
 * Usage (five queries) and Kepler's energy (one query, sent alongside) from one Prometheus, tracked as
 * two sources: a cluster without Kepler, or a Kepler query that fails, leaves the usage intact.
 */
export async function prometheus(
  request: TelemetryRequest,
  settings: NonNullable<TelemetrySettings["prometheus"]>,
  author: SettingsAuthor,
  result: EnvironmentTelemetry,
  secrets: SecretSource | undefined,
  track: Tracker,
): Promise<void> {
  const namespaces = [...new Set(request.workloads.map((w) => w.namespace))];
  const wanted = new Set(request.workloads.map((w) => workloadKey(w.namespace, w.kind, w.name)));
  if (namespaces.length === 0) return;
  let client: PrometheusClient | undefined;
  let energy: Promise<Settled<Awaited<ReturnType<typeof fetchKepler>>>> | undefined;
  let ownerOf: OwnerOf | undefined;
  const url = shownUrl(settings.url);
  await track(
    "prometheus",
    url,
    async () => {
      client = new PrometheusClient(resolveEndpoint(settings, author, secrets));
      energy = settle(fetchKepler(client, namespaces, settings.cluster, result.window));
      const scope = {
        namespaces,
        quantiles: request.quantiles,
        window: result.window,
        cluster: settings.cluster,
      };
      const usage = await fetchUsage(client, scope);
      ownerOf = usage.ownerOf;
      for (const [key, workload] of usage.workloads) if (wanted.has(key)) result.workloads.set(key, workload);
      result.source = `Prometheus ${url} (cAdvisor, kube-state-metrics) over ${result.window.label}`;
      const found = result.workloads.size;
      if (found === 0)
        return {
          status: "empty",
          note: `no series for the ${wanted.size} workload(s) under review: modelled defaults were used`,
        };
      return {
        status: "ok",
        note: `usage of ${found} of ${wanted.size} workload(s) under review`,
      };
    },
    "modelled defaults were used (CCF's 50% CPU, requests as written)",
    () => Math.min(client?.queries ?? 0, USAGE_QUERIES),
  );
  if (energy && ownerOf) await kepler(energy, ownerOf, request, url, result, track);
}

const USAGE_QUERIES = 5;

type OwnerOf = (namespace: string, pod: string) => { kind: string; name: string };
type Settled<T> = { value: T } | { error: unknown };

function settle<T>(promise: Promise<T>): Promise<Settled<T>> {
  return promise.then(
    (value) => ({ value }),
    (error: unknown) => ({ error }),
  );
}

async function kepler(
  energy: Promise<Settled<Awaited<ReturnType<typeof fetchKepler>>>>,
  ownerOf: OwnerOf,
  request: TelemetryRequest,
  url: string,
  result: EnvironmentTelemetry,
  track: Tracker,
): Promise<void> {
  await track(
    "kepler",
    url,
    async () => {
      const settled = await energy;
      if ("error" in settled) throw settled.error;
      const found = settled.value;
      if (!found)
        return {
          status: "empty",
          note: "no Kepler series: CPU energy is modelled from cAdvisor usage",
        };
      let measured = 0;
      let implausible = 0;
      for (const [key, pods] of byWorkload(found.pods, ownerOf)) {
        const workload = result.workloads.get(key);
        if (!workload) continue;
        workload.energy = measuredEnergy(found.generation, pods, result.window, request.nodeMaxWatts);
        if (workload.energy.implausible) implausible++;
        else measured++;
      }
      const generation = found.generation.replace("-", " ");
      result.source = `${result.source}; energy measured by ${generation} at ${url}`;
      const note = `${generation}: measured energy for ${measured} workload(s), ${implausible} implausible reading(s) replaced by the model`;
      return { status: "ok", note };
    },
    "modelled CPU energy was used",
    () => 1,
  );
}

export async function opencost(
  settings: NonNullable<TelemetrySettings["opencost"]>,
  author: SettingsAuthor,
  result: EnvironmentTelemetry,
  secrets: SecretSource | undefined,
  track: Tracker,
): Promise<void> {
  const sent = { requests: 0 };
  await track(
    "opencost",
    shownUrl(settings.url),
    async () => {
      const endpoint = { ...resolveEndpoint(settings, author, secrets), sent };
      const allocations = await fetchAllocations(endpoint, result.window);
      if (allocations.prices) result.prices = allocations.prices;
      result.costs = allocations.workloads;
      if (!allocations.prices)
        return {
          status: "empty",
          note: "no CPU or RAM cost in the window: list prices were used",
        };
      return {
        status: "ok",
        note: "the cluster's CPU and RAM prices replace list prices",
      };
    },
    "list prices were used",
    () => sent.requests,
  );
}

export async function grid(
  settings: NonNullable<TelemetrySettings["gridIntensity"]>,
  author: SettingsAuthor,
  now: number,
  result: EnvironmentTelemetry,
  secrets: SecretSource | undefined,
  track: Tracker,
): Promise<void> {
  const sent = { requests: 0 };
  await track(
    "grid-intensity",
    shownUrl(gridUrl(settings)),
    async () => {
      const provider = gridProvider(settings, author, secrets, sent);
      const { basis, points } = await provider.points(now);
      const profile = hourlyProfile(provider, basis, points);
      if (!profile)
        return {
          status: "empty",
          note: "fewer than 24 hours of data: the static profile or factor was used",
        };
      result.intensity = profile;
      return { status: "ok", note: profile.source };
    },
    "the environment's carbonIntensityProfile, else its annual grid factor, was used",
    () => sent.requests,
  );
}
