import { closeSync, constants, fstatSync, openSync } from "node:fs";
import { providerFromEnv } from "../ai/provider.ts";
import { notRegularFile, unreadableReason } from "../source/file-text.ts";
import { overrideAuth, type TelemetryOverrides } from "../telemetry/fetch-telemetry.ts";
import { allowedSecrets } from "../telemetry/trust.ts";
import type { SecretRoute } from "./operator-url.ts";

/*
 * Every secret GreenOps takes from the environment of whoever runs it, with the URL it goes to, so that
 * one that would cross a network in clear can be said once, where it is configured (secretInClear).
 * ArgoCD's token is not here: plain http beyond the loopback interface is refused for it
 * (argocd/server.ts), so it never travels in clear.
 */

type Env = Record<string, string | undefined>;

/** The names among `names` whose variable holds more than blanks. */
function setIn(env: Env, ...names: string[]): string[] {
  return names.filter((name) => env[name]?.trim());
}

/** The AI advisor's key and headers, to OPENAI_BASE_URL (unset: the client's https default). */
export function aiRoutes(env: Env): SecretRoute[] {
  const provider = providerFromEnv(env);
  if (typeof provider === "string" || provider.baseURL === undefined) return [];
  const headers = Object.keys(provider.headers).length > 0 ? ["GREENOPS_AI_HEADERS"] : [];
  return [
    {
      setting: "OPENAI_BASE_URL",
      url: provider.baseURL,
      secrets: [...setIn(env, "OPENAI_API_KEY"), ...headers],
    },
  ];
}

/**
 * The credentials of the sources the command line (or the Action's inputs) names, each to its URL;
 * `setting` names the flag or input.
 */
export function telemetryRoutes(
  overrides: TelemetryOverrides,
  setting: (source: "prometheus" | "opencost") => string,
  env: Env,
): SecretRoute[] {
  return (["prometheus", "opencost"] as const).flatMap((source) => {
    const url = overrides[source];
    if (url === undefined) return [];
    const auth = overrideAuth(source, env);
    const secret = auth.bearerTokenEnv ?? auth.passwordEnv;
    return [{ setting: setting(source), url, secrets: secret ? setIn(env, secret) : [] }];
  });
}

/**
 * GREENOPS_TELEMETRY_SECRETS: each origin with the variables (those set) and files (those that can be
 * read) paired with it, which a repository's telemetry settings may have sent there. Entries that are
 * not pairs are refused where they are read.
 */
export function pairedRoutes(env: Env): SecretRoute[] {
  const pairs = allowedSecrets(env.GREENOPS_TELEMETRY_SECRETS);
  if (typeof pairs === "string") return [];
  const byOrigin = Map.groupBy(pairs, (pair) => pair.origin);
  const set = (p: (typeof pairs)[number]) =>
    p.kind === "file" ? (fileProblem(p.name) ? [] : [p.name]) : setIn(env, p.name);
  return [...byOrigin].map(([origin, paired]) => ({
    setting: "GREENOPS_TELEMETRY_SECRETS",
    url: origin,
    secrets: [...new Set(paired.flatMap(set))],
  }));
}

/** A file GREENOPS_TELEMETRY_SECRETS pairs with an origin that cannot be read, and why. */
export type UnreadableSecretFile = {
  variable: "GREENOPS_TELEMETRY_SECRETS";
  origin: string;
  path: string;
  reason: string;
};

/** The fixed message of the App's error log, whose fields are an {@link UnreadableSecretFile}. */
export const UNREADABLE_SECRET_FILE =
  "a secret file GREENOPS_TELEMETRY_SECRETS pairs with an origin cannot be read: the telemetry sources that name it fail until it can be";

/**
 * The files of GREENOPS_TELEMETRY_SECRETS that cannot be read now, said at start-up rather than when a
 * source first needs one. The run goes on, as with the operator's other settings that cannot be
 * used: the file may be mounted later, and the sources that do not name it are not affected.
 */
export function unreadableSecretFiles(env: Env): UnreadableSecretFile[] {
  const pairs = allowedSecrets(env.GREENOPS_TELEMETRY_SECRETS);
  if (typeof pairs === "string") return [];
  return pairs.flatMap(({ kind, origin, name: path }) => {
    const reason = kind === "file" ? fileProblem(path) : undefined;
    return reason ? [{ variable: "GREENOPS_TELEMETRY_SECRETS" as const, origin, path, reason }] : [];
  });
}

/** The warning, in words: the variable, the pair, the path and why. */
export function unreadableSecretFileWarning({
  variable,
  origin,
  path,
  reason,
}: UnreadableSecretFile): string {
  return `${variable} pairs ${origin} with the file ${path}, which cannot be read (${reason}): the telemetry sources that name it fail until it can be`;
}

/** Why a secret file cannot be read, or undefined when it opens as a regular file (links followed: the operator's path). */
function fileProblem(path: string): string | undefined {
  let fd: number;
  try {
    // Non-blocking: opening a FIFO for reading would wait for a writer.
    fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (error) {
    return unreadableReason(error);
  }
  try {
    const info = fstatSync(fd);
    return info.isFile() ? undefined : notRegularFile(info);
  } finally {
    closeSync(fd);
  }
}

/** The workflow's token (`token`: the variable it is read from), to GITHUB_API_URL. */
export function githubTokenRoutes(env: Env, token: string): SecretRoute[] {
  const url = env.GITHUB_API_URL?.trim();
  return url ? [{ setting: "GITHUB_API_URL", url, secrets: setIn(env, token) }] : [];
}

/**
 * The App service's: the tokens its key signs, to GitHub Enterprise Server (Probot's GHE_HOST and
 * GHE_PROTOCOL), and the credentials in REDIS_URL (its userinfo).
 */
export function serviceRoutes(env: Env): SecretRoute[] {
  const host = env.GHE_HOST?.trim();
  const ghe = host
    ? [
        {
          setting: "GHE_HOST",
          url: `${env.GHE_PROTOCOL || "https"}://${host}`,
          secrets: ["the App's tokens"],
        },
      ]
    : [];
  const redis = env.REDIS_URL ? [{ setting: "REDIS_URL", url: env.REDIS_URL, secrets: [] }] : [];
  return [...ghe, ...redis];
}
