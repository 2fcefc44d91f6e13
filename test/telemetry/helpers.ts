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

export const SECRETS: SecretSource = { env: { FIXTURE_PASSWORD: AUTH.password }, readFile: () => "" };

export const PROD_SETTINGS: EnvironmentSettings = {
  cloud: "aws",
  region: "us-east-1",
  nodeInstanceType: "m5.xlarge",
  nodeCount: 6,
  currency: "USD",
};

export const MIB = 2 ** 20;
