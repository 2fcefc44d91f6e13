import type { TelemetrySettings } from "../config/telemetry-settings.ts";
import type { HourlyIntensity } from "../engine/intensity.ts";
import { resolveEndpoint, type SecretSource } from "./endpoint.ts";
import { get, type HttpEndpoint, TelemetryError } from "./http.ts";
import type { SettingsAuthor } from "./trust.ts";

type Point = { at: number; grams: number };
type GridSettings = NonNullable<TelemetrySettings["gridIntensity"]>;

/** A live grid-intensity API: the next day's forecast where it gives one, else the past day. */
export type GridProvider = {
  name: string;
  url: string;
  /** Electricity Maps and the UK API both publish average (not marginal) intensity. */
  kind: "average" | "marginal";
  points(now: number): Promise<{ basis: "forecast" | "history"; points: Point[] }>;
};

const DEFAULT_URL = {
  "electricity-maps": "https://api.electricitymaps.com",
  "uk-carbon-intensity": "https://api.carbonintensity.org.uk",
};

export function gridUrl(settings: GridSettings): string {
  return settings.url ?? DEFAULT_URL[settings.provider];
}

/**
 * The provider of the settings; `sent` counts the requests it sends. A provider's built-in address is
 * GreenOps' own, so settings without a `url` need no origin allowed; what they name must still be
 * paired with that address's origin (a token listed for Prometheus is not Electricity Maps').
 */
export function gridProvider(
  settings: GridSettings,
  author: SettingsAuthor,
  secrets?: SecretSource,
  sent?: HttpEndpoint["sent"],
): GridProvider {
  const urlBy = author.by === "repository" && settings.url === undefined ? { builtInUrl: true } : {};
  const endpoint = {
    ...resolveEndpoint({ ...settings, url: gridUrl(settings) }, { ...author, ...urlBy }, secrets, (token) => [
      "auth-token",
      token,
    ]),
    ...(sent ? { sent } : {}),
  };
  if (settings.provider === "uk-carbon-intensity") return ukCarbonIntensity(endpoint);
  if (!settings.zone)
    throw new TelemetryError("invalid", "gridIntensity.zone is required for electricity-maps");
  return electricityMaps(endpoint, settings.zone);
}

/**
 * Electricity Maps v3: `GET /v3/carbon-intensity/forecast?zone=` → `{zone, forecast: [{carbonIntensity,
 * datetime}]}`, else `/v3/carbon-intensity/history?zone=` → `{zone, history: [...]}` (the 24 past hours),
 * token in the `auth-token` header.
 */
function electricityMaps(endpoint: HttpEndpoint, zone: string): GridProvider {
  const read = async (kind: "forecast" | "history") => {
    const body = await json(endpoint, `/v3/carbon-intensity/${kind}`, { zone });
    const list = (body as Record<string, unknown>)[kind];
    if (!Array.isArray(list)) throw new TelemetryError("invalid", `no "${kind}" list in the answer`);
    return list.map((p: { datetime?: string; carbonIntensity?: number }) => ({
      at: Date.parse(p.datetime ?? "") / 1000,
      grams: Number(p.carbonIntensity),
    }));
  };
  return {
    name: `Electricity Maps (${zone})`,
    url: endpoint.url,
    kind: "average",
    points: () =>
      withHistoryFallback(
        () => read("forecast"),
        () => read("history"),
      ),
  };
}

/**
 * The UK Carbon Intensity API (NESO): `GET /intensity/{from}/fw24h` → `{data: [{from, to, intensity:
 * {forecast, actual, index}}]}` in half-hour periods, else `/intensity/{from}/pt24h` (actual, or forecast).
 */
function ukCarbonIntensity(endpoint: HttpEndpoint): GridProvider {
  const read = async (path: "fw24h" | "pt24h", now: number) => {
    const from = new Date(now * 1000).toISOString().slice(0, 16);
    const body = (await json(endpoint, `/intensity/${from}Z/${path}`, {})) as { data?: unknown };
    if (!Array.isArray(body.data)) throw new TelemetryError("invalid", 'no "data" list in the answer');
    return body.data.map(
      (p: { from?: string; intensity?: { forecast?: number; actual?: number | null } }) => ({
        at: Date.parse(p.from ?? "") / 1000,
        grams: Number(
          path === "pt24h" ? (p.intensity?.actual ?? p.intensity?.forecast) : p.intensity?.forecast,
        ),
      }),
    );
  };
  return {
    name: "UK Carbon Intensity API (GB)",
    url: endpoint.url,
    kind: "average",
    points: (now) =>
      withHistoryFallback(
        () => read("fw24h", now),
        () => read("pt24h", now),
      ),
  };
}

async function withHistoryFallback(
  forecast: () => Promise<Point[]>,
  history: () => Promise<Point[]>,
): Promise<{ basis: "forecast" | "history"; points: Point[] }> {
  try {
    const points = usable(await forecast());
    if (points.length > 0) return { basis: "forecast", points };
  } catch (error) {
    if (!(error instanceof TelemetryError) || error.kind === "timeout" || error.kind === "unreachable")
      throw error;
  }
  return { basis: "history", points: usable(await history()) };
}

function usable(points: Point[]): Point[] {
  return points.filter((p) => Number.isFinite(p.at) && Number.isFinite(p.grams) && p.grams >= 0);
}

async function json(endpoint: HttpEndpoint, path: string, query: Record<string, string>): Promise<unknown> {
  const response = await get(endpoint, "grid-intensity", path, query);
  if (response.status !== 200) {
    const message = /"message"\s*:\s*"([^"]{1,200})"/.exec(response.body)?.[1];
    throw new TelemetryError("http", `HTTP ${response.status}${message ? `: ${message}` : ""}`);
  }
  try {
    return JSON.parse(response.body);
  } catch {
    throw new TelemetryError("invalid", "the answer is not JSON");
  }
}

/** 24 hourly means (UTC hour of day) of one provider's points, or undefined when an hour has none. */
export function hourlyProfile(
  provider: GridProvider,
  basis: "forecast" | "history",
  points: Point[],
): HourlyIntensity | undefined {
  const sums = Array.from({ length: 24 }, () => ({ total: 0, count: 0 }));
  for (const { at, grams } of points) {
    const hour = sums[new Date(at * 1000).getUTCHours()];
    if (hour) {
      hour.total += grams;
      hour.count += 1;
    }
  }
  if (sums.some((h) => h.count === 0)) return undefined;
  return {
    source: `${provider.name}, ${basis === "forecast" ? "forecast for the next 24 h" : "the past 24 h"}`,
    kind: provider.kind,
    gramsPerKWh: sums.map((h) => Math.round((h.total / h.count) * 10) / 10),
  };
}
