import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { Ajv } from "ajv";
import { afterAll, beforeAll, describe, expect, inject, it, vi } from "vitest";
import { estimate } from "../../app/engine/estimate.ts";
import { checkedReview } from "../../app/engine/review.ts";
import { type CarbonLine, formula } from "../../app/estimate/lines.ts";
import { jsonReportText } from "../../app/report/json-report.ts";
import { markdownReport } from "../../app/report/markdown-report.ts";
import { type TempRepo, tempRepo } from "../helpers/git-repo.ts";
import { AUTH } from "./fixture/prometheus-server.ts";
import { allowingFixture } from "./helpers.ts";

const PROJECT = new URL("../../", import.meta.url).pathname;
const settings = (url: string, extra = "") => `cloud: aws
region: us-east-1
nodeInstanceType: m5.xlarge
nodeCount: 6
currency: USD
telemetry:
  prometheus:
    url: ${url}
    cluster: { label: cluster, value: eu-1 }
    auth: { username: ${AUTH.username}, passwordEnv: FIXTURE_PASSWORD }
${extra}`;
const web = (memory: string) => `apiVersion: apps/v1
kind: Deployment
metadata: { name: web, namespace: shop }
spec:
  replicas: 2
  template:
    spec:
      containers:
        - name: web
          resources:
            requests: { cpu: 1, memory: ${memory} }
            limits: { cpu: 2, memory: ${memory} } # peak season headroom
        - name: log-shipper
          resources:
            requests: { cpu: 50m, memory: 128Mi }
            limits: { memory: 256Mi }
`;
const api = (replicas: number) => `apiVersion: apps/v1
kind: Deployment
metadata: { name: api, namespace: shop }
spec:
  replicas: ${replicas}
  template:
    spec:
      containers:
        - name: api
          resources:
            requests: { cpu: 1, memory: 1Gi }
            limits: { cpu: 2, memory: 2Gi }
`;

let repo: TempRepo;
beforeAll(() => {
  vi.stubEnv("FIXTURE_PASSWORD", AUTH.password);
  for (const [name, value] of Object.entries(allowingFixture())) vi.stubEnv(name, value);
  repo = tempRepo();
  repo.write("environments/prod/greenops.yml", settings(inject("prometheus").url));
  repo.write("environments/prod/shop/web.yaml", web("1Gi"));
  repo.write("environments/prod/shop/api.yaml", api(1));
  repo.commit("base");
  // the pull request: web's memory cut below its peak, api scaled out
  repo.write("environments/prod/shop/web.yaml", web("512Mi"));
  repo.write("environments/prod/shop/api.yaml", api(2));
});
afterAll(() => {
  vi.unstubAllEnvs();
  repo.dispose();
});

