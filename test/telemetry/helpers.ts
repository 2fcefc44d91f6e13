import { inject } from "vitest";
import type { EnvironmentSettings } from "../../app/config/environment-settings.ts";
import type { TelemetrySettings } from "../../app/config/telemetry-settings.ts";
import type { SecretSource } from "../../app/telemetry/endpoint.ts";
import { AUTH } from "./fixture/prometheus-server.ts";

/** The fixture Prometheus, reached with its basic auth (password from an environment variable). */
export function prometheusSettings(cluster = "eu-1"): NonNullable<TelemetrySettings["prometheus"]> {
  return {
    url: inject("prometheus").url,
    cluster: { label: "cluster", value: cluster },
    auth: { username: AUTH.username, passwordEnv: "FIXTURE_PASSWORD" },
  };
}

/**
 * The operator's environment (GREENOPS_TELEMETRY_ORIGINS, GREENOPS_TELEMETRY_SECRETS) when it lets
 * repository settings reach `origins` and name `secrets` (environment variables, absolute paths).
 */
export function allowing(origins: string[], secrets: string[] = []): Record<string, string> {
  return { GREENOPS_TELEMETRY_ORIGINS: origins.join(" "), GREENOPS_TELEMETRY_SECRETS: secrets.join(", ") };
}

/** The fixture Prometheus' password, which the operator lets its settings name. */
export const SECRETS: SecretSource = {
  env: { FIXTURE_PASSWORD: AUTH.password, ...allowing([inject("prometheus").url], ["FIXTURE_PASSWORD"]) },
  readFile: () => "",
};

export const PROD_SETTINGS: EnvironmentSettings = {
  cloud: "aws",
  region: "us-east-1",
  nodeInstanceType: "m5.xlarge",
  nodeCount: 6,
  currency: "USD",
};

export const MIB = 2 ** 20;
