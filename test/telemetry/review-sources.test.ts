import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { checkedReview } from "../../app/engine/review.ts";
import { markdownReport } from "../../app/report/markdown-report.ts";
import { costLines, greenopsWithEnv, jsonWithEnv } from "../helpers/cli.ts";
import { type TempRepo, tempRepo } from "../helpers/git-repo.ts";
import { type FakeApi, fakeApi, fixture, openCost, ukCarbonIntensity } from "./fake-apis.ts";
import { allowing } from "./helpers.ts";

const cronJob = (cpu: string) => `apiVersion: batch/v1
kind: CronJob
metadata: { name: nightly, namespace: shop }
spec:
  schedule: "0 18 * * *" # after the shops close
  jobTemplate:
    spec:
      activeDeadlineSeconds: 3600
      template: { spec: { containers: [{ name: report, resources: { requests: { cpu: "${cpu}", memory: 4Gi } } }] } }
`;

const deployment = (name: string, requests: string) => `apiVersion: apps/v1
kind: Deployment
metadata: { name: ${name}, namespace: shop }
spec:
  replicas: 2
  template: { spec: { containers: [{ name: ${name}, resources: { requests: ${requests}, limits: ${requests} } }] } }
`;

let repo: TempRepo;
let servers: FakeApi[];
/** Whoever runs GreenOps lets the settings reach both servers. */
let operator: Record<string, string>;
beforeAll(async () => {
  servers = [
    await fakeApi(openCost(fixture("opencost-allocation-shop.json"))),
    await fakeApi(ukCarbonIntensity()),
  ];
  const [opencost, uk] = servers;
  operator = allowing(servers.map((s) => s.url));
  for (const [name, value] of Object.entries(operator)) vi.stubEnv(name, value);
  repo = tempRepo();
  repo.write(
    "environments/prod/greenops.yml",
    `cloud: aws
region: eu-west-2
currency: USD
telemetry:
  opencost: { url: "${opencost?.url}" }
  gridIntensity: { provider: uk-carbon-intensity, url: "${uk?.url}" }
`,
  );
  repo.write("environments/prod/shop/nightly.yaml", cronJob("1"));
  repo.write("environments/prod/shop/api.yaml", deployment("api", '{ cpu: "1", memory: 1Gi }'));
  repo.write("environments/prod/shop/trainer.yaml", deployment("trainer", "{ cpu: 500m }"));
  repo.commit("base");
  repo.write("environments/prod/shop/nightly.yaml", cronJob("2"));
  repo.write("environments/prod/shop/api.yaml", deployment("api", '{ cpu: "2", memory: 1Gi }'));
  repo.write(
    "environments/prod/shop/trainer.yaml",
    deployment("trainer", '{ cpu: 500m, nvidia.com/gpu: "1" }'),
  );
});
afterAll(async () => {
  vi.unstubAllEnvs();
  repo.dispose();
  await Promise.all(servers.map((s) => s.close()));
});

describe("a review with OpenCost and a grid-intensity provider", () => {
  it("prices with the cluster's own CPU and RAM prices, and says so", async () => {
    const { report } = await checkedReview(repo.root);
    const prod = report.environments.find((e) => e.environment === "prod");
    expect(prod?.compute).toMatchObject({ method: "opencost-observed", cpu: expect.closeTo(0.0243, 6) });
    expect(report.rows[0]?.after?.estimate.cost[0]).toMatchObject({
      component: "CPU",
      unitPrice: expect.closeTo(0.0243, 6),
    });
    expect(markdownReport(report)).toContain(
      "the cluster's own prices, from OpenCost's allocations over 14d",
    );
  });

  it("moves the CronJob by the provider's forecast, naming it", async () => {
    const { report } = await checkedReview(repo.root);
    const window = report.findings.find((f) => f.policy === "cronjob-carbon-window");
    expect(window?.message).toMatch(
      /^CronJob\/shop\/nightly runs at 18:00 UTC, when the grid averages 310 gCO2e\/kWh \(average, UK Carbon Intensity API \(GB\), forecast for the next 24 h\); at 03:00 UTC it would average 95/,
    );
    expect(report.telemetry?.sources.map((s) => [s.source, s.status])).toEqual([
      ["grid-intensity", "ok"],
      ["opencost", "ok"],
    ]);
  });
});

describe("OpenCost without Prometheus, on the command line's report", () => {
  it("shows each workload's observed cost and efficiency beside the estimate", async () => {
    const report = await jsonWithEnv(repo.root, operator, "review");
    expect(report.telemetry.workloads).toEqual([
      {
        environment: "prod",
        id: "Deployment/shop/api",
        pods: 0,
        replicaSets: [],
        replicas: null,
        containers: [],
        energy: null,
        // $9.24 over 14 days (20,160 minutes), scaled to 730 hours
        observedCost: {
          totalCost: 9.24,
          cpuEfficiency: 0.25,
          ramEfficiency: 0.195312,
          minutes: 20160,
          monthlyCost: 20.075,
        },
      },
    ]);
    const markdown = (await greenopsWithEnv(repo.root, operator, "review")).stdout;
    expect(markdown).toContain("| `Deployment/shop/api` | $20.08 | 25% | 20% |");
  });

  it("says the costs are the cluster's prices from OpenCost, and where the GPU price comes from", async () => {
    const report = await jsonWithEnv(repo.root, operator, "review");
    expect(report.environments[0].prices).toMatchObject({
      method: "opencost-observed",
      sources: [],
      gpu: { method: "opencost-default", sources: ["opencost-default-prices"] },
    });
    const trainer = report.resources.find((r: { id: string }) => r.id === "Deployment/shop/trainer");
    const gpu = costLines(report, trainer.breakdown.after).find(
      (l: { component: string }) => l.component === "GPU",
    );
    expect(gpu).toMatchObject({ unitPrice: 0.95, sources: ["opencost-default-prices"] });
    const markdown = (await greenopsWithEnv(repo.root, operator, "review")).stdout;
    expect(markdown).toContain(
      "Monthly figures are for 730 hours. Costs are the cluster's prices from OpenCost in USD;",
    );
    expect(markdown).toMatch(
      /- Compute: the cluster's own prices, from OpenCost's allocations over 14d → \$0\.0243\/vCPU-hour, \$0\.0032\/GiB-hour; \$0\.95\/GPU-hour from OpenCost's default price \(OpenCost's allocations give no GPU price\)\n/,
    );
  });
});
