import { readFileSync } from "node:fs";
import { join } from "node:path";
import { Ajv } from "ajv";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { deployReportSchema } from "../../app/gitops/deploy/report-schema.ts";
import { ARGO_TOKEN, FakeArgoCd } from "../argocd/fake-argocd/server.ts";
import { greenopsWithEnv, PROJECT } from "../helpers/cli.ts";
import { type TempRepo, tempRepo } from "../helpers/git-repo.ts";
import { expectGolden } from "../helpers/golden.ts";

const validate = new Ajv({ allErrors: true, strict: true }).compile(deployReportSchema);

let repo: TempRepo;
let revision: string;
let argo: FakeArgoCd;

beforeAll(() => {
  repo = tempRepo({ from: join(PROJECT, "environments"), to: "environments" });
  repo.git("remote", "add", "origin", "git@github.com:Codertocat/Hello-World.git");
  repo.commit("environments as in the GreenOps repository");
  const api = "environments/prod/shop/api.yaml";
  repo.write(api, readFileSync(join(repo.root, api), "utf8").replace("cpu: 500m", "cpu: 750m"));
  revision = repo.commit("Give the API more CPU");
});

afterAll(() => repo.dispose());

beforeEach(async () => {
  argo = await FakeArgoCd.start();
  argo.add({
    name: "shop-prod",
    repoURL: "https://github.com/Codertocat/Hello-World.git",
    path: "environments/prod",
    namespace: "shop",
    cluster: "prod-eks",
    revision: "1".repeat(40),
    automated: true,
  });
});

afterEach(async () => {
  argo.assertClean();
  await argo.stop();
});

const env = () => ({ ARGOCD_SERVER: argo.url, ARGOCD_AUTH_TOKEN: ARGO_TOKEN });

describe("greenops deploy-status", () => {
  it("prints one row per Application and exits 0 when all are Synced and Healthy", async () => {
    argo.willDeploy("shop-prod", revision, "healthy");
    const run = await greenopsWithEnv(repo.root, env(), "deploy-status", "--revision", "HEAD", "--quiet");
    expect(run.stderr).toBe("");
    expect(run.status).toBe(0);
    const stable = run.stdout
      .replace(argo.url, "https://argocd.example")
      .replaceAll(revision.slice(0, 7), "abc1234");
    expectGolden("deploy-status.md", stable);
  });

  it("writes JSON that follows docs/schemas/deploy-report.schema.json, and exits 1 on a degraded rollout", async () => {
    argo.willDeploy("shop-prod", revision, "degraded");
    const run = await greenopsWithEnv(
      repo.root,
      env(),
      "deploy-status",
      "--revision",
      revision,
      "--format",
      "json",
    );
    expect(run.status).toBe(1);
    expect(run.stderr).toBe("greenops: watching shop-prod for up to 10m\n");
    const report = JSON.parse(run.stdout);
    expect(validate(report), JSON.stringify(validate.errors)).toBe(true);
    expect(report.rows[0]).toMatchObject({ name: "shop-prod", health: "Degraded", result: "failure" });
    expect(report.rows[0].delta.monthlyCost).toBeCloseTo(17.11, 2);
  });

  it("exits 2 at the timeout, and when ArgoCD refuses the token", async () => {
    argo.willDeploy("shop-prod", revision, "stuck");
    const late = await greenopsWithEnv(
      repo.root,
      env(),
      "deploy-status",
      "--revision",
      revision,
      "--timeout",
      "1s",
      "-q",
    );
    expect(late.status).toBe(2);
    expect(late.stdout).toMatch(
      /^## GreenOps deploy: Not deployed within 1s: 0 of 1 Application Synced and Healthy/,
    );
    const refused = await greenopsWithEnv(
      repo.root,
      { ...env(), ARGOCD_AUTH_TOKEN: "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJvbGQifQ.c2ln" },
      "deploy-status",
      "--revision",
      revision,
    );
    expect(refused.status).toBe(2);
    expect(refused.stdout).toMatch(/ArgoCD refused GreenOps' token \(HTTP 401/);
  });

  it.each([
    [[], {}, "greenops deploy-status needs --revision SHA"],
    [
      ["--revision", "HEAD"],
      {},
      "greenops deploy-status needs ArgoCD: --argocd-server URL (or ARGOCD_SERVER) and ARGOCD_AUTH_TOKEN",
    ],
    [
      ["--revision", "HEAD", "--argocd-server", "http://argocd.example.com"],
      { ARGOCD_AUTH_TOKEN: ARGO_TOKEN },
      "ArgoCD server http://argocd.example.com: plain HTTP is accepted only on the loopback interface; use https://",
    ],
    [
      ["--revision", "HEAD", "--timeout", "soon"],
      {},
      '--timeout must be a duration such as 10m or 1h, not "soon"',
    ],
  ])("refuses %j with a usage error", async (args, extra, message) => {
    const run = await greenopsWithEnv(
      repo.root,
      { ARGOCD_SERVER: "", ARGOCD_AUTH_TOKEN: "", ...extra },
      "deploy-status",
      ...args,
    );
    expect(run.status).toBe(2);
    expect(run.stderr).toContain(`greenops: ${message}\n`);
    expect(argo.requests).toEqual([]);
  });
});
