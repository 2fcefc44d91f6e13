import { afterEach, describe, expect, it } from "vitest";
import { SECRET_IN_CLEAR } from "../../app/config/operator-url.ts";
import { UNREADABLE_SECRET_FILE } from "../../app/config/secret-routes.ts";
import { type Harness, harness } from "./harness.ts";

let h: Harness;
afterEach(() => h.github.assertClean());

const TOKEN = "s3cret-prometheus-token";
const PASSWORD = "s3cret-redis-password";

/** The warn logs (pino level 40) of secrets in clear. */
const inClear = (logs: Record<string, unknown>[]) =>
  logs.filter((log) => log.level === 40 && log.msg === SECRET_IN_CLEAR);

describe("the App's start-up", () => {
  it("logs once each secret its environment would send in clear, as fields, never a value", async () => {
    h = await harness({
      env: {
        GREENOPS_TELEMETRY_SECRETS:
          "http://prometheus.monitoring:9090=PROM_TOKEN https://prometheus.example=PROM_TOKEN",
        PROM_TOKEN: TOKEN,
        GHE_HOST: "ghes.internal",
        GHE_PROTOCOL: "http",
        REDIS_URL: `redis://:${PASSWORD}@redis.greenops:6379`,
      },
    });
    expect(
      inClear(h.logs).map(({ secrets, origin, setting, use }) => ({ secrets, origin, setting, use })),
    ).toEqual([
      {
        secrets: ["PROM_TOKEN"],
        origin: "http://prometheus.monitoring:9090",
        setting: "GREENOPS_TELEMETRY_SECRETS",
        use: "https://",
      },
      {
        secrets: ["the App's tokens"],
        origin: "http://ghes.internal",
        setting: "GHE_HOST",
        use: "https://",
      },
      {
        secrets: ["the credentials in REDIS_URL"],
        origin: "redis://redis.greenops:6379",
        setting: "REDIS_URL",
        use: "rediss://",
      },
    ]);
    const logged = JSON.stringify(h.logs);
    expect(logged).not.toContain(TOKEN);
    expect(logged).not.toContain(PASSWORD);
  });

  it.each([
    [
      "loopback and TLS",
      {
        GREENOPS_TELEMETRY_SECRETS: "http://[::1]:9090=PROM_TOKEN https://prometheus.example=PROM_TOKEN",
        PROM_TOKEN: TOKEN,
        REDIS_URL: `rediss://:${PASSWORD}@redis.greenops:6379`,
      },
    ],
    [
      "no secret set",
      {
        GREENOPS_TELEMETRY_SECRETS: "http://prometheus.monitoring:9090=PROM_TOKEN",
        REDIS_URL: "redis://redis.greenops:6379",
      },
    ],
  ])("logs nothing of the kind for %s", async (_case, env) => {
    h = await harness({ env });
    expect(inClear(h.logs)).toEqual([]);
  });
});

describe("the App's start-up, of secret files it cannot read", () => {
  it("logs an error per file GREENOPS_TELEMETRY_SECRETS pairs that cannot be read, and runs on", async () => {
    const missing = "/run/secrets/greenops-missing-token";
    h = await harness({
      env: {
        GREENOPS_TELEMETRY_SECRETS: `http://prometheus.monitoring:9090=${missing} https://opencost.example=/`,
      },
    });
    const errors = h.logs.filter((log) => log.level === 50 && log.msg === UNREADABLE_SECRET_FILE);
    expect(errors.map(({ variable, origin, path, reason }) => ({ variable, origin, path, reason }))).toEqual([
      {
        variable: "GREENOPS_TELEMETRY_SECRETS",
        origin: "http://prometheus.monitoring:9090",
        path: missing,
        reason: "no such file",
      },
      {
        variable: "GREENOPS_TELEMETRY_SECRETS",
        origin: "https://opencost.example",
        path: "/",
        reason: "a folder, not a file",
      },
    ]);
    // A file that cannot be read sends nothing: no warning of a secret in clear.
    expect(inClear(h.logs)).toEqual([]);
  });
});
