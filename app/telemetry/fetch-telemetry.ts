import type { EnvironmentSettings } from "../config/environment-settings.ts";
import type { TelemetrySettings } from "../config/telemetry-settings.ts";
import { formatDuration, parseDuration } from "./duration.ts";
import type { SecretSource } from "./endpoint.ts";
import { grid, opencost, prometheus, tracker } from "./read-sources.ts";
import { OPERATOR, type SettingsAuthor } from "./trust.ts";
import {
  type EnvironmentTelemetry,
  type SourceStatus,
  type Telemetry,
  type TelemetryRequest,
  workloadKey,
} from "./types.ts";

export const DEFAULT_WINDOW = "14d";

/** Command-line settings: they replace an environment's own (credentials from GREENOPS_* variables). */
export type TelemetryOverrides = { prometheus?: string; opencost?: string; window?: string };

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
function effectiveSettings(
  settings: EnvironmentSettings,
  overrides: TelemetryOverrides = {},
): TelemetrySettings {
  const telemetry: TelemetrySettings = { ...settings.telemetry };
  if (overrides.window) telemetry.window = overrides.window;
  if (overrides.prometheus) {
    const cluster = settings.telemetry?.prometheus?.cluster;
    telemetry.prometheus = {
      url: overrides.prometheus,
      auth: overrideAuth("prometheus"),
      ...(cluster ? { cluster } : {}),
    };
  }
  if (overrides.opencost) telemetry.opencost = { url: overrides.opencost, auth: overrideAuth("opencost") };
  return telemetry;
}

/**
 * The credentials of a source the command line or the Action's inputs name: GREENOPS_<SOURCE>_BEARER_TOKEN,
 * else GREENOPS_<SOURCE>_USERNAME with GREENOPS_<SOURCE>_PASSWORD.
 */
export function overrideAuth(
  source: "prometheus" | "opencost",
  env: NodeJS.ProcessEnv = process.env,
): { bearerTokenEnv?: string; username?: string; passwordEnv?: string } {
  const prefix = `GREENOPS_${source.toUpperCase()}_`;
  if (env[`${prefix}BEARER_TOKEN`]) return { bearerTokenEnv: `${prefix}BEARER_TOKEN` };
  const username = env[`${prefix}USERNAME`];
  return username ? { username, passwordEnv: `${prefix}PASSWORD` } : {};
}

/** Who wrote each source's settings: the command line's flags replace the repository file's. */
function authorOf(
  request: TelemetryRequest,
  overrides: TelemetryOverrides = {},
): (source: keyof Omit<TelemetrySettings, "window">) => SettingsAuthor {
  const file = request.settingsFile ?? `environments/${request.environment}/greenops.yml`;
  return (source) =>
    source !== "gridIntensity" && overrides[source]
      ? OPERATOR
      : { by: "repository", file, setting: `telemetry.${source}` };
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
    costOnly: new Map(),
  };
  const track = tracker(request.environment, sources);
  const author = authorOf(request, context.overrides);
  const { secrets } = context;
  await Promise.all([
    settings.prometheus &&
      prometheus(request, settings.prometheus, author("prometheus"), result, secrets, track),
    settings.opencost && opencost(settings.opencost, author("opencost"), result, secrets, track),
    settings.gridIntensity &&
      grid(settings.gridIntensity, author("gridIntensity"), now, result, secrets, track),
  ]);
  for (const { namespace, kind, name } of request.workloads) {
    const key = workloadKey(namespace, kind, name);
    const cost = result.costs?.get(key);
    if (!cost) continue;
    const workload = result.workloads.get(key);
    if (workload) workload.cost = cost;
    else result.costOnly.set(key, { namespace, kind, name, pods: [], replicaSets: [], containers: {}, cost });
  }
  return result;
}
