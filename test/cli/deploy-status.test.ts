import { readFileSync } from "node:fs";
import { join } from "node:path";
import { Ajv } from "ajv";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { deployReportSchema } from "../../app/gitops/deploy/report-schema.ts";
import { ARGO_TOKEN, FakeArgoCd } from "../argocd/fake-argocd/server.ts";
import { pulumiProgram } from "../github/fixture.ts";
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
      '--timeout must be a duration: a whole number and one of s, m, h, d, w (90s, 10m, 14d); got "soon"',
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

describe("greenops deploy-status and the programs a commit changes", () => {
  const refusal =
    "repository programs run only when .github/greenops.yml on main sets `programs: { run: true }`";

  /** The environments and a Pulumi program (`settings` as .github/greenops.yml), then a commit changing both. */
  function programRepo(settings: string): { repo: TempRepo; revision: string } {
    const programRepo = tempRepo({ from: join(PROJECT, "environments"), to: "environments" });
    programRepo.git("remote", "add", "origin", "git@github.com:Codertocat/Hello-World.git");
    // The program lies under shop-prod's path: its resources would be in that Application's row.
    for (const [path, text] of Object.entries(pulumiProgram("t3.micro")))
      programRepo.write(`environments/prod/${path}`, text);
    programRepo.write(".github/greenops.yml", settings);
    programRepo.commit("environments and the shop's AWS program");
    const api = "environments/prod/shop/api.yaml";
    programRepo.write(
      api,
      readFileSync(join(programRepo.root, api), "utf8").replace("cpu: 500m", "cpu: 750m"),
    );
    programRepo.write("environments/prod/infra/index.ts", pulumiProgram("t3.large")["infra/index.ts"] ?? "");
    return { repo: programRepo, revision: programRepo.commit("More CPU for the API, a larger web server") };
  }

  it.each([
    {
      case: "runs none when the repository does not opt in, says so, and exits by the rollout alone",
      settings: "argocd:\n  timeout: 1m\n",
      flags: [],
      status: 0,
      conclusion: "neutral",
      title: "1 program not evaluated · 1 Application Synced and Healthy",
      unevaluated: {
        files: ["environments/prod/infra/Pulumi.yaml"],
        reasons: [{ reason: refusal, files: ["environments/prod/infra/Pulumi.yaml"] }],
      },
    },
    {
      case: "runs them, sandboxed, when the repository opts in, as the App does",
      settings: "argocd:\n  timeout: 1m\nprograms:\n  run: true\n",
      flags: [],
      status: 0,
      conclusion: "success",
      title: "1 Application Synced and Healthy",
      unevaluated: undefined,
    },
    {
      case: "runs none with --no-programs, even when the repository opts in",
      settings: "argocd:\n  timeout: 1m\nprograms:\n  run: true\n",
      flags: ["--no-programs"],
      status: 0,
      conclusion: "neutral",
      title: "1 program not evaluated · 1 Application Synced and Healthy",
      unevaluated: {
        files: ["environments/prod/infra/Pulumi.yaml"],
        reasons: [
          { reason: "greenops ran with --no-programs", files: ["environments/prod/infra/Pulumi.yaml"] },
        ],
      },
    },
  ])(
    "$case",
    async ({ settings, flags, status, conclusion, title, unevaluated }) => {
      const { repo: programs, revision: changed } = programRepo(settings);
      try {
        argo.willDeploy("shop-prod", changed, "healthy");
        const json = await greenopsWithEnv(
          programs.root,
          env(),
          "deploy-status",
          "--revision",
          "HEAD",
          "--format",
          "json",
          "-q",
          ...flags,
        );
        expect(json.stderr).toBe("");
        expect(json.status).toBe(status);
        const report = JSON.parse(json.stdout);
        expect(validate(report), JSON.stringify(validate.errors)).toBe(true);
        expect(report).toMatchObject({ schemaVersion: "1.1", conclusion, rollout: "success", title });
        expect(report.unevaluated).toEqual(unevaluated);
        const markdown = await greenopsWithEnv(
          programs.root,
          env(),
          "deploy-status",
          "--revision",
          "HEAD",
          "-q",
          ...flags,
        );
        expect(markdown.status).toBe(status);
        expect(markdown.stdout.startsWith(`## GreenOps deploy: ${title}\n`)).toBe(true);
        const reason = unevaluated?.reasons[0]?.reason;
        const notice = `> Not evaluated: the program of \`environments/prod/infra/Pulumi.yaml\`, since ${reason}. Its resources are missing from these figures.`;
        expect(markdown.stdout.includes(notice)).toBe(unevaluated !== undefined);
      } finally {
        programs.dispose();
      }
    },
    60_000,
  );
});
