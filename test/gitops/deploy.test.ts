import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ArgoCdClient } from "../../app/argocd/client.ts";
import { type DeployInput, deploymentReport } from "../../app/gitops/deploy/deploy.ts";
import { deployMarkdown } from "../../app/gitops/deploy/render.ts";
import { deployingApplications, repositoryKey } from "../../app/gitops/deploy/targets.ts";
import { trailerLines } from "../../app/gitops/trailers.ts";
import type { AppSpec } from "../argocd/fake-argocd/applications.ts";
import { applicationObject } from "../argocd/fake-argocd/applications.ts";
import { ARGO_TOKEN, FakeArgoCd } from "../argocd/fake-argocd/server.ts";
import { expectGolden } from "../helpers/golden.ts";

const BEFORE = "1".repeat(40);
const PUSHED = "9b1806bf4c6634831e82cd7517803f2869aeedeb";
const REPO = "https://github.com/Codertocat/Hello-World.git";
const PROD = "environments/prod/shop/api.yaml";

let argo: FakeArgoCd;

beforeEach(async () => {
  argo = await FakeArgoCd.start();
});

afterEach(async () => {
  argo.assertClean();
  await argo.stop();
});

const app = (spec: Partial<AppSpec> & { name: string; path: string }): AppSpec => ({
  repoURL: REPO,
  namespace: "shop",
  revision: BEFORE,
  cluster: "https://prod-eks.example.com",
  ...spec,
});

function input(overrides: Partial<DeployInput> = {}): DeployInput {
  return {
    client: new ArgoCdClient({ url: argo.url, token: ARGO_TOKEN }),
    pushed: {
      repositoryUrl: "https://github.com/Codertocat/Hello-World",
      defaultBranch: "main",
      changed: [PROD],
    },
    revision: PUSHED,
    sync: false,
    timeoutMs: 5000,
    intervalMs: 20,
    maxIntervalMs: 40,
    commits: [],
    ...overrides,
  };
}

describe("which Applications deploy a push", () => {
  const live = [
    app({ name: "shop-prod", path: "environments/prod" }),
    app({
      name: "shop-prod-ssh",
      path: "environments/prod/shop",
      repoURL: "git@github.com:codertocat/hello-world.git",
    }),
    app({ name: "shop-root", path: ".", targetRevision: "HEAD" }),
    app({ name: "shop-dev", path: "environments/dev" }),
    app({ name: "shop-pinned", path: "environments/prod", targetRevision: "v1.4.0" }),
    app({ name: "shop-other-branch", path: "environments/prod", targetRevision: "release" }),
    app({
      name: "other-repo",
      path: "environments/prod",
      repoURL: "https://github.com/Codertocat/other.git",
    }),
    app({
      name: "greenops-prod",
      path: "environments/prod",
      generatedBy: "greenops",
      targetRevision: "refs/heads/main",
    }),
  ].map(applicationObject);

  it("keeps those with a source of this repository, following the default branch, holding a changed file", () => {
    const targets = deployingApplications(live as never, {
      repositoryUrl: "https://github.com/Codertocat/Hello-World",
      defaultBranch: "main",
      changed: [PROD],
    });
    expect(targets.map((t) => t.application.name)).toEqual([
      "shop-prod",
      "shop-prod-ssh",
      "shop-root",
      "greenops-prod",
    ]);
    expect(targets[0]?.paths).toEqual(["environments/prod"]);
  });

  it.each([
    ["https://github.com/Codertocat/Hello-World.git", "github.com/codertocat/hello-world"],
    ["git@github.com:Codertocat/Hello-World.git", "github.com/codertocat/hello-world"],
    ["ssh://git@github.com/Codertocat/Hello-World", "github.com/codertocat/hello-world"],
    ["https://github.com/Codertocat/Hello-World/", "github.com/codertocat/hello-world"],
  ])("%s is the repository %s", (url, key) => {
    expect(repositoryKey(url)).toBe(key);
  });
});

