import { describe, expect, inject, it } from "vitest";
import { fetchTelemetry } from "../../app/telemetry/fetch-telemetry.ts";
import type { TelemetryRequest, WorkloadUsage } from "../../app/telemetry/types.ts";
import { MIB, PROD_SETTINGS, prometheusSettings, SECRETS } from "./helpers.ts";

const workload = (namespace: string, kind: string, name: string) => ({ namespace, kind, name });
const REVIEWED = [
  workload("shop", "Deployment", "api"),
  workload("shop", "Deployment", "web"),
  workload("shop", "Deployment", "idle-worker"),
  workload("shop", "Deployment", "fresh"),
  workload("shop", "Deployment", "importer"),
  workload("shop", "Deployment", "frontend"),
  workload("shop-canary", "Deployment", "web"),
  workload("data", "StatefulSet", "cache"),
];

async function read(request: Partial<TelemetryRequest> = {}, cluster = "eu-1") {
  const telemetry = await fetchTelemetry(
    [
      {
        environment: "prod",
        settings: { ...PROD_SETTINGS, telemetry: { prometheus: prometheusSettings(cluster) } },
        workloads: REVIEWED,
        quantiles: [0.95, 0.99],
        nodeMaxWatts: 4 * 4.26,
        ...request,
      },
    ],
    { secrets: SECRETS, now: inject("prometheus").end },
  );
  const environment = telemetry.environments.get("prod");
  return { telemetry, workloads: environment?.workloads ?? new Map<string, WorkloadUsage>(), environment };
}

