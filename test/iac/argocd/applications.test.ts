import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { estimate } from "../../../app/engine/estimate.ts";
import type { Report } from "../../../app/engine/types.ts";
import { readApplications } from "../../../app/iac/argocd/applications.ts";
import { type TempRepo, tempRepo } from "../../helpers/git-repo.ts";

const PROJECT = new URL("../../../", import.meta.url).pathname;

describe("ArgoCD Applications and ApplicationSets", () => {
  const paths = [
    "teams/search/deployment.yaml",
    "teams/checkout/deployment.yaml",
    "teams/README.md",
    "platform/x.yaml",
  ];

  it("reads an Application's sources, destination and revision", () => {
    const { applications } = readApplications(
      "app.yaml",
      `---
apiVersion: argoproj.io/v1alpha1
kind: Application
metadata: { name: web, labels: { team: shop } }
spec:
  project: shop
  sources:
    - { repoURL: https://github.com/x/y.git, path: ./apps/web/, targetRevision: v2.0.1 }
    - { repoURL: https://charts.example.com, chart: redis, targetRevision: 19.0.0 }
  destination: { server: https://kubernetes.default.svc, namespace: web }
`,
      paths,
    );
    expect(applications).toEqual([
      {
        name: "web",
        file: "app.yaml",
        line: 2,
        project: "shop",
        cluster: "https://kubernetes.default.svc",
        namespace: "web",
        labels: { team: "shop" },
        sources: [
          { repoURL: "https://github.com/x/y.git", path: "apps/web", targetRevision: "v2.0.1" },
          { repoURL: "https://charts.example.com", chart: "redis", targetRevision: "19.0.0" },
        ],
      },
    ]);
  });

  it("expands git directory generators (goTemplate) and list generators (fasttemplate), and reports the others", () => {
    const set = (
      generators: string,
      goTemplate: boolean,
      name: string,
      path: string,
    ) => `apiVersion: argoproj.io/v1alpha1
kind: ApplicationSet
metadata: { name: set }
spec:
  goTemplate: ${goTemplate}
  generators: ${generators}
  template:
    metadata: { name: "${name}" }
    spec:
      source: { repoURL: r, path: "${path}" }
      destination: { name: in-cluster, namespace: "${name}" }
`;
    const git = readApplications(
      "a.yaml",
      set(
        '[{ git: { directories: [{ path: "teams/*" }, { path: teams/checkout, exclude: true }] } }]',
        true,
        "team-{{.path.basename}}",
        "{{.path.path}}",
      ),
      paths,
    );
    expect(git.applications.map((a) => [a.name, a.sources[0]?.path, a.namespace, a.generatedBy])).toEqual([
      ["team-search", "teams/search", "team-search", "set"],
    ]);
    const list = readApplications(
      "a.yaml",
      set(
        "[{ list: { elements: [{ cluster: dev }, { cluster: prod }] } }]",
        false,
        "m-{{cluster}}",
        "platform",
      ),
      paths,
    );
    expect(list.applications.map((a) => a.name)).toEqual(["m-dev", "m-prod"]);
    const other = readApplications("a.yaml", set("[{ clusters: {} }]", false, "x", "p"), paths);
    expect(other.diagnostics).toEqual([
      expect.objectContaining({
        line: 1,
        severity: "notice",
        message: "the ApplicationSet's clusters generator is not evaluated: its Applications are not mapped",
      }),
    ]);
  });
});

describe("a repository whose environments ArgoCD deploys", () => {
  let repo: TempRepo;
  let report: Report;
  const fromRepo = () => repo.root;

  beforeAll(async () => {
    repo = tempRepo({ from: join(PROJECT, "test/fixtures/argocd/repo"), to: "." });
    repo.commit("platform repository");
    report = await estimate(fromRepo(), { projects: { kubectl: false } });
  });

  afterAll(() => repo.dispose());

  const placed = (id: string) =>
    report.rows
      .map((r) => r.after?.resource)
      .filter((r) => r?.id === id)
      .map((r) => [r?.environment, r?.application?.name, r?.application?.cluster]);

  it("estimates each path where the Applications deploy it: environment, cluster and namespace", () => {
    expect(placed("Deployment/shop-prod/prod-api")).toEqual([
      ["prod", "shop-prod", "https://prod.k8s.example.com"],
    ]);
    expect(placed("Deployment/shop-dev/api")).toEqual([["dev", "shop-dev", "dev"]]);
    expect(placed("Deployment/search/search")).toEqual([["prod", "team-search", "prod"]]);
  });

  it("counts manifests deployed to two clusters twice, once in each environment", () => {
    expect(placed("DaemonSet/monitoring/node-exporter")).toEqual([
      ["dev", "monitoring-dev", "dev"],
      ["prod", "monitoring-prod", "prod"],
    ]);
  });

  it("says when an Application deploys a pinned revision", () => {
    const api = report.rows.find((r) => r.after?.resource.id === "Deployment/shop-prod/prod-api")?.after
      ?.resource;
    expect(api?.notes).toContain(
      "ArgoCD Application shop-prod deploys revision v1.4.0: this change reaches https://prod.k8s.example.com when that revision moves",
    );
  });

  it("says a Helm chart cannot be rendered offline without an ArgoCD server", () => {
    expect(report.diagnostics).toEqual([
      expect.objectContaining({
        file: "argocd/redis.yaml",
        line: 1,
        severity: "notice",
        message: expect.stringContaining("deploys a Helm chart"),
      }),
    ]);
  });

  describe("with an ArgoCD server for the Helm chart", () => {
    let server: Server;
    const requests: { url: string; authorization: string | undefined }[] = [];

    beforeAll(async () => {
      server = createServer((request, response) => {
        requests.push({ url: request.url ?? "", authorization: request.headers.authorization });
        const redis = {
          apiVersion: "apps/v1",
          kind: "StatefulSet",
          metadata: { name: "redis-master" },
          spec: {
            replicas: 1,
            template: {
              spec: {
                containers: [{ name: "redis", resources: { requests: { cpu: "250m", memory: "256Mi" } } }],
              },
            },
          },
        };
        response.setHeader("content-type", "application/json");
        response.end(JSON.stringify({ manifests: [JSON.stringify(redis)] }));
      });
      await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    });

    afterAll(() => server.close());

    it("reads the manifests ArgoCD rendered for the commit, located at the Application", async () => {
      const { port } = server.address() as AddressInfo;
      const commit = repo.git("rev-parse", "HEAD").trim();
      const rendered = await estimate(fromRepo(), {
        ref: "HEAD",
        projects: { kubectl: false, argocd: { server: `http://127.0.0.1:${port}`, token: "t0ken" } },
      });
      expect(requests).toEqual([
        { url: `/api/v1/applications/redis/manifests?revision=${commit}`, authorization: "Bearer t0ken" },
      ]);
      const redis = rendered.rows.find(
        (r) => r.after?.resource.id === "StatefulSet/cache/redis-master",
      )?.after;
      expect(redis?.resource).toMatchObject({
        environment: "prod",
        source: { span: { file: "argocd/redis.yaml", startLine: 1 } },
      });
      expect(redis?.estimate.monthlyCost).toBeGreaterThan(0);
    });
  });
});
