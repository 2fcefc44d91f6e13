import { checkOperatorUrl, maskedUserinfo } from "../config/operator-url.ts";
import type { EndpointSettings } from "../config/telemetry-settings.ts";

/**
 * Telemetry settings read from a repository file choose a URL and which of the operator's environment
 * variables and files go to it. Only what whoever runs GreenOps lists in its own environment may be
 * used: GREENOPS_TELEMETRY_ORIGINS (the origins such a URL may have) and GREENOPS_TELEMETRY_SECRETS
 * (the environment variables and absolute file paths such settings may name). Flags and GREENOPS_*
 * variables are the operator's own and are not checked.
 */
export type SettingsAuthor =
  | { by: "operator" }
  | {
      by: "repository";
      /** The settings file, e.g. environments/prod/greenops.yml. */
      file: string;
      /** The source's key in it, e.g. telemetry.prometheus. */
      setting: string;
      /** The URL is GreenOps' own (a grid-intensity provider's built-in address), not the file's. */
      builtInUrl?: boolean;
    };

export const OPERATOR: SettingsAuthor = { by: "operator" };

type Env = Record<string, string | undefined>;

const BY_OPERATOR = "which only whoever runs GreenOps sets";

/**
 * Why a source whose settings a repository file wrote must not be contacted, or undefined when every
 * part of them is allowed. Names settings and the names they give, never a value read from them.
 */
export function notAllowed(
  settings: Partial<EndpointSettings> & { url: string },
  author: SettingsAuthor,
  env: Env,
): string | undefined {
  if (author.by === "operator") return undefined;
  const where = `in ${author.file}`;
  const reasons: string[] = [];
  if (!author.builtInUrl) {
    const origins = allowedOrigins(env.GREENOPS_TELEMETRY_ORIGINS);
    if (typeof origins === "string") reasons.push(origins);
    else {
      const origin = URL.parse(settings.url)?.origin ?? maskedUserinfo(settings.url);
      if (!origins.has(origin))
        reasons.push(
          `${author.setting}.url ${where} points to ${origin}, an origin not among GREENOPS_TELEMETRY_ORIGINS${unset(env.GREENOPS_TELEMETRY_ORIGINS)}, ${BY_OPERATOR}`,
        );
    }
  }
  const named = namedSecrets(settings, author.setting);
  if (named.length > 0) {
    const allowed = allowedSecrets(env.GREENOPS_TELEMETRY_SECRETS);
    if (typeof allowed === "string") reasons.push(allowed);
    else {
      const refused = named.filter((n) => !allowed[n.kind].has(n.name));
      if (refused.length > 0)
        reasons.push(
          `${refused.map((n) => `${n.setting} (${n.name})`).join(", ")} ${where} ${refused.length === 1 ? "is" : "are"} not among GREENOPS_TELEMETRY_SECRETS${unset(env.GREENOPS_TELEMETRY_SECRETS)}, ${BY_OPERATOR}`,
        );
    }
  }
  return reasons.length === 0 ? undefined : `not contacted: ${reasons.join("; ")}`;
}

function unset(value: string | undefined): string {
  return value?.trim() ? "" : " (unset)";
}

type Named = { setting: string; kind: "env" | "file"; name: string };

/** Every environment variable and file the settings name, with the setting that names it. */
function namedSecrets(settings: Partial<EndpointSettings>, prefix: string): Named[] {
  const { auth = {}, tls = {}, headers = {} } = settings;
  const named: (readonly [string, "env" | "file", string | undefined])[] = [
    ["auth.bearerTokenEnv", "env", auth.bearerTokenEnv],
    ["auth.bearerTokenFile", "file", auth.bearerTokenFile],
    ["auth.passwordEnv", "env", auth.passwordEnv],
    ["auth.passwordFile", "file", auth.passwordFile],
    ...Object.entries(headers).flatMap(([header, from]) => [
      [`headers.${header}.env`, "env", from.env] as const,
      [`headers.${header}.file`, "file", from.file] as const,
    ]),
    ["tls.caFile", "file", tls.caFile],
    ["tls.certFile", "file", tls.certFile],
    ["tls.keyFile", "file", tls.keyFile],
  ];
  return named.flatMap(([setting, kind, name]) =>
    name === undefined ? [] : [{ setting: `${prefix}.${setting}`, kind, name }],
  );
}

function entries(value: string | undefined): string[] {
  return (value ?? "").split(/[\s,]+/).filter(Boolean);
}

/** GREENOPS_TELEMETRY_ORIGINS as a set of origins, or what is wrong with one of its entries. */
export function allowedOrigins(value: string | undefined): Set<string> | string {
  const origins = new Set<string>();
  for (const entry of entries(value)) {
    const checked = checkOperatorUrl(entry, { plainHttp: "anywhere" });
    const origin = "url" in checked ? URL.parse(checked.url)?.origin : undefined;
    if (origin === undefined || ("url" in checked && checked.url !== origin))
      return `GREENOPS_TELEMETRY_ORIGINS: "${maskedUserinfo(entry)}" is not an origin (http or https://host[:port], no credentials, no path)`;
    origins.add(origin);
  }
  return origins;
}

/**
 * GREENOPS_TELEMETRY_SECRETS as environment variable names and absolute file paths, or what is wrong
 * with one of its entries. A path is compared as written: `..` or a symbolic link could make a
 * lexically equal path another file.
 */
export function allowedSecrets(value: string | undefined): Record<"env" | "file", Set<string>> | string {
  const allowed = { env: new Set<string>(), file: new Set<string>() };
  for (const [index, entry] of entries(value).entries()) {
    if (entry.startsWith("/")) allowed.file.add(entry);
    else if (/^[A-Za-z_][A-Za-z0-9_]*$/.test(entry)) allowed.env.add(entry);
    // Not repeated: it may be a secret pasted by mistake.
    else
      return `GREENOPS_TELEMETRY_SECRETS: its entry ${index + 1} is neither an environment variable name nor an absolute file path`;
  }
  return allowed;
}