describe("the deployment report", () => {
  it("requests a sync of the pushed revision and reports Synced and Healthy", async () => {
    argo.add(app({ name: "shop-prod", path: "environments/prod" }));
    argo.willDeploy("shop-prod", PUSHED, "healthy");
    const watching: string[][] = [];
    const report = await deploymentReport(
      input({
        sync: true,
        delta: () => ({ monthlyCost: 17.11, monthlyCarbonKg: 0.84 }),
        onWatching: async (names) => {
          watching.push(names);
        },
      }),
    );
    expect(report.conclusion).toBe("success");
    expect(report.title).toBe("1 Application Synced and Healthy");
    expect(report.rows).toMatchObject([
      { name: "shop-prod", sync: "Synced", health: "Healthy", revision: PUSHED, trigger: "sync requested" },
    ]);
    expect(watching).toEqual([["shop-prod"]]);
    expect(argo.calls()).toEqual([
      "GET /api/v1/applications",
      "POST /api/v1/applications/{name}/sync",
      "GET /api/v1/stream/applications",
    ]);
    expectGolden(
      "gitops/deploy-healthy.md",
      deployMarkdown(report).replace(argo.url, "https://argocd.example"),
    );
  });

  it("leaves an auto-synced Application to ArgoCD and watches it", async () => {
    argo.add(app({ name: "shop-prod", path: "environments/prod", automated: true }));
    argo.willDeploy("shop-prod", PUSHED, "healthy");
    const report = await deploymentReport(input({ sync: true }));
    expect(report.conclusion).toBe("success");
    expect(report.rows[0]?.trigger).toBe("auto-sync");
    expect(argo.calls()).not.toContain("POST /api/v1/applications/{name}/sync");
  });

  it("fails with ArgoCD's message when the sync fails", async () => {
    argo.add(app({ name: "shop-prod", path: "environments/prod", automated: true }));
    argo.willDeploy("shop-prod", PUSHED, "sync-fails");
    const report = await deploymentReport(input());
    expect(report.conclusion).toBe("failure");
    expect(report.title).toBe("shop-prod: sync Failed");
    expect(report.rows[0]?.message).toMatch(
      /^sync Failed: one or more objects failed to apply, reason: Deployment.apps "api" is invalid/,
    );
    expectGolden(
      "gitops/deploy-sync-failed.md",
      deployMarkdown(report).replace(argo.url, "https://argocd.example"),
    );
  });

  it("fails when the rollout degrades after a successful sync", async () => {
    argo.add(app({ name: "shop-prod", path: "environments/prod", automated: true }));
    argo.willDeploy("shop-prod", PUSHED, "degraded");
    const report = await deploymentReport(input());
    expect(report.conclusion).toBe("failure");
    expect(report.rows[0]).toMatchObject({
      sync: "Synced",
      health: "Degraded",
      message: 'health Degraded: Deployment "api" exceeded its progress deadline',
    });
  });

  it("says an Application that does not sync by itself stays OutOfSync when only watched", async () => {
    argo.add(app({ name: "shop-prod", path: "environments/prod" }));
    argo.willDeploy("shop-prod", PUSHED, "healthy");
    const report = await deploymentReport(input());
    expect(report.conclusion).toBe("neutral");
    expect(report.rows[0]).toMatchObject({ sync: "OutOfSync", trigger: "watched" });
    expect(report.rows[0]?.message).toMatch(/set argocd.sync: true/);
  });

  it("is neutral at the timeout, with the last state seen", async () => {
    argo.add(app({ name: "shop-prod", path: "environments/prod", automated: true }));
    argo.willDeploy("shop-prod", PUSHED, "stuck");
    const report = await deploymentReport(input({ timeoutMs: 1000 }));
    expect(report.conclusion).toBe("neutral");
    expect(report.title).toBe("Not deployed within 1s: 0 of 1 Application Synced and Healthy");
  });

  it("is neutral when no Application deploys the change", async () => {
    argo.add(app({ name: "shop-dev", path: "environments/dev" }));
    const report = await deploymentReport(input());
    expect(report).toMatchObject({
      conclusion: "neutral",
      title: "No ArgoCD Application deploys this change",
    });
    expect(argo.calls()).toEqual(["GET /api/v1/applications"]);
  });

  it("is neutral, and says why, when ArgoCD refuses the token or is down", async () => {
    argo.token = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJvdGhlciJ9.c2ln";
    const refused = await deploymentReport(input());
    expect(refused).toMatchObject({ conclusion: "neutral", title: "ArgoCD refused the token" });
    expect(refused.problem).toMatch(/HTTP 401: no session information/);
    const down = input();
    await argo.stop();
    const unreachable = await deploymentReport(down);
    expect(unreachable).toMatchObject({ conclusion: "neutral", title: "ArgoCD could not be read" });
    expect(unreachable.problem).toMatch(/ArgoCD is unreachable \(ECONNREFUSED\)/);
    argo = await FakeArgoCd.start();
  });

  it("says which GreenOps savings reached the cluster, from the commits' trailers", async () => {
    argo.add(app({ name: "shop-prod", path: "environments/prod", automated: true }));
    argo.willDeploy("shop-prod", PUSHED, "healthy");
    const message = [
      "GreenOps: save $41.98/month in prod",
      "- rightsizing: Request 260m CPU",
      trailerLines(["rightsizing"], { monthlyCost: -41.98, monthlyCarbonKg: -1.234 }).join("\n"),
    ].join("\n\n");
    const report = await deploymentReport(
      input({
        commits: [
          { sha: PUSHED, message, files: [PROD] },
          { sha: BEFORE, message: "Bump the image", files: [PROD] },
        ],
      }),
    );
    expect(report.savings).toEqual([
      {
        sha: PUSHED,
        policies: ["rightsizing"],
        saving: { monthlyCost: 41.98, monthlyCarbonKg: 1.234 },
        reached: "yes",
        applications: ["shop-prod"],
      },
    ]);
    expect(deployMarkdown(report)).toContain(
      "- `9b1806b` rightsizing: $41.98/month and 1.23 kgCO2e/month saved — reached the cluster (shop-prod)",
    );
  });

  describe("when programs the push changed were not run", () => {
    const refusal =
      "repository programs run only when .github/greenops.yml on main sets `programs: { run: true }`";
    const budget = "the review's budget for programs (60 s) was spent";
    /** Under shop-prod's path, then one no Application deploys. */
    const deployed = {
      files: ["environments/prod/infra/Pulumi.yaml", "environments/prod/cdk/cdktf.json"],
      reasons: [
        { reason: refusal, files: ["environments/prod/infra/Pulumi.yaml"] },
        { reason: budget, files: ["environments/prod/cdk/cdktf.json"] },
      ],
    };
    const unevaluated = {
      files: [...deployed.files, "tools/Pulumi.yaml"],
      reasons: [
        { reason: refusal, files: ["environments/prod/infra/Pulumi.yaml", "tools/Pulumi.yaml"] },
        { reason: budget, files: ["environments/prod/cdk/cdktf.json"] },
      ],
    };

    it.each([
      ["healthy", "neutral", "success", "2 programs not evaluated · 1 Application Synced and Healthy"],
      ["degraded", "failure", "failure", "2 programs not evaluated · shop-prod: health Degraded"],
      [
        "stuck",
        "neutral",
        "neutral",
        "2 programs not evaluated · Not deployed within 1s: 0 of 1 Application Synced and Healthy",
      ],
    ] as const)(
      "a %s rollout is %s, never a success, and its title leads with those it deploys; the rollout alone is %s",
      async (outcome, conclusion, rollout, title) => {
        argo.add(app({ name: "shop-prod", path: "environments/prod", automated: true }));
        argo.willDeploy("shop-prod", PUSHED, outcome);
        const report = await deploymentReport(input({ timeoutMs: 1000, unevaluated }));
        expect(report).toMatchObject({ conclusion, rollout, title });
        expect(report.unevaluated).toEqual(deployed);
      },
    );

    it("says which, and why, above the rows", async () => {
      argo.add(app({ name: "shop-prod", path: "environments/prod" }));
      argo.willDeploy("shop-prod", PUSHED, "healthy");
      const report = await deploymentReport(
        input({ sync: true, delta: () => ({ monthlyCost: 17.11, monthlyCarbonKg: 0.84 }), unevaluated }),
      );
      expectGolden(
        "gitops/deploy-unevaluated.md",
        deployMarkdown(report).replace(argo.url, "https://argocd.example"),
      );
    });

    it("leaves them out when no Application deploys them: nothing is missing from the rows", async () => {
      argo.add(app({ name: "shop-prod", path: "environments/prod", automated: true }));
      argo.willDeploy("shop-prod", PUSHED, "healthy");
      const outside = {
        files: ["tools/Pulumi.yaml"],
        reasons: [{ reason: refusal, files: ["tools/Pulumi.yaml"] }],
      };
      const report = await deploymentReport(input({ unevaluated: outside }));
      expect(report).toMatchObject({ conclusion: "success", title: "1 Application Synced and Healthy" });
      expect(report.unevaluated).toBeUndefined();
      expect(deployMarkdown(report)).not.toContain("Not evaluated");
    });

    it("names them all when ArgoCD cannot say which Applications deploy the push", async () => {
      const report = await deploymentReport(
        input({ client: new ArgoCdClient({ url: argo.url, token: "not-the-token" }), unevaluated }),
      );
      expect(report).toMatchObject({
        conclusion: "neutral",
        title: "3 programs not evaluated · ArgoCD refused the token",
        unevaluated,
      });
    });
  });
});
