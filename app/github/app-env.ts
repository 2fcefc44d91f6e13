import type { Probot } from "probot";
import { ArgoCdSetupError, argoCdServer } from "../argocd/server.ts";
import { SECRET_IN_CLEAR, type SecretRoute, secretsInClear } from "../config/operator-url.ts";
import {
  aiRoutes,
  pairedRoutes,
  serviceRoutes,
  UNREADABLE_SECRET_FILE,
  unreadableSecretFiles,
} from "../config/secret-routes.ts";
import { DURATION_WORDS, parseDuration } from "../telemetry/duration.ts";
import type { JobDeps } from "./jobs.ts";
import type { ProgramsSwitch } from "./programs.ts";
import { BLOB_CACHE_DEFAULT_MB } from "./read/blob-cache.ts";

type Env = Record<string, string | undefined>;

// What the App's own environment sets beyond Probot's variables: ArgoCD (ARGOCD_SERVER,
// ARGOCD_AUTH_TOKEN), the scan schedule (GREENOPS_SCAN_INTERVAL), whether repositories may have
// their programs run (GREENOPS_PROGRAMS) and the blob cache's size (GREENOPS_BLOB_CACHE_MB). Never read
// from a repository.

/** GREENOPS_SCAN_INTERVAL (e.g. 24h, 7d) in milliseconds; scheduled scans are off without it. */
export function scanInterval(env: Env, log: Probot["log"]): number | undefined {
  const text = env.GREENOPS_SCAN_INTERVAL?.trim();
  if (!text) return undefined;
  const seconds = parseDuration(text);
  if (seconds === undefined) {
    log.error({ value: text }, `GREENOPS_SCAN_INTERVAL ${DURATION_WORDS}: scheduled scans are off`);
    return undefined;
  }
  return seconds * 1000;
}

/** ArgoCD from the App's environment; a setting that cannot be used is logged and said in each deploy check. */
export function argoCdSetup(env: Env, log: Probot["log"]): JobDeps["argocd"] {
  try {
    return { server: argoCdServer(env) };
  } catch (error) {
    if (!(error instanceof ArgoCdSetupError)) throw error;
    log.error({ err: error }, "ArgoCD is not set up right: pushes get a neutral GreenOps deploy check");
    return {
      server: undefined,
      problem: `${error.message}. Fix the GreenOps App's environment (ARGOCD_SERVER, ARGOCD_AUTH_TOKEN).`,
    };
  }
}

/**
 * GREENOPS_PROGRAMS: "on" (the default: repositories that opt in have their programs run, sandboxed)
 * or "off" (none). Any other value is logged and counts as "off": a typo never lets programs run.
 */
export function programsSwitch(env: Env, log: Probot["log"]): ProgramsSwitch {
  const value = env.GREENOPS_PROGRAMS?.trim().toLowerCase();
  if (!value || value === "on") return "on";
  if (value !== "off")
    log.error({ value }, "GREENOPS_PROGRAMS must be on or off: repository programs are off");
  return "off";
}

/**
 * GREENOPS_BLOB_CACHE_MB in bytes: a whole number of MiB (0 turns the cache off), BLOB_CACHE_DEFAULT_MB
 * when unset. Any other value is logged and turns it off: a typo never holds more memory than asked.
 */
export function blobCacheBytes(env: Env, log: Probot["log"]): number {
  const text = env.GREENOPS_BLOB_CACHE_MB?.trim();
  const megabytes = !text ? BLOB_CACHE_DEFAULT_MB : /^\d+$/.test(text) ? Number(text) : undefined;
  if (megabytes === undefined)
    log.error({ value: text }, "GREENOPS_BLOB_CACHE_MB must be a whole number of MiB: the blob cache is off");
  return (megabytes ?? 0) * 1024 * 1024;
}

/**
 * Where the App's environment sends secrets: the AI advisor's (unless `aiFromEnv` is false: the
 * provider was given), the telemetry secrets paired with origins, and in App mode the service's own.
 */
export function appSecretRoutes(env: Env, mode: "app" | "action", aiFromEnv: boolean): SecretRoute[] {
  return [
    ...(aiFromEnv ? aiRoutes(env) : []),
    ...pairedRoutes(env),
    ...(mode === "app" ? serviceRoutes(env) : []),
  ];
}

/**
 * One warn log per route that would carry a secret in clear beyond the loopback interface. The App runs
 * on: the operator may have a reason (in-cluster http is common).
 */
export function warnSecretsInClear(routes: SecretRoute[], log: Probot["log"]): void {
  for (const found of secretsInClear(routes)) log.warn(found, SECRET_IN_CLEAR);
}

/** One error log per file of GREENOPS_TELEMETRY_SECRETS that cannot be read; the App runs on. */
export function warnUnreadableSecretFiles(env: Env, log: Probot["log"]): void {
  for (const found of unreadableSecretFiles(env)) log.error(found, UNREADABLE_SECRET_FILE);
}
