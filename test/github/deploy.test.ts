import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { trailerLines } from "../../app/gitops/trailers.ts";
import { ARGO_TOKEN, FakeArgoCd } from "../argocd/fake-argocd/server.ts";
import { expectGolden } from "../helpers/golden.ts";
import type { FakeGitHub } from "./fake-github/fake-github.ts";
import { API, environmentFiles, moreCpu, prodApplication, pulumiProgram, pushToMain } from "./fixture.ts";
import { type Harness, harness } from "./harness.ts";

const REPO_URL = "https://github.com/Codertocat/Hello-World.git";

let h: Harness;
let argo: FakeArgoCd;

beforeEach(async () => {
  argo = await FakeArgoCd.start();
});

afterEach(async () => {
  h.github.assertClean();
  argo.assertClean();
  await argo.stop();
});

/** main with the environments (and `config` as .github/greenops.yml), then a push changing `files`. */
function pushed(files: Record<string, string>, config?: string, message?: string) {
  const base = { ...environmentFiles(), ...(config ? { ".github/greenops.yml": config } : {}) };
  return pushToMain(h.github, files, base, message);
}

const prodApp = (automated = false) => argo.add(prodApplication(automated));

async function app(env: Record<string, string> = { ARGOCD_SERVER: argo.url, ARGOCD_AUTH_TOKEN: ARGO_TOKEN }) {
  h = await harness({ env });
}

const deployCheck = () => h.github.checkRuns.find((r) => r.name === "GreenOps deploy");

