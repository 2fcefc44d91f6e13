/**
 * The telemetry figures of `npm run bench`: a 50-workload pull request reviewed against the local
 * Prometheus (15 days of history for 50 Deployments in 10 namespaces): PromQL queries sent and wall time.
 */
import { spawnSync } from "node:child_process";
import { tempRepo } from "../helpers/git-repo.ts";
import { daily, MIB, type WorkloadSpec } from "../telemetry/fixture/generate.ts";
import { AUTH, startPrometheus } from "../telemetry/fixture/prometheus-server.ts";
import { cliArgs } from "./cli.ts";

const WORKLOADS = 50;
const NAMESPACES = 10;

const name = (i: number) => ({ namespace: `team-${i % NAMESPACES}`, name: `service-${i}` });

function workloads(): WorkloadSpec[] {
  return Array.from({ length: WORKLOADS }, (_, i) => ({
    cluster: "eu-1",
    ...name(i),
    kind: "Deployment" as const,
    replicas: 1,
    replicaSets: {
      [`service-${i}-7d9f8c6b5`]: [
        {
          name: `service-${i}-7d9f8c6b5-abcde`,
          containers: [
            {
              name: "app",
              cpu: daily(0.1, 0.3 + i / 100, 0.8),
              memory: daily(200 * MIB, 300 * MIB, 400 * MIB),
            },
          ],
        },
      ],
    },
  }));
}

const manifest = (i: number, replicas: number) => {
  const { namespace, name: workload } = name(i);
  return `apiVersion: apps/v1\nkind: Deployment\nmetadata: { name: ${workload}, namespace: ${namespace} }\nspec:\n  replicas: ${replicas}\n  template:\n    spec:\n      containers:\n        - name: app\n          resources:\n            requests: { cpu: 1, memory: 1Gi }\n            limits: { memory: 1Gi }\n`;
};

export type TelemetryFigures = {
  queries: number;
  telemetrySeconds: number;
  reviewSeconds: number;
  findings: number;
};

export async function telemetryBench(runs: number): Promise<TelemetryFigures> {
  const end = Math.floor(Date.now() / 1000 / 300) * 300;
  const prometheus = await startPrometheus({ end, days: 15, workloads: workloads(), kepler: {} });
  const repo = tempRepo();
  try {
    repo.write(
      "environments/prod/greenops.yml",
      "cloud: aws\nregion: us-east-1\nnodeInstanceType: m5.xlarge\ncurrency: USD\n",
    );
    for (let i = 0; i < WORKLOADS; i++) repo.write(`environments/prod/service-${i}.yaml`, manifest(i, 1));
    repo.commit("base");
    for (let i = 0; i < WORKLOADS; i++) repo.write(`environments/prod/service-${i}.yaml`, manifest(i, 2));
    const env = {
      ...process.env,
      GREENOPS_PROMETHEUS_USERNAME: AUTH.username,
      GREENOPS_PROMETHEUS_PASSWORD: AUTH.password,
    };
    const run = () => {
      const started = performance.now();
      const result = spawnSync(
        process.execPath,
        cliArgs(["review", "--prometheus", prometheus.url, "--format", "json", "--quiet"]),
        {
          cwd: repo.root,
          env,
          encoding: "utf8",
          maxBuffer: 256 * 2 ** 20,
        },
      );
      const seconds = (performance.now() - started) / 1000;
      const report = JSON.parse(result.stdout);
      const sources: { source: string; status: string; requests: number; milliseconds: number }[] =
        report.telemetry.sources;
      const usage = sources.find((s) => s.source === "prometheus");
      if (usage?.status !== "ok") throw new Error(`telemetry bench: ${JSON.stringify(sources)}`);
      return {
        queries: sources.reduce((sum, s) => sum + s.requests, 0),
        telemetrySeconds: Math.max(...sources.map((s) => s.milliseconds)) / 1000,
        reviewSeconds: seconds,
        findings: report.findings.filter((f: { policy: string }) => f.policy === "rightsizing").length,
      };
    };
    run();
    const results = Array.from({ length: runs }, run).sort((a, b) => a.reviewSeconds - b.reviewSeconds);
    return results[Math.floor(results.length / 2)] as TelemetryFigures;
  } finally {
    repo.dispose();
    await prometheus.stop();
  }
}
