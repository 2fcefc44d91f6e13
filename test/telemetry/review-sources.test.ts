import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { checkedReview } from "../../app/engine/review.ts";
import { markdownReport } from "../../app/report/markdown-report.ts";
import { type TempRepo, tempRepo } from "../helpers/git-repo.ts";
import { type FakeApi, fakeApi, fixture, openCost, ukCarbonIntensity } from "./fake-apis.ts";

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

let repo: TempRepo;
let servers: FakeApi[];
beforeAll(async () => {
  servers = [
    await fakeApi(openCost(fixture("opencost-allocation-shop.json"))),
    await fakeApi(ukCarbonIntensity()),
  ];
  const [opencost, uk] = servers;
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
  repo.commit("base");
  repo.write("environments/prod/shop/nightly.yaml", cronJob("2"));
});
afterAll(async () => {
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
