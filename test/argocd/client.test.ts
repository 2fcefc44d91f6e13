import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ArgoCdClient } from "../../app/argocd/client.ts";
import { ArgoCdError } from "../../app/argocd/errors.ts";
import { follow } from "../../app/argocd/follow.ts";
import { ArgoCdSetupError, argoCdServer } from "../../app/argocd/server.ts";
import { ARGO_TOKEN, FakeArgoCd } from "./fake-argocd/server.ts";

const SHA = "a".repeat(40);
const NEXT = "b".repeat(40);
const REPO = "https://github.com/Codertocat/Hello-World.git";

let argo: FakeArgoCd;

beforeEach(async () => {
  argo = await FakeArgoCd.start();
  argo.add({ name: "shop-prod", repoURL: REPO, path: "environments/prod", namespace: "shop", revision: SHA });
});

afterEach(async () => {
  argo.assertClean();
  await argo.stop();
});

const client = () => new ArgoCdClient({ url: argo.url, token: ARGO_TOKEN });

describe("ArgoCD's server and token", () => {
  it.each([
    ["argocd.example.com", "https://argocd.example.com"],
    ["https://argocd.example.com/", "https://argocd.example.com"],
    ["argocd.example.com:8443", "https://argocd.example.com:8443"],
    ["http://127.0.0.1:8080", "http://127.0.0.1:8080"],
    ["http://localhost:8080", "http://localhost:8080"],
    ["http://[::1]:8080", "http://[::1]:8080"],
  ])("%s is %s", (given, url) => {
    expect(argoCdServer({ ARGOCD_SERVER: given, ARGOCD_AUTH_TOKEN: "t" })).toEqual({ url, token: "t" });
  });

  it.each([
    ["http://argocd.example.com", /plain HTTP is accepted only on the loopback interface/],
    ["https://user:pw@argocd.example.com", /carries credentials/],
    ["ftp://argocd.example.com", /use an https:\/\/ URL/],
    [
      "https://admin:s3cret@argocd.example.com:99999",
      /^ArgoCD server "https:\/\/\*\*\*@argocd\.example\.com:99999" is not a URL$/,
    ],
    [
      "admin:s3cret@argocd.example.com:99999",
      /^ArgoCD server "\*\*\*@argocd\.example\.com:99999" is not a URL$/,
    ],
  ])("refuses %s", (given, message) => {
    expect(() => argoCdServer({ ARGOCD_SERVER: given, ARGOCD_AUTH_TOKEN: "t" })).toThrow(message);
  });

  it("needs a token with a server, and nothing without a server", () => {
    expect(() => argoCdServer({ ARGOCD_SERVER: "argocd.example.com" })).toThrow(ArgoCdSetupError);
    expect(argoCdServer({ ARGOCD_AUTH_TOKEN: "t" })).toBeUndefined();
    expect(() => argoCdServer({}, "argocd.example.com")).toThrow(/ARGOCD_AUTH_TOKEN is not/);
  });
});