describe("usage from a real Prometheus", async () => {
  const { telemetry, workloads } = await read();
  const container = (key: string, name: string) => workloads.get(key)?.containers[name];

  it("reads every workload under review in six queries", () => {
    expect(telemetry.sources).toMatchObject([
      {
        source: "kepler",
        status: "ok",
        requests: 1,
        note: "kepler 0.10: measured energy for 1 workload(s), 2 implausible reading(s) replaced by the model",
      },
      { source: "prometheus", status: "ok", requests: 5, note: "usage of 8 of 8 workload(s) under review" },
    ]);
    expect([...workloads.keys()].sort()).toEqual([
      "data/StatefulSet/cache",
      "shop-canary/Deployment/web",
      "shop/Deployment/api",
      "shop/Deployment/fresh",
      "shop/Deployment/frontend",
      "shop/Deployment/idle-worker",
      "shop/Deployment/importer",
      "shop/Deployment/web",
    ]);
  });

  it("steady: every statistic is the constant", () => {
    const api = container("shop/Deployment/api", "api");
    expect(api?.cpu?.quantiles["0.95"]).toBeCloseTo(0.25, 9);
    expect(api?.cpu?.max).toBeCloseTo(0.25, 9);
    expect(api?.memory?.peakBytes).toBe(200 * MIB);
    expect(api?.historySeconds).toBe(14 * 86_400);
    // 14 days of 5-minute points, both ends included (Prometheus 2.x subqueries at an aligned time)
    expect(api?.cpu?.samples).toBe(4033);
  });

  it("spiky: p95 is the busy hours, p99 and the peak the daily spike", () => {
    const web = container("shop/Deployment/web", "web");
    expect(web?.cpu?.quantiles["0.95"]).toBeCloseTo(0.5, 9);
    expect(web?.cpu?.quantiles["0.99"]).toBeCloseTo(2, 9);
    expect(web?.cpu?.max).toBeCloseTo(2, 9);
  });

  it("a rollout: pods of both ReplicaSets count, the old one's higher peak included", () => {
    const web = workloads.get("shop/Deployment/web");
    expect(web?.replicaSets.sort()).toEqual(["web-5d8f7c6b9", "web-6d4cf56db6"]);
    expect(web?.pods).toHaveLength(4);
    expect(web?.containers.web?.memory?.peakBytes).toBe(760 * MIB);
    expect(web?.containers["log-shipper"]?.memory?.peakBytes).toBe(64 * MIB);
    expect(web?.replicas).toBe(2);
  });

  it("idle, growing memory and too little history", () => {
    expect(container("shop/Deployment/idle-worker", "worker")?.cpu?.quantiles["0.95"]).toBeCloseTo(0.002, 9);
    const cache = container("data/StatefulSet/cache", "redis");
    expect(cache?.memory?.peakBytes).toBe(900 * MIB);
    const days = cache?.memory?.dailyPeaks ?? [];
    expect(days.map((d) => d.bytes)).toEqual([...days.map((d) => d.bytes)].sort((a, b) => a - b));
    expect(cache?.memory?.peakDay).toBe(days.at(-1)?.day);
    // from the first sample to the last: two days, though its samples fall in three daily buckets
    expect(container("shop/Deployment/fresh", "fresh")?.historySeconds).toBe(2 * 86_400);
  });

  it("replicas from kube-state-metrics, per-pod usage of a scaled workload", () => {
    const frontend = workloads.get("shop/Deployment/frontend");
    expect(frontend?.replicas).toBe(3);
    expect(frontend?.pods).toHaveLength(3);
    expect(frontend?.containers.frontend?.cpu?.quantiles["0.95"]).toBeCloseTo(0.2, 9);
    expect(frontend?.containers.frontend?.cpu?.samples).toBe(3 * 4033);
  });

  it("wrong credentials: reported, nothing read", async () => {
    const denied = await fetchTelemetry(
      [
        {
          environment: "prod",
          settings: { ...PROD_SETTINGS, telemetry: { prometheus: { ...prometheusSettings(), retries: 0 } } },
          workloads: REVIEWED,
          quantiles: [0.95],
        },
      ],
      { secrets: { ...SECRETS, env: { ...SECRETS.env, FIXTURE_PASSWORD: "wrong" } } },
    );
    expect(denied.sources).toMatchObject([{ status: "failed", error: "HTTP 401" }]);
    expect(denied.environments.get("prod")?.workloads.size).toBe(0);
  });

  it("a same-named workload in another namespace keeps its own usage", () => {
    expect(container("shop-canary/Deployment/web", "web")?.memory?.peakBytes).toBe(100 * MIB);
    expect(workloads.get("shop-canary/Deployment/web")?.pods).toEqual(["web-7c5b9d8e6-c4n4r"]);
  });

  it("OOMKilled terminations with how often and when", () => {
    const end = inject("prometheus").end;
    expect(container("shop/Deployment/importer", "importer")?.oom).toEqual({
      restarts: 3,
      lastAt: new Date((end - 86_400 + 7200) * 1000).toISOString(),
    });
    expect(container("shop/Deployment/api", "api")?.oom).toBeUndefined();
  });

  it("Kepler 0.10: measured energy, implausible readings flagged", () => {
    const api = workloads.get("shop/Deployment/api")?.energy;
    // 2.5 W for 14 days = 0.84 kWh
    expect(api).toEqual({ source: "kepler-0.10", kWh: expect.closeTo(0.84, 3) });
    expect(workloads.get("shop/Deployment/web")?.energy?.implausible).toMatch(
      /drew \d+ W on average, more than its node can \(17 W\)/,
    );
    expect(workloads.get("data/StatefulSet/cache")?.energy?.implausible).toBe(
      "the energy counter of pod cache-0 went backwards 1 time(s)",
    );
  });

  it("Kepler 0.7 in another cluster of the same Prometheus", async () => {
    const lab = await read({ workloads: [workload("lab", "Deployment", "batch")] }, "lab-7");
    const batch = lab.workloads.get("lab/Deployment/batch");
    expect(batch?.energy).toEqual({ source: "kepler-0.7", kWh: expect.closeTo(1.68, 3) });
    expect(batch?.containers.batch?.cpu?.quantiles["0.95"]).toBeCloseTo(0.5, 9);
    expect(lab.environment?.source).toContain("energy measured by kepler 0.7");
  });

  it("a namespace with no series is reported empty, not failed", async () => {
    const none = await read({ workloads: [workload("nowhere", "Deployment", "ghost")] });
    expect(none.telemetry.sources.find((s) => s.source === "prometheus")).toMatchObject({
      status: "empty",
      note: "no series for the 1 workload(s) under review: modelled defaults were used",
    });
  });
});
