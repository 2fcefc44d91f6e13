import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { EndpointSettings } from "../../app/config/telemetry-settings.ts";
import { resolveEndpoint } from "../../app/telemetry/endpoint.ts";
import { fetchTelemetry } from "../../app/telemetry/fetch-telemetry.ts";
import { get, TelemetryError } from "../../app/telemetry/http.ts";
import { OPERATOR } from "../../app/telemetry/trust.ts";
import { allowing, PROD_SETTINGS, pairedWith } from "./helpers.ts";

/** A local server that records what it was sent and answers as each test says. */
let answer: (path: string) => { status: number; body: string; delayMs?: number } = () => ({
  status: 200,
  body: "{}",
});
const received: { path: string; headers: IncomingHttpHeaders }[] = [];
let server: Server;
let url = "";

beforeAll(async () => {
  server = createServer((request, response) => {
    received.push({ path: request.url ?? "", headers: request.headers });
    const { status, body, delayMs = 0 } = answer(request.url ?? "");
    setTimeout(() => {
      if (!response.destroyed) response.writeHead(status, { "content-type": "application/json" }).end(body);
    }, delayMs);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  url = `http://127.0.0.1:${typeof address === "object" && address ? address.port : 0}`;
});
afterAll(() => {
  server.closeAllConnections();
  return new Promise<void>((resolve) => server.close(() => resolve()));
});

const secrets = {
  env: { TOKEN: "s3cret-token", TENANT: "team-a", PASSWORD: "pa55" },
  readFile: (path: string) => {
    if (path === "/run/secrets/token") return "file-token\n";
    throw Object.assign(new Error("no such file"), { code: "ENOENT" });
  },
};

describe("HTTP client", () => {
  it("sends a bearer token, custom headers from env and literal values", async () => {
    received.length = 0;
    const endpoint = resolveEndpoint(
      {
        url,
        auth: { bearerTokenEnv: "TOKEN" },
        headers: { "X-Scope-OrgID": { env: "TENANT" }, "X-Team": { value: "green" } },
      },
      OPERATOR,
      secrets,
    );
    await get(endpoint, "prometheus", "/api/v1/query", { query: "up" });
    expect(received[0]?.headers).toMatchObject({
      authorization: "Bearer s3cret-token",
      "x-scope-orgid": "team-a",
      "x-team": "green",
    });
    expect(received[0]?.path).toBe("/api/v1/query?query=up");
  });

  it("sends basic auth, and a token read from a file", async () => {
    received.length = 0;
    await get(
      resolveEndpoint({ url, auth: { username: "greenops", passwordEnv: "PASSWORD" } }, OPERATOR, secrets),
      "prometheus",
      "/",
    );
    await get(
      resolveEndpoint({ url, auth: { bearerTokenFile: "/run/secrets/token" } }, OPERATOR, secrets),
      "prometheus",
      "/",
    );
    expect(received.map((r) => r.headers.authorization)).toEqual([
      `Basic ${Buffer.from("greenops:pa55").toString("base64")}`,
      "Bearer file-token",
    ]);
  });

  it.each([
    [
      { url: "http://user:pw@127.0.0.1:1" },
      "the URL carries credentials: put them in an environment variable or a file (auth settings)",
    ],
    [{ url: "ftp://127.0.0.1" }, "ftp: URLs are not supported: use http or https"],
    [{ url: "prometheus:9090" }, "prometheus: URLs are not supported: use http or https"],
    [
      { url: "http://x", auth: { bearerTokenEnv: "MISSING" } },
      "auth.bearerTokenEnv: the environment variable MISSING is not set",
    ],
    [
      { url: "http://x", auth: { bearerTokenFile: "/nope" } },
      "auth.bearerTokenFile: cannot read /nope: no such file",
    ],
    [
      { url: "http://x", auth: { username: "u" } },
      "auth.username needs auth.passwordEnv or auth.passwordFile",
    ],
  ])("refuses %j with a precise message", (settings, message) => {
    expect(() => resolveEndpoint(settings, OPERATOR, secrets)).toThrow(
      new TelemetryError("invalid", message),
    );
  });

  it("retries 503 with backoff, then succeeds", async () => {
    let calls = 0;
    answer = () => (++calls < 3 ? { status: 503, body: "busy" } : { status: 200, body: "ok" });
    const response = await get(
      { ...resolveEndpoint({ url }, OPERATOR, secrets), retries: 2 },
      "prometheus",
      "/",
    );
    expect([response.status, calls]).toEqual([200, 3]);
  });

  it("gives up on a slow server after its timeout and retries", async () => {
    answer = () => ({ status: 200, body: "{}", delayMs: 2000 });
    const started = performance.now();
    const endpoint = { ...resolveEndpoint({ url }, OPERATOR, secrets), timeoutMs: 200, retries: 1 };
    await expect(get(endpoint, "prometheus", "/")).rejects.toThrow("no answer within 0.2 s");
    expect(performance.now() - started).toBeLessThan(1200);
  });
});

describe("honest degradation", () => {
  const request = (prometheus: string) => ({
    environment: "prod",
    settings: {
      ...PROD_SETTINGS,
      telemetry: { prometheus: { url: prometheus, timeoutSeconds: 0.3, retries: 1 } },
    },
    workloads: [{ namespace: "shop", kind: "Deployment", name: "api" }],
    quantiles: [0.95],
  });
  const read = (prometheus: string) =>
    fetchTelemetry([request(prometheus)], {
      secrets: { env: allowing([prometheus]), readFile: () => "" },
    });

  it("a dead Prometheus: the source, the error, and that modelled defaults were used", async () => {
    const dead = `http://127.0.0.1:1`;
    const telemetry = await read(dead);
    expect(telemetry.sources).toEqual([
      expect.objectContaining({
        source: "prometheus",
        url: dead,
        status: "failed",
        error: expect.stringMatching(/^ECONNREFUSED/),
        note: "modelled defaults were used (CCF's 50% CPU, requests as written)",
      }),
    ]);
    expect(telemetry.environments.get("prod")?.workloads.size).toBe(0);
  });

  it("a slow Prometheus: degraded within the timeout", async () => {
    answer = () => ({ status: 200, body: "{}", delayMs: 3000 });
    const started = performance.now();
    const telemetry = await read(url);
    expect(performance.now() - started).toBeLessThan(1500);
    expect(telemetry.sources[0]).toMatchObject({ status: "failed", error: "no answer within 0.3 s" });
  });

  it("an answer that is not Prometheus' is reported as such", async () => {
    answer = () => ({ status: 200, body: "<html>login</html>" });
    const telemetry = await read(url);
    expect(telemetry.sources[0]).toMatchObject({ status: "failed", error: "not a Prometheus vector answer" });
  });

  it("a failing Kepler query is reported apart; the usage queries still count", async () => {
    answer = (path) => {
      const query = new URL(path, "http://x").searchParams.get("query") ?? "";
      if (query.includes("kepler"))
        return { status: 422, body: '{"status":"error","errorType":"execution","error":"query timed out"}' };
      const resultType = path.startsWith("/api/v1/query_range") ? "matrix" : "vector";
      return { status: 200, body: JSON.stringify({ status: "success", data: { resultType, result: [] } }) };
    };
    const telemetry = await read(url);
    expect(telemetry.sources).toEqual([
      expect.objectContaining({
        source: "kepler",
        status: "failed",
        error: "execution: query timed out",
        note: "modelled CPU energy was used",
      }),
      expect.objectContaining({ source: "prometheus", status: "empty", requests: 5 }),
    ]);
  });

  // A Prometheus, or a proxy in front of it, whose error repeats what GreenOps sent: the source's error
  // is in the pull request's comment. The settings are a repository's, the secrets the operator's.
  it.each<
    [string, EndpointSettings["auth"], EndpointSettings["headers"], (sent: IncomingHttpHeaders) => string]
  >([
    [
      "a bearer token",
      { bearerTokenEnv: "PROM_TOKEN" },
      {},
      (h) => `token ${String(h.authorization).slice(7)} expired`,
    ],
    [
      "a header from a variable",
      {},
      { "X-Api-Key": { env: "PROM_KEY" } },
      (h) => `key ${String(h["x-api-key"])} unknown`,
    ],
    [
      "a password",
      { username: "greenops", passwordEnv: "PROM_PASSWORD" },
      {},
      () => "password pr0m-password-7 refused",
    ],
    [
      "the whole authorization header",
      { bearerTokenEnv: "PROM_TOKEN" },
      {},
      (h) => `refused: ${String(h.authorization)}`,
    ],
  ])("never repeats %s that Prometheus' error repeats", async (_, auth, headers, repeated) => {
    let sent: IncomingHttpHeaders = {};
    answer = () => {
      sent = received.at(-1)?.headers ?? {};
      return {
        status: 401,
        body: JSON.stringify({ status: "error", errorType: "unauthorized", error: repeated(sent) }),
      };
    };
    const env = {
      PROM_TOKEN: "pr0m-token-0123456789",
      PROM_KEY: "pr0m-api-key-abcdef",
      PROM_PASSWORD: "pr0m-password-7",
      ...allowing([], pairedWith(url, "PROM_TOKEN", "PROM_KEY", "PROM_PASSWORD")),
    };
    const settings = { ...PROD_SETTINGS, telemetry: { prometheus: { url, auth, headers, retries: 0 } } };
    const telemetry = await fetchTelemetry(
      [
        {
          environment: "prod",
          settings,
          workloads: [{ namespace: "shop", kind: "Deployment", name: "api" }],
          quantiles: [0.95],
        },
      ],
      { secrets: { env, readFile: () => "" } },
    );
    const error = telemetry.sources[0]?.error ?? "";
    expect(repeated(sent)).not.toBe("");
    expect(error).toMatch(/^unauthorized: .*\[redacted\]/);
    for (const secret of ["pr0m-token-0123456789", "pr0m-api-key-abcdef", "pr0m-password-7"])
      expect(error).not.toContain(secret);
  });

  it("Prometheus' own error is passed on", async () => {
    answer = () => ({ status: 400, body: '{"status":"error","errorType":"bad_data","error":"parse error"}' });
    const telemetry = await read(url);
    expect(telemetry.sources[0]).toMatchObject({ status: "failed", error: "bad_data: parse error" });
  });
});
