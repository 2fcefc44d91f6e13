import type { EnvironmentSettings } from "../config/environment-settings.ts";
import type { TelemetrySettings } from "../config/telemetry-settings.ts";
import type { HourlyIntensity } from "../engine/intensity.ts";
import { formatDuration, parseDuration } from "./duration.ts";
import { PROCESS_SECRETS, resolveEndpoint, type SecretSource } from "./endpoint.ts";
import { gridProvider, gridUrl, hourlyProfile } from "./grid-intensity.ts";
import { TelemetryError } from "./http.ts";
import { byWorkload, fetchKepler, measuredEnergy } from "./kepler.ts";
import { fetchAllocations, type ObservedPrices } from "./opencost.ts";
import { PrometheusClient } from "./prometheus.ts";
import { type ObservedCost, type TelemetryWindow, type WorkloadUsage, workloadKey } from "./types.ts";
import { fetchUsage } from "./usage.ts";

export const DEFAULT_WINDOW = "14d";

/** What happened when one source was asked: shown in every report that used telemetry. */
export type SourceStatus = {
  source: "prometheus" | "kepler" | "opencost" | "grid-intensity";
  environment: string;
  url: string;
  status: "ok" | "empty" | "failed";
  error?: string;
  /** HTTP requests sent (PromQL queries for Prometheus). */
  requests: number;
  milliseconds: number;
  /** What the report used instead, or what it used from the source. */
  note: string;
};

export type EnvironmentTelemetry = {
  environment: string;
  window: TelemetryWindow;
  /** Says where usage figures come from, in findings. */
  source: string;
  workloads: Map<string, WorkloadUsage>;
  intensity?: HourlyIntensity;
  prices?: ObservedPrices;
  /** OpenCost's cost of each controller over the window, by workload key. */
  costs?: Map<string, ObservedCost>;
};

export type Telemetry = { environments: Map<string, EnvironmentTelemetry>; sources: SourceStatus[] };

/** Command-line settings: they replace an environment's own (credentials from GREENOPS_* variables). */
export type TelemetryOverrides = { prometheus?: string; opencost?: string; window?: string };

/** One environment to read: its settings, the workloads under review, what its policies need. */
export type TelemetryRequest = {
  environment: string;
  settings: EnvironmentSettings;
  workloads: { namespace: string; kind: string; name: string }[];
  quantiles: number[];
  /** Power envelope of one node (vCPUs × max W per vCPU), for Kepler's plausibility check. */
  nodeMaxWatts?: number;
};

export type TelemetryContext = { now?: number; secrets?: SecretSource; overrides?: TelemetryOverrides };

/** Reads every configured source of every environment, in parallel; a source that fails is reported, never thrown. */
export async function fetchTelemetry(
  requests: TelemetryRequest[],
  context: TelemetryContext = {},
): Promise<Telemetry> {
  const sources: SourceStatus[] = [];
  const environments = new Map<string, EnvironmentTelemetry>();
  await Promise.all(
    requests.map(async (request) => {
      const result = await environmentTelemetry(request, context, sources);
      if (result) environments.set(request.environment, result);
    }),
  );
  sources.sort((a, b) => a.environment.localeCompare(b.environment) || a.source.localeCompare(b.source));
  return { environments, sources };
}

/** The telemetry settings of an environment with the command line's over them. */
export function effectiveSettings(
  settings: EnvironmentSettings,
  overrides: TelemetryOverrides = {},
): TelemetrySettings {
  const telemetry: TelemetrySettings = { ...settings.telemetry };
  if (overrides.window) telemetry.window = overrides.window;
  if (overrides.prometheus) {
    const cluster = settings.telemetry?.prometheus?.cluster;
    telemetry.prometheus = {
      url: overrides.prometheus,
      auth: cliAuth("PROMETHEUS"),
      ...(cluster ? { cluster } : {}),
    };
  }
  if (overrides.opencost) telemetry.opencost = { url: overrides.opencost, auth: cliAuth("OPENCOST") };
  return telemetry;
}

function cliAuth(name: string): { bearerTokenEnv?: string; username?: string; passwordEnv?: string } {
  const env = process.env;
  if (env[`GREENOPS_${name}_BEARER_TOKEN`]) return { bearerTokenEnv: `GREENOPS_${name}_BEARER_TOKEN` };
  const username = env[`GREENOPS_${name}_USERNAME`];
  return username ? { username, passwordEnv: `GREENOPS_${name}_PASSWORD` } : {};
}

async function environmentTelemetry(
  request: TelemetryRequest,
  context: TelemetryContext,
  sources: SourceStatus[],
): Promise<EnvironmentTelemetry | undefined> {
  const settings = effectiveSettings(request.settings, context.overrides);
  if (!settings.prometheus && !settings.opencost && !settings.gridIntensity) return undefined;
  const seconds = parseDuration(settings.window ?? DEFAULT_WINDOW) ?? 14 * 86_400;
  const now = context.now ?? Math.floor(Date.now() / 1000);
  const window = { label: formatDuration(seconds), seconds, end: now };
  const result: EnvironmentTelemetry = {
    environment: request.environment,
    window,
    source: "",
    workloads: new Map(),
  };
  const track = tracker(request.environment, sources);
  await Promise.all([
    settings.prometheus && prometheus(request, settings.prometheus, result, context.secrets, track),
    settings.opencost && opencost(settings.opencost, result, context.secrets, track),
    settings.gridIntensity && grid(settings.gridIntensity, now, result, context.secrets, track),
  ]);
  for (const [key, cost] of result.costs ?? []) {
    const workload = result.workloads.get(key);
    if (workload) workload.cost = cost;
  }
  return result;
}

type Tracker = (
  source: SourceStatus["source"],
  url: string,
  run: () => Promise<{ status: "ok" | "empty"; requests: number; note: string }>,
  fallback: string,
  requests?: () => number,
) => Promise<void>;

function tracker(environment: string, sources: SourceStatus[]): Tracker {
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

async function prometheus(
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

async function opencost(
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

async function grid(
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
