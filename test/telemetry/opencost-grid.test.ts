import { afterEach, describe, expect, it } from "vitest";
import { fetchTelemetry } from "../../app/telemetry/fetch-telemetry.ts";
import { parseAllocations } from "../../app/telemetry/opencost.ts";
import type { TelemetryRequest } from "../../app/telemetry/types.ts";
import { electricityMaps, type FakeApi, fakeApi, fixture, openCost, ukCarbonIntensity } from "./fake-apis.ts";
import { allowing, PROD_SETTINGS, pairedWith } from "./helpers.ts";

let servers: FakeApi[] = [];
afterEach(async () => {
  await Promise.all(servers.map((s) => s.close()));
  servers = [];
});
const serve = async (route: Parameters<typeof fakeApi>[0]) => {
  const server = await fakeApi(route);
  servers.push(server);
  return server;
};
const request = (telemetry: NonNullable<TelemetryRequest["settings"]["telemetry"]>): TelemetryRequest => ({
  environment: "prod",
  settings: { ...PROD_SETTINGS, telemetry },
  workloads: [{ namespace: "shop", kind: "Deployment", name: "api" }],
  quantiles: [0.95],
});
/** The operator allows the servers' origins and EM_TOKEN to be sent to them. */
const operator = (...servers: FakeApi[]) => {
  const origins = servers.map((s) => s.url);
  const secrets = origins.flatMap((origin) => pairedWith(origin, "EM_TOKEN"));
  const env = { EM_TOKEN: "em-token", ...allowing(origins, secrets) };
  return { secrets: { env, readFile: () => "" } };
};

describe("OpenCost allocation API", () => {
  it("reads OpenCost's documented example", () => {
    const allocations = parseAllocations(fixture("opencost-allocation-swagger.json"));
    expect(allocations.workloads.get("opencost/Deployment/opencost")).toEqual({
      totalCost: 0.030644,
      cpuEfficiency: 0.091055,
      ramEfficiency: 0.323049,
      minutes: 2879.235705,
    });
  });

  it("gives the cluster's own prices and each controller's cost, idle left out", async () => {
    const server = await serve(openCost(fixture("opencost-allocation-shop.json")));
    const telemetry = await fetchTelemetry([request({ window: "14d", opencost: { url: server.url } })], {
      now: 1_795_392_000,
      ...operator(server),
    });
    const prod = telemetry.environments.get("prod");
    expect(prod?.prices?.usdPerVcpuHour).toBeCloseTo(0.0243, 6);
    expect(prod?.prices?.usdPerGiBHour).toBeCloseTo(0.0032, 6);
    expect(prod?.costs?.get("shop/Deployment/api")).toMatchObject({ cpuEfficiency: 0.25 });
    expect(prod?.costs?.has("__idle__")).toBe(false);
    expect(server.requests[0]?.query.toString()).toBe(
      "window=1794182400%2C1795392000&aggregate=namespace%2CcontrollerKind%2Ccontroller&accumulate=true",
    );
    expect(telemetry.sources).toMatchObject([{ source: "opencost", status: "ok", requests: 1 }]);
  });

  it("an error answer degrades to list prices, its request counted", async () => {
    const server = await serve(() => ({ status: 500, body: "{}" }));
    const telemetry = await fetchTelemetry(
      [request({ opencost: { url: server.url, retries: 0 } })],
      operator(server),
    );
    expect(telemetry.sources).toMatchObject([
      { status: "failed", error: "HTTP 500", note: "list prices were used", requests: 1 },
    ]);
    expect(telemetry.environments.get("prod")?.prices).toBeUndefined();
  });

  it("counts every request a failing source was sent, retries included", async () => {
    const server = await serve(() => ({ status: 503, body: "{}" }));
    const telemetry = await fetchTelemetry(
      [request({ opencost: { url: server.url, retries: 1 } })],
      operator(server),
    );
    expect(telemetry.sources).toMatchObject([
      { status: "failed", error: "HTTP 503 after 2 attempts", requests: 2 },
    ]);
    expect(server.requests).toHaveLength(2);
  });
});

const electricityMapsTelemetry = (server: FakeApi) =>
  fetchTelemetry(
    [
      request({
        gridIntensity: {
          provider: "electricity-maps",
          zone: "DE",
          url: server.url,
          auth: { bearerTokenEnv: "EM_TOKEN" },
        },
      }),
    ],
    operator(server),
  );

describe("grid intensity", () => {
  it("Electricity Maps: the forecast as 24 hourly means, token in auth-token", async () => {
    const server = await serve(electricityMaps("em-token"));
    const telemetry = await electricityMapsTelemetry(server);
    const intensity = telemetry.environments.get("prod")?.intensity;
    expect(intensity?.kind).toBe("average");
    expect(intensity?.source).toBe("Electricity Maps (DE), forecast for the next 24 h");
    // hour 0 appears twice in the 25-point forecast (410 both times)
    expect(intensity?.gramsPerKWh.slice(0, 3)).toEqual([410, 402, 398]);
    expect(intensity?.gramsPerKWh[12]).toBe(190);
    expect(server.requests[0]?.headers["auth-token"]).toBe("em-token");
    expect(server.requests[0]?.headers.authorization).toBeUndefined();
  });

  it("Electricity Maps without the forecast in its plan: the past 24 hours", async () => {
    const server = await serve(electricityMaps("em-token", true));
    const telemetry = await electricityMapsTelemetry(server);
    const intensity = telemetry.environments.get("prod")?.intensity;
    expect(intensity?.source).toBe("Electricity Maps (DE), the past 24 h");
    expect(intensity?.gramsPerKWh[12]).toBe(197);
    expect(server.requests.map((r) => r.path)).toEqual([
      "/v3/carbon-intensity/forecast",
      "/v3/carbon-intensity/history",
    ]);
    expect(telemetry.sources).toMatchObject([{ status: "ok", requests: 2 }]);
  });

  it("a rejected token is reported with the API's message", async () => {
    const server = await serve(electricityMaps("other"));
    const telemetry = await electricityMapsTelemetry(server);
    expect(telemetry.sources).toMatchObject([
      {
        source: "grid-intensity",
        status: "failed",
        error: "HTTP 401: Invalid authentication credentials",
        requests: 2,
      },
    ]);
    // the forecast, then the history it falls back to
    expect(server.requests).toHaveLength(2);
    expect(JSON.stringify(telemetry.sources)).not.toContain("em-token");
  });

  it("the UK Carbon Intensity API: half-hours averaged by hour", async () => {
    const server = await serve(ukCarbonIntensity());
    const telemetry = await fetchTelemetry(
      [request({ gridIntensity: { provider: "uk-carbon-intensity", url: server.url } })],
      { now: Date.UTC(2026, 10, 23, 0, 7) / 1000, ...operator(server) },
    );
    const intensity = telemetry.environments.get("prod")?.intensity;
    expect(intensity?.gramsPerKWh.slice(0, 4)).toEqual([120, 110, 100, 95]);
    expect(server.requests[0]?.path).toBe("/intensity/2026-11-23T00:07Z/fw24h");
  });
});
