/**
 * The GitOps loop's figures (issue #12):
 * - a scan of a repository with 500 workloads and live telemetry (GitHub served in memory by the tests'
 *   fake, throttling off; a local Prometheus with two days of usage of the 500): wall time, pull
 *   requests opened (at most one per environment), GitHub calls
 * - a deployment report for 20 Applications against the local ArgoCD, by watch stream and by polling:
 *   requests per Application per poll interval (at most one)
 */
import { ArgoCdClient } from "../../app/argocd/client.ts";
import { deploymentReport } from "../../app/gitops/deploy/deploy.ts";
import { ARGO_TOKEN, FakeArgoCd } from "../argocd/fake-argocd/server.ts";
import { harness } from "../github/harness.ts";
import { dispatchPayload } from "../github/payloads.ts";
import { operatorEnv, scanRepository } from "../scan/fixture.ts";
import { daily, MIB, type WorkloadSpec } from "../telemetry/fixture/generate.ts";
import { startPrometheus } from "../telemetry/fixture/prometheus-server.ts";

const WORKLOADS = 500;
const APPLICATIONS = 20;

function fleet(): WorkloadSpec[] {
  return Array.from({ length: WORKLOADS }, (_, i) => ({
    cluster: "eu-1",
    namespace: "fleet",
    kind: "Deployment" as const,
    name: `worker-${i}`,
    replicas: 1,
    replicaSets: {
      [`worker-${i}-5c9d8f7b6`]: [
        {
          name: `worker-${i}-5c9d8f7b6-q2w3e`,
          containers: [
            {
              name: `worker-${i}`,
              cpu: daily(0.05, 0.1 + i / 10_000, 0.2),
              memory: daily(100 * MIB, 150 * MIB, 200 * MIB),
            },
          ],
        },
      ],
    },
  }));
}

/** The fixture repository with 500 fleet workers in prod, two days of telemetry, rightsizing from a day of history. */
function repository(prometheusUrl: string): Record<string, string> {
  const files = scanRepository(prometheusUrl, WORKLOADS);
  files["environments/prod/greenops.yml"] = (files["environments/prod/greenops.yml"] ?? "").replace(
    "telemetry:\n",
    "telemetry:\n  window: 2d\n",
  );
  files[".github/greenops.yml"] = "policies:\n  rightsizing: { options: { minimumHistoryDays: 1 } }\n";
  return files;
}

export async function scanFigures(): Promise<[string, string, string, boolean][]> {
  const end = Math.floor(Date.now() / 1000 / 300) * 300;
  const prometheus = await startPrometheus({ end, days: 2, workloads: fleet(), kepler: {} });
  Object.assign(process.env, operatorEnv(prometheus.url));
  try {
    const files = repository(prometheus.url);
    const runs: { seconds: number; pulls: number; environments: number; calls: number; fixes: number }[] = [];
    for (let i = 0; i < 3; i++) {
      const h = await harness();
      h.github.branch("main", h.github.commit(undefined, files, "The fleet"));
      const started = performance.now();
      await h.deliver("repository_dispatch", dispatchPayload("greenops-scan"));
      const seconds = (performance.now() - started) / 1000;
      h.github.assertClean();
      const pulls = [...h.github.pulls.values()];
      runs.push({
        seconds,
        pulls: pulls.length,
        environments: new Set(pulls.map((p) => p.head)).size,
        calls: h.github.calls().length,
        fixes: pulls.reduce((n, p) => n + ((p.body ?? "").match(/^\| Request /gm)?.length ?? 0), 0),
      });
    }
    const run = runs.sort((a, b) => a.seconds - b.seconds)[1] ?? runs[0];
    if (!run) throw new Error("no scan ran");
    return [
      [`scan, ${WORKLOADS} workloads + telemetry`, `${run.seconds.toFixed(2)} s`, "< 10 s", run.seconds < 10],
      ["  pull requests opened", `${run.pulls}`, "≤ 1 per env", run.pulls === run.environments],
      ["  rightsizing fixes in them", `${run.fixes}`, "", true],
      ["  GitHub calls", `${run.calls}`, "", true],
    ];
  } finally {
    await prometheus.stop();
  }
}

export async function deployFigures(): Promise<[string, string, string, boolean][]> {
  const rows: [string, string, string, boolean][] = [];
  for (const mode of ["watch stream", "polling"] as const) {
    const argo = await FakeArgoCd.start({ tickMs: 400 });
    try {
      for (let i = 0; i < APPLICATIONS; i++) {
        argo.add({
          name: `shop-${i}`,
          repoURL: "https://github.com/Codertocat/Hello-World.git",
          path: `apps/shop-${i}`,
          namespace: "shop",
          revision: "1".repeat(40),
          automated: true,
        });
        argo.willDeploy(`shop-${i}`, "2".repeat(40), "healthy");
      }
      if (mode === "polling")
        argo.fail(
          "GET",
          "/api/v1/stream/applications",
          405,
          { error: "Method Not Allowed", code: 12, message: "Method Not Allowed" },
          APPLICATIONS,
        );
      const intervalMs = 500;
      const started = performance.now();
      const report = await deploymentReport({
        client: new ArgoCdClient({ url: argo.url, token: ARGO_TOKEN }),
        pushed: {
          repositoryUrl: "https://github.com/Codertocat/Hello-World",
          defaultBranch: "main",
          changed: Array.from({ length: APPLICATIONS }, (_, i) => `apps/shop-${i}/deployment.yaml`),
        },
        revision: "2".repeat(40),
        sync: false,
        timeoutMs: 30_000,
        intervalMs,
        maxIntervalMs: intervalMs,
        commits: [],
      });
      const seconds = (performance.now() - started) / 1000;
      argo.assertClean();
      const perApp = argo.requests.filter((r) => r.path !== "/api/v1/applications").length / APPLICATIONS;
      const intervals = Math.ceil((seconds * 1000) / intervalMs);
      const label = `deploy, ${APPLICATIONS} apps, ${mode}`;
      rows.push([label, `${seconds.toFixed(2)} s`, "", report.conclusion === "success"]);
      rows.push([
        "  requests per app / intervals",
        `${perApp.toFixed(1)} / ${intervals}`,
        "≤ 1 per interval",
        perApp <= intervals,
      ]);
    } finally {
      await argo.stop();
    }
  }
  return rows;
}
