import { checkOperatorUrl, maskedUserinfo } from "../config/operator-url.ts";
import type { EndpointSettings } from "../config/telemetry-settings.ts";

/**
 * Telemetry settings read from a repository file choose a URL and which of the operator's environment
 * variables and files go to it. Only what whoever runs GreenOps lists in its own environment may be
 * used: GREENOPS_TELEMETRY_ORIGINS (the origins such a URL may have) and GREENOPS_TELEMETRY_SECRETS
 * (ORIGIN=SECRET pairs: the environment variables and absolute file paths such settings may name, each
 * for the one origin it may be sent to; an origin trusted with a secret may be named too). Flags and
 * GREENOPS_* variables are the operator's own and are not checked.
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
  const origin = URL.parse(settings.url)?.origin ?? maskedUserinfo(settings.url);
  const pairs = allowedSecrets(env.GREENOPS_TELEMETRY_SECRETS);
  const reasons = [
    author.builtInUrl ? undefined : originRefused(origin, pairs, author, env),
    secretsRefused(namedSecrets(settings, author.setting), origin, pairs, author, env),
  ].filter((reason) => reason !== undefined);
  return reasons.length === 0 ? undefined : `not contacted: ${reasons.join("; ")}`;
}

type FromRepository = Extract<SettingsAuthor, { by: "repository" }>;

/** Why a URL at `origin` is refused: neither listed nor paired with a secret (`pairs`, or what is wrong with them). */
function originRefused(
  origin: string,
  pairs: Pair[] | string,
  author: FromRepository,
  env: Env,
): string | undefined {
  const origins = allowedOrigins(env.GREENOPS_TELEMETRY_ORIGINS);
  if (typeof origins === "string") return origins;
  if (origins.has(origin) || (typeof pairs !== "string" && pairs.some((p) => p.origin === origin)))
    return undefined;
  return `${author.setting}.url in ${author.file} points to ${origin}, an origin neither among GREENOPS_TELEMETRY_ORIGINS${unset(env.GREENOPS_TELEMETRY_ORIGINS)} nor paired with a secret in GREENOPS_TELEMETRY_SECRETS${unset(env.GREENOPS_TELEMETRY_SECRETS)}, ${BY_OPERATOR}`;
}

/** The secrets named that the operator did not pair with the source's origin, or undefined. */
function secretsRefused(
  named: Named[],
  origin: string,
  pairs: Pair[] | string,
  author: FromRepository,
  env: Env,
): string | undefined {
  if (named.length === 0) return undefined;
  if (typeof pairs === "string") return pairs;
  const refused = named.filter((n) => !pairs.some((p) => p.origin === origin && sameSecret(p, n)));
  if (refused.length === 0) return undefined;
  const names = refused.map((n) => `${n.setting} (${n.name}${pairedElsewhere(n, pairs)})`).join(", ");
  return `${names} in ${author.file} ${refused.length === 1 ? "is" : "are"} not paired with ${origin} in GREENOPS_TELEMETRY_SECRETS${unset(env.GREENOPS_TELEMETRY_SECRETS)}, ${BY_OPERATOR}`;
}

function unset(value: string | undefined): string {
  return value?.trim() ? "" : " (unset)";
}

type Secret = { kind: "env" | "file"; name: string };
type Named = Secret & { setting: string };
/** An entry of GREENOPS_TELEMETRY_SECRETS: a secret, and the origin it may be sent to. */
type Pair = Secret & { origin: string };

function sameSecret(a: Secret, b: Secret): boolean {
  return a.kind === b.kind && a.name === b.name;
}

/** `, paired with ORIGIN only` when the secret is listed for other origins: what the operator allowed. */
function pairedElsewhere(named: Named, pairs: Pair[]): string {
  const origins = pairs.filter((p) => sameSecret(p, named)).map((p) => p.origin);
  return origins.length === 0 ? "" : `, paired with ${origins.join(", ")} only`;
}

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
    const origin = originOf(entry);
    if (origin === undefined)
      return `GREENOPS_TELEMETRY_ORIGINS: "${maskedUserinfo(entry)}" is not an origin (${ORIGIN_FORM})`;
    origins.add(origin);
  }
  return origins;
}

const ORIGIN_FORM = "http or https://host[:port], no credentials, no path";

/** The text as an origin, checked as every URL the operator gives is, or undefined when it is not exactly one. */
function originOf(text: string): string | undefined {
  const checked = checkOperatorUrl(text, { plainHttp: "anywhere" });
  const origin = "url" in checked ? URL.parse(checked.url)?.origin : undefined;
  return "url" in checked && checked.url === origin ? origin : undefined;
}

/**
 * GREENOPS_TELEMETRY_SECRETS as ORIGIN=SECRET pairs (SECRET an environment variable name or an absolute
 * file path), or what is wrong with one of its entries. A path is compared as written: `..` or a
 * symbolic link could make a lexically equal path another file.
 */
export function allowedSecrets(value: string | undefined): Pair[] | string {
  const pairs: Pair[] = [];
  for (const [index, entry] of entries(value).entries()) {
    const pair = pairOf(entry);
    // Not repeated: either part may be a secret pasted by mistake (a token may hold a `=`).
    if (typeof pair === "string") return `GREENOPS_TELEMETRY_SECRETS: its entry ${index + 1} ${pair}`;
    pairs.push(pair);
  }
  return pairs;
}

/** The entry as a pair, or what is wrong with it (in words that repeat none of it). */
function pairOf(entry: string): Pair | string {
  const equals = entry.indexOf("=");
  if (equals < 0)
    return "names no origin: write ORIGIN=SECRET, first the origin the secret may be sent to (https://prometheus.example:9090=PROMETHEUS_TOKEN)";
  const origin = originOf(entry.slice(0, equals));
  if (origin === undefined) return `does not begin with an origin (${ORIGIN_FORM}) before its =`;
  const name = entry.slice(equals + 1);
  if (name.startsWith("/")) return { origin, kind: "file", name };
  if (/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) return { origin, kind: "env", name };
  return "names neither an environment variable nor an absolute file path after its =";
}
