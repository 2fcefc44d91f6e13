import { durationSchema } from "../telemetry/duration.ts";
import { checkOperatorUrl } from "./operator-url.ts";

/** `telemetry:` in an environment's settings: which live sources serve the environment, and how to reach them. */

export type EndpointSettings = {
  url: string;
  timeoutSeconds?: number;
  retries?: number;
  auth?: {
    bearerTokenEnv?: string;
    bearerTokenFile?: string;
    username?: string;
    passwordEnv?: string;
    passwordFile?: string;
  };
  headers?: Record<string, { value?: string; env?: string; file?: string }>;
  tls?: { caFile?: string; certFile?: string; keyFile?: string; insecureSkipVerify?: boolean };
};

export type TelemetrySettings = {
  /** How much history to read (Prometheus duration), default 14d. */
  window?: string;
  prometheus?: EndpointSettings & { cluster?: { label: string; value: string } };
  opencost?: EndpointSettings;
  gridIntensity?: Partial<EndpointSettings> & {
    provider: "electricity-maps" | "uk-carbon-intensity";
    /** Electricity Maps zone (DE, FR, US-CAL-CISO, …). */
    zone?: string;
  };
};

const text = (description: string) => ({ type: "string", minLength: 1, description });

const endpointProperties = {
  url: {
    type: "string",
    // As checkOperatorUrl reads it: the scheme in any case (RFC 3986, 3.1), no `@` before the path, query or fragment.
    pattern: "^[Hh][Tt][Tt][Pp][Ss]?://[^@/?#]+([/?#].*)?$",
    patternErrorMessage: "must be an http or https URL without credentials (user:password@)",
    description: "Base URL (http or https), no credentials in it.",
  },
  timeoutSeconds: {
    type: "number",
    exclusiveMinimum: 0,
    maximum: 300,
    description: "Per request (default 10).",
  },
  retries: {
    type: "integer",
    minimum: 0,
    maximum: 5,
    description: "Retries after a timeout, 429 or 5xx (default 2).",
  },
  auth: {
    type: "object",
    description:
      "Credentials, only from environment variables or files: a bearer token, or a username and password.",
    properties: {
      bearerTokenEnv: text("Environment variable holding a bearer token."),
      bearerTokenFile: text("File holding a bearer token."),
      username: text("Basic auth user name."),
      passwordEnv: text("Environment variable holding the basic auth password."),
      passwordFile: text("File holding the basic auth password."),
    },
    additionalProperties: false,
  },
  headers: {
    type: "object",
    description:
      "Extra headers (a tenant id, an API key): each a literal value, an environment variable or a file.",
    additionalProperties: {
      type: "object",
      properties: { value: { type: "string" }, env: text("Environment variable."), file: text("File.") },
      minProperties: 1,
      maxProperties: 1,
      additionalProperties: false,
    },
  },
  tls: {
    type: "object",
    properties: {
      caFile: text("PEM file of the CA that signed the server's certificate."),
      certFile: text("PEM client certificate (mutual TLS)."),
      keyFile: text("PEM key of the client certificate."),
      insecureSkipVerify: { type: "boolean", description: "Do not check the server's certificate." },
    },
    additionalProperties: false,
  },
};

export const telemetrySettingsSchema = {
  type: "object",
  description: "Live telemetry of the cluster the environment deploys to (see README, Telemetry).",
  properties: {
    window: durationSchema("History to read, e.g. 14d (default)."),
    prometheus: {
      type: "object",
      properties: {
        ...endpointProperties,
        cluster: {
          type: "object",
          description: "Selects this environment's cluster in a shared Prometheus (Thanos, Mimir).",
          properties: { label: text("The label naming the cluster."), value: text("Its value.") },
          required: ["label", "value"],
          additionalProperties: false,
        },
      },
      required: ["url"],
      additionalProperties: false,
    },
    opencost: {
      type: "object",
      properties: endpointProperties,
      required: ["url"],
      additionalProperties: false,
    },
    gridIntensity: {
      type: "object",
      properties: {
        ...endpointProperties,
        provider: { type: "string", enum: ["electricity-maps", "uk-carbon-intensity"] },
        zone: text("Electricity Maps zone, e.g. DE."),
      },
      required: ["provider"],
      additionalProperties: false,
    },
  },
  additionalProperties: false,
};

/**
 * What the schema cannot check of a source's `url`: that the URL parser reads it (a port above 65535, a
 * host it refuses), as checkOperatorUrl will before the source is contacted. Reported at the setting,
 * as a settings error, rather than as the source's failure.
 */
export function checkTelemetryUrls(
  settings: { telemetry?: TelemetrySettings },
  check: { report(path: string[], message: string): void },
): void {
  for (const source of ["prometheus", "opencost", "gridIntensity"] as const) {
    const url = settings.telemetry?.[source]?.url;
    const checked = url === undefined ? undefined : checkOperatorUrl(url, { plainHttp: "anywhere" });
    if (checked && "problem" in checked && checked.problem === "not-a-url")
      check.report(
        ["telemetry", source, "url"],
        `"telemetry.${source}.url" must be a URL whose host and port can be read (a port is at most 65535); got ${JSON.stringify(checked.shown)}`,
      );
  }
}