describe("the deployment report after a push to the default branch", () => {
  it("syncs the pushed commit when the repository asks, and reports Synced and Healthy with the cost deployed", async () => {
    await app();
    prodApp();
    const push = pushed(moreCpu(), "argocd:\n  sync: true\n  timeout: 2m\n");
    argo.willDeploy("shop-prod", push.after, "healthy");
    await h.deliver("push", push.payload);
    const check = deployCheck();
    expect(check).toMatchObject({ head_sha: push.after, status: "completed", conclusion: "success" });
    expect(check?.output.title).toBe("1 Application Synced and Healthy");
    expectGolden(
      "github/deploy-check.md",
      (check?.output.summary ?? "").replace(argo.url, "https://argocd.example"),
    );
    expect(h.github.calls().map((c) => `${c.method} ${c.template}`)).toEqual([
      "POST /repos/{owner}/{repo}/check-runs",
      "GET /repos/{owner}/{repo}/compare/{basehead}",
      "GET /repos/{owner}/{repo}/git/trees/{tree_sha}",
      "POST /graphql",
      "PATCH /repos/{owner}/{repo}/check-runs/{check_run_id}",
      "PATCH /repos/{owner}/{repo}/check-runs/{check_run_id}",
    ]);
    expect(argo.calls()).toEqual([
      "GET /api/v1/applications",
      "POST /api/v1/applications/{name}/sync",
      "GET /api/v1/stream/applications",
    ]);
    expect(argo.requests.every((r) => r.authorization === `Bearer ${ARGO_TOKEN}`)).toBe(true);
  });

  it.each([
    ["sync-fails", "shop-prod: sync Failed", /sync Failed: one or more objects failed to apply/],
    [
      "degraded",
      "shop-prod: health Degraded",
      /health Degraded: Deployment "api" exceeded its progress deadline/,
    ],
  ] as const)("fails when ArgoCD's deployment %s, with ArgoCD's message", async (outcome, title, message) => {
    await app();
    prodApp(true);
    const push = pushed(moreCpu());
    argo.willDeploy("shop-prod", push.after, outcome);
    await h.deliver("push", push.payload);
    expect(deployCheck()).toMatchObject({ conclusion: "failure", output: { title } });
    expect(deployCheck()?.output.summary).toMatch(message);
  });

  it("is neutral, and explains, when ArgoCD refuses the token", async () => {
    await app({ ARGOCD_SERVER: argo.url, ARGOCD_AUTH_TOKEN: "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJvbGQifQ.c2ln" });
    prodApp(true);
    await h.deliver("push", pushed(moreCpu()).payload);
    expect(deployCheck()).toMatchObject({
      conclusion: "neutral",
      output: { title: "ArgoCD refused the token" },
    });
    expect(deployCheck()?.output.summary).toMatch(
      /HTTP 401: no session information\): set ARGOCD_AUTH_TOKEN/,
    );
    expect(argo.calls()).toEqual(["GET /api/v1/applications"]);
  });

  it("is neutral when ArgoCD is down", async () => {
    await app();
    await argo.stop();
    await h.deliver("push", pushed(moreCpu()).payload);
    expect(deployCheck()).toMatchObject({
      conclusion: "neutral",
      output: { title: "ArgoCD could not be read" },
    });
    expect(deployCheck()?.output.summary).toMatch(/ArgoCD is unreachable \(ECONNREFUSED\)/);
    argo = await FakeArgoCd.start();
  });

  it("is neutral when no Application deploys the change", async () => {
    await app();
    argo.add({
      name: "shop-dev",
      repoURL: REPO_URL,
      path: "environments/dev",
      namespace: "shop",
      revision: "1".repeat(40),
    });
    await h.deliver("push", pushed(moreCpu()).payload);
    expect(deployCheck()).toMatchObject({
      conclusion: "neutral",
      output: { title: "No ArgoCD Application deploys this change" },
    });
  });

  it.each([
    {
      case: "a repository that did not opt in",
      config: "argocd:\n  sync: true\n",
      conclusion: "neutral",
      title: "1 program not evaluated · 1 Application Synced and Healthy",
      golden: "github/deploy-check-unevaluated.md",
    },
    {
      case: "a repository that opts in on its default branch",
      config: "argocd:\n  sync: true\nprograms:\n  run: true\n",
      conclusion: "success",
      title: "1 Application Synced and Healthy",
      golden: undefined,
    },
  ])(
    "names the programs the push changed that were not run, and is then never a success: $case",
    async ({ config, conclusion, title, golden }) => {
      await app();
      prodApp();
      // The program lies under shop-prod's path: its resources would be in that Application's row.
      const underProd = (files: Record<string, string>) =>
        Object.fromEntries(Object.entries(files).map(([path, text]) => [`environments/prod/${path}`, text]));
      const base = {
        ...environmentFiles(),
        ...underProd(pulumiProgram("t3.micro")),
        ".github/greenops.yml": config,
      };
      const larger = underProd({ "infra/index.ts": pulumiProgram("t3.large")["infra/index.ts"] ?? "" });
      const push = pushToMain(h.github, { ...moreCpu(), ...larger }, base);
      argo.willDeploy("shop-prod", push.after, "healthy");
      await h.deliver("push", push.payload);
      expect(deployCheck()).toMatchObject({ conclusion, output: { title } });
      const summary = (deployCheck()?.output.summary ?? "").replace(argo.url, "https://argocd.example");
      if (golden) expectGolden(golden, summary);
      else expect(summary).not.toContain("Not evaluated");
    },
    60_000,
  );

  it("ignores a repository file naming another ArgoCD server: the token goes only where the App's environment says", async () => {
    const elsewhere = await FakeArgoCd.start();
    await app();
    prodApp(true);
    const config = `argocd:\n  sync: true\n  server: ${elsewhere.url}\n`;
    const push = pushed(moreCpu(), config);
    argo.willDeploy("shop-prod", push.after, "healthy");
    await h.deliver("push", push.payload);
    expect(elsewhere.requests).toEqual([]);
    await elsewhere.stop();
    expect(deployCheck()?.conclusion).toBe("success");
    expect(deployCheck()?.output.summary).toMatch(
      /\.github\/greenops\.yml:3: unknown key "server" in "argocd" \(allowed: sync, timeout\) — the defaults apply \(ArgoCD's server and token come only from the App's environment\)\./,
    );
    expect(argo.requests.every((r) => r.authorization === `Bearer ${ARGO_TOKEN}`)).toBe(true);
  });

  it("says which GreenOps savings reached the cluster, from the pushed commits' trailers", async () => {
    await app();
    prodApp(true);
    const message = [
      "GreenOps: save $12.00/month in prod",
      '- rightsizing: Request 400m CPU for container "api"',
      trailerLines(["rightsizing"], { monthlyCost: -12, monthlyCarbonKg: -0.5 }).join("\n"),
    ].join("\n\n");
    const lower = { [API]: (environmentFiles()[API] ?? "").replace("cpu: 500m", "cpu: 400m") };
    const push = pushed(lower, undefined, message);
    argo.willDeploy("shop-prod", push.after, "healthy");
    await h.deliver("push", push.payload);
    expect(deployCheck()?.output.summary).toContain(
      `- \`${push.after.slice(0, 7)}\` rightsizing: $12.00/month and 0.5 kgCO2e/month saved — reached the cluster (shop-prod)`,
    );
  });

  it.each([
    [
      "a try failed after it opened the check",
      (github: FakeGitHub) =>
        github.fail("GET", "/repos/{owner}/{repo}/compare/{basehead}", 502, { message: "Server Error" }),
      [
        "POST /repos/{owner}/{repo}/check-runs 201",
        "GET /repos/{owner}/{repo}/compare/{basehead} 502",
        "GET /repos/{owner}/{repo}/compare/{basehead} 200",
      ],
    ],
    [
      "GitHub made the check but its answer was lost (the retry finds the check open on the commit)",
      (github: FakeGitHub) =>
        github.loseAnswer("POST", "/repos/{owner}/{repo}/check-runs", 502, { message: "Server Error" }),
      [
        "POST /repos/{owner}/{repo}/check-runs 502",
        "GET /repos/{owner}/{repo}/commits/{ref}/check-runs 200",
        "GET /repos/{owner}/{repo}/compare/{basehead} 200",
      ],
    ],
  ])("opens its check in the job, and a retry completes that one: %s", async (_case, fault, firstCalls) => {
    await app();
    prodApp(true);
    const push = pushed(moreCpu());
    argo.willDeploy("shop-prod", push.after, "healthy");
    fault(h.github);
    await h.deliver("push", push.payload);
    expect(h.github.checkRuns.map((r) => [r.name, r.status, r.conclusion])).toEqual([
      ["GreenOps deploy", "completed", "success"],
    ]);
    const tries = h.logs.filter((l) => l.msg === "GreenOps run").map((l) => [l.try, l.outcome]);
    expect(tries).toEqual([
      [1, "retrying"],
      [2, "success"],
    ]);
    const calls = h.github.calls().map((c) => `${c.method} ${c.template} ${c.status}`);
    expect(calls.slice(0, 3)).toEqual(firstCalls);
  });

  it("leaves pushes to other branches, and every push when no ArgoCD server is set, without a check", async () => {
    await app();
    const push = pushed(moreCpu());
    await h.deliver("push", { ...push.payload, ref: "refs/heads/feature" });
    await h.deliver("push", { ...push.payload, ref: "refs/tags/v1.0.0" });
    expect(h.github.checkRuns).toEqual([]);
    await app({});
    await h.deliver("push", pushed(moreCpu()).payload);
    expect(h.github.checkRuns).toEqual([]);
  });
});
