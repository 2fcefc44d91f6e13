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
 * repository settings reach `origins` and name `secrets` (`ORIGIN=SECRET` entries, see {@link pairedWith}).
 */
export function allowing(origins: string[], secrets: string[] = []): Record<string, string> {
  return { GREENOPS_TELEMETRY_ORIGINS: origins.join(" "), GREENOPS_TELEMETRY_SECRETS: secrets.join(", ") };
}

/** GREENOPS_TELEMETRY_SECRETS entries letting each secret (variable name, absolute path) go to `origin`. */
export function pairedWith(origin: string, ...secrets: string[]): string[] {
  return secrets.map((secret) => `${origin}=${secret}`);
}

/** The fixture Prometheus and its password, which the operator lets its settings reach and name. */
export function allowingFixture(): Record<string, string> {
  const { url } = inject("prometheus");
  return allowing([url], pairedWith(url, "FIXTURE_PASSWORD"));
}

/** The fixture Prometheus' password, which the operator lets its settings name. */
export const SECRETS: SecretSource = {
  env: { FIXTURE_PASSWORD: AUTH.password, ...allowingFixture() },
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
