import { readFileSync } from "node:fs";
import { checkOperatorUrl, maskedUserinfo } from "../config/operator-url.ts";
import type { EndpointSettings } from "../config/telemetry-settings.ts";
import { unreadableReason } from "../source/file-text.ts";
import { type HttpEndpoint, TelemetryError } from "./http.ts";
import { notAllowed, type SettingsAuthor } from "./trust.ts";

export const DEFAULT_TIMEOUT_SECONDS = 10;
export const DEFAULT_RETRIES = 2;

/**
 * The environment of whoever runs GreenOps, where secrets and what may be read are found, and the file
 * system (both replaceable in tests).
 */
export type SecretSource = { env: NodeJS.ProcessEnv; readFile(path: string): string };

export const PROCESS_SECRETS: SecretSource = {
  env: process.env,
  readFile: (path) => readFileSync(path, "utf8"),
};

/**
 * The endpoint of a source as its settings describe it, credentials read from the environment
 * variables or files they name. Settings a repository file wrote are checked first against what the
 * operator allows (trust.ts): nothing is read, and nothing sent, unless all of them are. Errors name
 * the setting, never a secret's value.
 */
export function resolveEndpoint(
  settings: Partial<EndpointSettings> & { url: string },
  author: SettingsAuthor,
  secrets: SecretSource = PROCESS_SECRETS,
  tokenHeader: (token: string) => [string, string] = (token) => ["authorization", `Bearer ${token}`],
): HttpEndpoint {
  const url = checkedUrl(settings.url);
  const refused = notAllowed(settings, author, secrets.env);
  if (refused) throw new TelemetryError("not-allowed", refused);
  const headers: Record<string, string> = {};
  const read: string[] = [];
  const auth = settings.auth ?? {};
  const token = secretOf(secrets, "auth.bearerToken", auth.bearerTokenEnv, auth.bearerTokenFile);
  if (token !== undefined) {
    const [name, value] = tokenHeader(token);
    headers[name] = value;
    read.push(token, value);
  }
  if (auth.username !== undefined) {
    const password = secretOf(secrets, "auth.password", auth.passwordEnv, auth.passwordFile);
    if (password === undefined)
      throw new TelemetryError("invalid", "auth.username needs auth.passwordEnv or auth.passwordFile");
    const basic = Buffer.from(`${auth.username}:${password}`).toString("base64");
    headers.authorization = `Basic ${basic}`;
    read.push(password, basic);
  } else if (auth.passwordEnv !== undefined || auth.passwordFile !== undefined) {
    throw new TelemetryError("invalid", "auth.passwordEnv and auth.passwordFile need auth.username");
  }
  for (const [name, from] of Object.entries(settings.headers ?? {})) {
    const secret =
      from.value === undefined ? secretOf(secrets, `headers.${name}`, from.env, from.file) : undefined;
    if (secret !== undefined) read.push(secret);
    headers[name.toLowerCase()] = from.value ?? secret ?? "";
  }
  const tls = settings.tls ?? {};
  return {
    url,
    headers,
    timeoutMs: (settings.timeoutSeconds ?? DEFAULT_TIMEOUT_SECONDS) * 1000,
    retries: settings.retries ?? DEFAULT_RETRIES,
    secrets: read,
    tls: {
      rejectUnauthorized: tls.insecureSkipVerify !== true,
      ...fileOption(secrets, "ca", tls.caFile),
      ...fileOption(secrets, "cert", tls.certFile),
      ...fileOption(secrets, "key", tls.keyFile),
    },
  };
}

/** Telemetry may be read over plain http from any host: what a source sends is the operator's to allow. */
const TELEMETRY_URLS = { plainHttp: "anywhere" } as const;

/**
 * An http(s) URL with no credentials in it (they would end up in logs and reports), as requests use it:
 * origin and path, no query or fragment.
 */
export function checkedUrl(text: string): string {
  const checked = checkOperatorUrl(text, TELEMETRY_URLS);
  if ("url" in checked) return checked.url;
  switch (checked.problem) {
    case "not-a-url":
      throw new TelemetryError("invalid", `"${checked.shown}" is not a URL`);
    case "scheme":
      throw new TelemetryError("invalid", `${checked.scheme} URLs are not supported: use http or https`);
    case "credentials":
      throw new TelemetryError(
        "invalid",
        "the URL carries credentials: put them in an environment variable or a file (auth settings)",
      );
  }
}

/**
 * A source's URL as reports show it: as requests use it ({@link checkedUrl}), so that what is shown is
 * what is contacted; a text that is no such URL (never contacted) as written, credentials masked.
 */
export function shownUrl(text: string): string {
  const checked = checkOperatorUrl(text, TELEMETRY_URLS);
  return "url" in checked ? checked.url : maskedUserinfo(text);
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
    throw new TelemetryError("invalid", `${setting}: cannot read ${path}: ${unreadableReason(error)}`);
  }
}