describe("the ArgoCD client", () => {
  it("lists Applications and reads one, with the bearer token", async () => {
    const c = client();
    const [app] = await c.applications();
    expect(app?.metadata.name).toBe("shop-prod");
    expect((await c.application({ name: "shop-prod" })).status?.sync?.revision).toBe(SHA);
    expect(argo.requests.map((r) => r.authorization)).toEqual([
      `Bearer ${ARGO_TOKEN}`,
      `Bearer ${ARGO_TOKEN}`,
    ]);
  });

  it("syncs a revision with a body Argo CD's swagger accepts, never pruning", async () => {
    argo.willDeploy("shop-prod", NEXT, "healthy");
    const answer = await client().sync({ name: "shop-prod" }, NEXT);
    expect(answer.operation?.sync?.revision).toBe(NEXT);
  });

  it("reads the manifests the repo-server rendered at a revision", async () => {
    argo.manifests.set("shop-prod", ['{"apiVersion":"v1","kind":"Service","metadata":{"name":"api"}}']);
    expect(await client().manifests({ name: "shop-prod" }, NEXT)).toEqual([
      '{"apiVersion":"v1","kind":"Service","metadata":{"name":"api"}}',
    ]);
  });

  it("explains a refused token without retrying", async () => {
    argo.token = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJzb21lb25lLWVsc2UifQ.c2ln";
    const error = await client()
      .applications()
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ArgoCdError);
    expect((error as ArgoCdError).kind).toBe("unauthorized");
    expect((error as Error).message).toMatch(
      /ArgoCD refused GreenOps' token \(HTTP 401: no session information\)/,
    );
    expect(argo.requests).toHaveLength(1);
  });

  // ArgoCD's answers, or those of a proxy in front of it, that repeat the token GreenOps sent.
  it.each<[string, number, string, RegExp]>([
    [
      "a 401",
      401,
      "GET",
      /^ArgoCD refused GreenOps' token \(HTTP 401: invalid session: \[redacted\] has expired\)/,
    ],
    [
      "a 403",
      403,
      "GET",
      /^ArgoCD denied listing Applications \(HTTP 403: invalid session: \[redacted\] has expired\)/,
    ],
    ["a 400", 400, "GET", /^listing Applications: HTTP 400 \(invalid session: \[redacted\] has expired\)$/],
  ])("never repeats its token when ArgoCD's error does (%s)", async (_, status, method, expected) => {
    argo.fail(method, "/api/v1/applications", status, {
      error: `invalid session: ${ARGO_TOKEN} has expired`,
      code: 16,
      message: `invalid session: ${ARGO_TOKEN} has expired`,
    });
    const error = (await client()
      .applications()
      .catch((e: unknown) => e)) as ArgoCdError;
    expect(error.message).not.toContain(ARGO_TOKEN);
    expect(error.message).toMatch(expected);
  });

  it("says a stopped server is unreachable", async () => {
    const c = client();
    await argo.stop();
    const error = (await c.applications().catch((e: unknown) => e)) as ArgoCdError;
    expect(error.kind).toBe("unreachable");
    expect(error.message).toMatch(/listing Applications: ArgoCD is unreachable \(ECONNREFUSED\)/);
    argo = await FakeArgoCd.start();
  });

  it("follows the watch stream until the revision is deployed, in one request", async () => {
    argo.add({
      name: "shop-dev",
      repoURL: REPO,
      path: "environments/dev",
      namespace: "shop",
      revision: SHA,
      automated: true,
    });
    argo.willDeploy("shop-dev", NEXT, "healthy");
    const c = client();
    const seen: string[] = [];
    const followed = await follow(
      c,
      { name: "shop-dev" },
      (app) => {
        seen.push(
          `${app.status?.sync?.status}/${app.status?.health?.status}/${app.status?.operationState?.phase}`,
        );
        const status = app.status;
        return status?.operationState?.syncResult?.revision === NEXT && status.health?.status === "Healthy";
      },
      { signal: AbortSignal.timeout(5000), intervalMs: 1000, maxIntervalMs: 1000 },
    );
    expect(followed.outcome).toBe("settled");
    expect(seen).toEqual([
      "OutOfSync/Healthy/Succeeded",
      "OutOfSync/Healthy/Running",
      "Synced/Progressing/Succeeded",
      "Synced/Healthy/Succeeded",
    ]);
    expect(c.requests).toEqual(["GET /api/v1/stream/applications"]);
  });

  it("polls where the stream is not served, one request per interval", async () => {
    argo.fail("GET", "/api/v1/stream/applications", 405, {
      error: "Method Not Allowed",
      code: 12,
      message: "Method Not Allowed",
    });
    const c = client();
    const started = performance.now();
    const followed = await follow(c, { name: "shop-prod" }, () => false, {
      signal: AbortSignal.timeout(350),
      intervalMs: 100,
      maxIntervalMs: 100,
    });
    const elapsed = performance.now() - started;
    expect(followed.outcome).toBe("timeout");
    const polls = c.requests.filter((r) => r === "GET /api/v1/applications/shop-prod").length;
    expect(polls).toBeGreaterThanOrEqual(2);
    // the stream's refused attempt and the polls together: at most one request per interval
    expect(c.requests.length).toBeLessThanOrEqual(Math.ceil(elapsed / 100));
  });

  it("stops at a refusal", async () => {
    const followed = await follow(client(), { name: "unknown-app" }, () => false, {
      signal: AbortSignal.timeout(5000),
      intervalMs: 10,
      maxIntervalMs: 10,
    });
    expect(followed.outcome).toBe("error");
    expect(followed.outcome === "error" && followed.error.message).toMatch(
      /ArgoCD denied watching Application unknown-app \(HTTP 403: permission denied\)/,
    );
  });
});
