import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ArgoCdClient } from "../app/argocd/client.ts";
import { estimate } from "../app/engine/estimate.ts";
import { deploymentReport } from "../app/gitops/deploy/deploy.ts";
import { type ArgoApplication, readApplications } from "../app/iac/argocd/applications.ts";
import { ARGO_TOKEN, FakeArgoCd } from "./argocd/fake-argocd/server.ts";

const ROOT = new URL("../", import.meta.url).pathname;

function files(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? files(join(dir, entry.name)) : [relative(ROOT, join(ROOT, dir, entry.name))],
  );
}

/** The Application each environment declares for GreenOps itself (environments/<env>/greenops-application.yaml). */
function greenOpsApplications(): ArgoApplication[] {
  return ["dev", "staging", "prod"].flatMap((env) => {
    const file = `environments/${env}/greenops-application.yaml`;
    const read = readApplications(file, readFileSync(join(ROOT, file), "utf8"), files("environments"));
    expect(read.diagnostics).toEqual([]);
    return read.applications;
  });
}

describe("GreenOps' own GitOps layout (environments/)", () => {
  it("deploys GreenOps to each environment's cluster with one Application per environment, following main", () => {
    const applications = greenOpsApplications();
    expect(
      applications.map((a) => [a.name, a.cluster, a.namespace, a.labels["greenops.dev/environment"]]),
    ).toEqual([
      ["greenops-dev", "dev-eks", "greenops", "dev"],
      ["greenops-staging", "staging-eks", "greenops", "staging"],
      ["greenops-prod", "prod-eks", "greenops", "prod"],
    ]);
    for (const application of applications) {
      const [source] = application.sources;
      expect(source?.targetRevision).toBe("main");
      const env = application.labels["greenops.dev/environment"];
      expect(source?.path).toBe(`environments/${env}/greenops`);
      expect(files(source?.path ?? "")).toEqual([`environments/${env}/greenops/deployment.yaml`]);
    }
  });

  it("is reviewed like any change: each GreenOps Deployment estimated in its environment, through its Application", async () => {
    const report = await estimate(join(ROOT, "environments"), { projects: { runPrograms: false } });
    const own = report.rows.flatMap((row) =>
      row.after?.resource.kind === "Deployment" && row.after.resource.namespace === "greenops"
        ? [row.after]
        : [],
    );
    expect(own.map((r) => [r.resource.environment, r.resource.application?.name])).toEqual(
      expect.arrayContaining([
        ["dev", "greenops-dev"],
        ["staging", "greenops-staging"],
        ["prod", "greenops-prod"],
      ]),
    );
    for (const r of own) expect(r.estimate.monthlyCost).toBeGreaterThan(0);
    const findings = report.findings.filter((f) => f.location.file.includes("/greenops/"));
    expect(findings.every((f) => f.suppressed || f.severity !== "error")).toBe(true);
    expect(findings.filter((f) => f.policy === "nonprod-schedule").every((f) => f.suppressed)).toBe(true);
  });

  describe("a push to main", () => {
    let argo: FakeArgoCd;

    beforeEach(async () => {
      argo = await FakeArgoCd.start();
      for (const application of greenOpsApplications())
        argo.add({
          name: application.name,
          repoURL: application.sources[0]?.repoURL ?? "",
          path: application.sources[0]?.path ?? "",
          targetRevision: application.sources[0]?.targetRevision ?? "",
          cluster: application.cluster,
          namespace: application.namespace ?? "",
          automated: true,
          revision: "1".repeat(40),
        });
    });

    afterEach(async () => {
      argo.assertClean();
      await argo.stop();
    });

    it("that changes prod's GreenOps is followed to greenops-prod alone", async () => {
      const revision = "2".repeat(40);
      argo.willDeploy("greenops-prod", revision, "healthy");
      const report = await deploymentReport({
        client: new ArgoCdClient({ url: argo.url, token: ARGO_TOKEN }),
        pushed: {
          repositoryUrl: "git@github.com:greenops-dev/greenops.git",
          defaultBranch: "main",
          changed: ["environments/prod/greenops/deployment.yaml"],
        },
        revision,
        sync: false,
        timeoutMs: 5000,
        intervalMs: 20,
        commits: [],
      });
      expect(report.rows.map((r) => [r.name, r.cluster, r.namespace, r.result])).toEqual([
        ["greenops-prod", "prod-eks", "greenops", "success"],
      ]);
    });
  });
});
