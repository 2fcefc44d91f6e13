import { readFileSync } from "node:fs";
import { checkOperatorUrl } from "../config/operator-url.ts";
import type { EndpointSettings } from "../config/telemetry-settings.ts";
import { type HttpEndpoint, TelemetryError } from "./http.ts";

export const DEFAULT_TIMEOUT_SECONDS = 10;
export const DEFAULT_RETRIES = 2;

/** Where secrets are read from: the process environment and the file system (replaceable in tests). */
export type SecretSource = { env: NodeJS.ProcessEnv; readFile(path: string): string };

export const PROCESS_SECRETS: SecretSource = {
  env: process.env,
  readFile: (path) => readFileSync(path, "utf8"),
};

/**
 * The endpoint of a source as its settings describe it, credentials read from the environment
 * variables or files they name. Errors name the setting, never a secret's value.
 */
export function resolveEndpoint(
  settings: Partial<EndpointSettings> & { url: string },
  secrets: SecretSource = PROCESS_SECRETS,
  tokenHeader: (token: string) => [string, string] = (token) => ["authorization", `Bearer ${token}`],
): HttpEndpoint {
  const url = checkedUrl(settings.url);
  const headers: Record<string, string> = {};
  const auth = settings.auth ?? {};
  const token = secretOf(secrets, "auth.bearerToken", auth.bearerTokenEnv, auth.bearerTokenFile);
  if (token !== undefined) {
    const [name, value] = tokenHeader(token);
    headers[name] = value;
  }
  if (auth.username !== undefined) {
    const password = secretOf(secrets, "auth.password", auth.passwordEnv, auth.passwordFile);
    if (password === undefined)
      throw new TelemetryError("invalid", "auth.username needs auth.passwordEnv or auth.passwordFile");
    headers.authorization = `Basic ${Buffer.from(`${auth.username}:${password}`).toString("base64")}`;
  } else if (auth.passwordEnv !== undefined || auth.passwordFile !== undefined) {
    throw new TelemetryError("invalid", "auth.passwordEnv and auth.passwordFile need auth.username");
  }
  for (const [name, from] of Object.entries(settings.headers ?? {})) {
    headers[name.toLowerCase()] =
      from.value ?? secretOf(secrets, `headers.${name}`, from.env, from.file) ?? "";
  }
  const tls = settings.tls ?? {};
  return {
    url,
    headers,
    timeoutMs: (settings.timeoutSeconds ?? DEFAULT_TIMEOUT_SECONDS) * 1000,
    retries: settings.retries ?? DEFAULT_RETRIES,
    tls: {
      rejectUnauthorized: tls.insecureSkipVerify !== true,
      ...fileOption(secrets, "ca", tls.caFile),
      ...fileOption(secrets, "cert", tls.certFile),
      ...fileOption(secrets, "key", tls.keyFile),
    },
  };
}

/** An http(s) URL with no credentials in it (they would end up in logs and reports). */
export function checkedUrl(text: string): string {
  const checked = checkOperatorUrl(text, { plainHttp: "anywhere" });
  if ("url" in checked) return checked.url;
  switch (checked.problem) {
    case "not-a-url":
      throw new TelemetryError("invalid", `"${text}" is not a URL`);
    case "scheme":
      throw new TelemetryError("invalid", `${checked.scheme} URLs are not supported: use http or https`);
    case "credentials":
      throw new TelemetryError(
        "invalid",
        "the URL carries credentials: put them in an environment variable or a file (auth settings)",
      );
  }
}

function secretOf(
  secrets: SecretSource,
  setting: string,
  env: string | undefined,
  file: string | undefined,
): string | undefined {
  if (env !== undefined) {
    const value = secrets.env[env];
    if (value === undefined || value === "")
      throw new TelemetryError("invalid", `${setting}Env: the environment variable ${env} is not set`);
    return value.trim();
  }
  if (file !== undefined) return readSecretFile(secrets, `${setting}File`, file).trim();
  return undefined;
}

function fileOption(secrets: SecretSource, key: string, file: string | undefined): Record<string, string> {
  return file === undefined ? {} : { [key]: readSecretFile(secrets, `tls.${key}File`, file) };
}

function readSecretFile(secrets: SecretSource, setting: string, path: string): string {
  try {
    return secrets.readFile(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? "unreadable";
    throw new TelemetryError("invalid", `${setting}: cannot read ${path} (${code})`);
  }
}