describe("a review with live telemetry", () => {
  it("catches a memory limit lowered below the observed peak, with the evidence", async () => {
    const { report } = await checkedReview(repo.root);
    const [error, warning] = report.findings.filter((f) => f.policy === "live-usage");
    expect(warning).toMatchObject({
      severity: "warning",
      message: expect.stringMatching(
        /^container "web" requests 512Mi of memory, below its peak working set of 760Mi/,
      ),
    });
    expect(error).toMatchObject({
      severity: "error",
      location: { file: "environments/prod/shop/web.yaml", startLine: 12 },
    });
    expect(error?.message).toMatch(
      /^container "web" gets a memory limit of 512Mi, below its peak working set of 760Mi \(\d{4}-\d\d-\d\d; above 512Mi on 14 of 14 days in 14d\): it would be OOM-killed$/,
    );
    expect(error?.fix?.title).toBe('Set the memory limit of "web" to 880Mi');
  });

  it("recommends requests with the JSON shape the issue states, and what they save", async () => {
    const { report } = await checkedReview(repo.root);
    const json = JSON.parse(jsonReportText(report));
    const schema = JSON.parse(readFileSync(join(PROJECT, "docs/report-schema.json"), "utf8"));
    const validate = new Ajv({ strict: false, allErrors: true }).compile(schema);
    expect(validate(json), JSON.stringify(validate.errors)).toBe(true);
    const recommendations = json.findings.filter((f: { policy: string }) => f.policy === "rightsizing");
    const apiFinding = recommendations.find((f: { file: string }) => f.file.endsWith("api.yaml"));
    expect(apiFinding.recommendation).toEqual({
      container: "api",
      cpuRequest: { current: "1", recommended: "250m" },
      memoryRequest: { current: "1Gi", recommended: "240Mi" },
      basis: {
        window: "14d",
        percentile: 95,
        samples: expect.any(Number),
        source: expect.stringMatching(
          /^Prometheus http:\/\/127\.0\.0\.1:\d+ \(cAdvisor, kube-state-metrics\) over 14d; energy measured by kepler 0\.10/,
        ),
      },
    });
    // 14 days of 5-minute points; the review reads at "now", which drifts past the fixture's last sample
    expect(apiFinding.recommendation.basis.samples).toBeGreaterThanOrEqual(4032 - 24);
    expect(apiFinding.recommendation.basis.samples).toBeLessThanOrEqual(4033);
    // two replicas of (750m + 784Mi) less
    expect(apiFinding.fix.impact.monthlyCost).toBeCloseTo(
      -2 * 730 * (0.75 * 0.03125 + (784 / 1024) * 0.004188),
      1,
    );
    const webFinding = recommendations.find(
      (f: { recommendation: { container: string } }) => f.recommendation.container === "web",
    );
    // the old ReplicaSet's 760Mi peak counts: 760Mi + 15 % → 880Mi
    expect(webFinding.recommendation.memoryRequest).toEqual({ current: "512Mi", recommended: "880Mi" });
    expect(webFinding.recommendation.cpuRequest).toEqual({ current: "1", recommended: "500m" });
  });

  it("measured CPU energy where Kepler is plausible, the model where it is not, each labelled", async () => {
    const { report } = await checkedReview(repo.root);
    const cpu = (id: string) =>
      report.rows
        .find((r) => r.after?.resource.id === id)
        ?.after?.estimate.carbon.find((l) => l.component === "CPU");
    expect(cpu("Deployment/shop/api")).toMatchObject({ basis: "measured", modelledKWh: expect.any(Number) });
    expect(formula(cpu("Deployment/shop/api") as CarbonLine)).toMatch(
      /^measured by kepler 0\.10: 0\.8\d* kWh over 14d for 1 pod\(s\)/,
    );
    const webRow = report.rows.find((r) => r.after?.resource.id === "Deployment/shop/web");
    expect(cpu("Deployment/shop/web")?.basis).toBe("modelled");
    expect(webRow?.after?.estimate.assumptions.join("\n")).toMatch(
      /Kepler's reading was replaced by the model: pod web-5d8f7c6b9-aaaaa drew/,
    );
    expect(report.telemetry?.sources.map((s) => [s.source, s.status, s.requests])).toEqual([
      ["kepler", "ok", 1],
      ["prometheus", "ok", 5],
    ]);
    expect(markdownReport(report)).toContain("| CPU (measured) | measured by kepler 0.10");
  });

  it("an estimate, with no change to compare with, checks every value against usage", async () => {
    const report = await estimate(join(repo.root, "environments"));
    expect(report.findings.filter((f) => f.policy === "live-usage").map((f) => f.severity)).toEqual([
      "error",
      "warning",
    ]);
    expect(report.findings.filter((f) => f.policy === "rightsizing")).toHaveLength(3);
    expect(report.telemetry?.sources.map((s) => s.status)).toEqual(["ok", "ok"]);
  });

  it("an unreachable Prometheus on the command line: exit 0, the report says what failed and what was used", () => {
    const started = performance.now();
    const result = spawnSync(
      process.execPath,
      [join(PROJECT, "bin/greenops.js"), "review", "--prometheus", "http://127.0.0.1:1", "--quiet"],
      {
        cwd: repo.root,
        encoding: "utf8",
        env: { ...process.env, GREENOPS_PROMETHEUS_BEARER_TOKEN: "never-printed-token" },
      },
    );
    expect(performance.now() - started).toBeLessThan(15_000);
    expect(result.stdout).toMatch(
      /\| prometheus \| prod \| http:\/\/127\.0\.0\.1:1 \| ❌ failed \| ECONNREFUSED[^|]*: modelled defaults were used \(CCF's 50% CPU, requests as written\) \|/,
    );
    expect(result.stdout + result.stderr).not.toContain("never-printed-token");
    expect(result.stdout).not.toContain("live-usage");
    expect(result.status).toBe(0);
  });
});
