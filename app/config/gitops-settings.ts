import { durationSchema } from "../telemetry/duration.ts";

/** `argocd:` in `.github/greenops.yml`: what the App does after a push to the default branch. */
export type ArgoCdSettings = {
  /** Ask ArgoCD to sync the pushed revision (Applications without auto-sync); default: only watch. */
  sync?: boolean;
  /** How long to watch the deployment (default 10m). */
  timeout?: string;
};

export const DEFAULT_DEPLOY_TIMEOUT = "10m";

export const argoCdSettingsSchema = {
  type: "object",
  description:
    "The deployment report after a push to the default branch. ArgoCD's address and token come only from the GreenOps App's own environment (ARGOCD_SERVER, ARGOCD_AUTH_TOKEN), never from this file.",
  properties: {
    sync: {
      type: "boolean",
      description:
        "Request a sync of the pushed commit for the Applications that do not sync by themselves (never prune, never force). Default false: only watch.",
    },
    timeout: durationSchema(
      "How long to watch the deployment before reporting a timeout, e.g. 10m (default) or 1h.",
    ),
  },
  additionalProperties: false,
};

/**
 * The policies whose fixes a scan may propose for what is already deployed: each saves money or carbon
 * and is an edit the cluster applies to an existing object (new requests, a schedule annotation, fewer
 * replicas, a CronJob's schedule). Edits Kubernetes refuses on an existing object (a claim's storage
 * class, a StorageClass's parameters, a selector) are never here: they stay suggestions in reviews.
 */
export const SCAN_POLICIES = {
  rightsizing: { environments: "known", telemetry: true, byDefault: true },
  "nonprod-schedule": { environments: "non-production", telemetry: false, byDefault: true },
  "replicas-cap": { environments: "non-production", telemetry: false, byDefault: true },
  "cronjob-carbon-window": { environments: "known", telemetry: false, byDefault: false },
} as const satisfies Record<string, ScanRule>;

export type ScanRule = {
  /** known: production and non-production environments; never an environment of unknown kind. */
  environments: "known" | "non-production";
  /** Proposed only where live telemetry backs the fix. */
  telemetry: boolean;
  byDefault: boolean;
};

export type ScanPolicy = keyof typeof SCAN_POLICIES;

/** `scan:` in `.github/greenops.yml`: the optimization pull requests of scans of the default branch. */
export type ScanSettings = {
  enabled?: boolean;
  policies?: ScanPolicy[];
  maxFixesPerPullRequest?: number;
  environments?: string[];
};

export const DEFAULT_MAX_FIXES_PER_PULL_REQUEST = 20;

/** The scan settings narrowed to one environment (`greenops scan --env`), within those it allows. */
export function scanOnly(settings: ScanSettings, environment: string | undefined): ScanSettings {
  if (environment === undefined) return settings;
  const allowed = settings.environments ?? [environment];
  return { ...settings, environments: allowed.filter((name) => name === environment) };
}

export const scanSettingsSchema = {
  type: "object",
  description:
    "Scans of the default branch that open one optimization pull request per environment for what is already deployed.",
  properties: {
    enabled: { type: "boolean", description: "Whether scans run for this repository (default true)." },
    policies: {
      type: "array",
      items: { type: "string", enum: Object.keys(SCAN_POLICIES) },
      uniqueItems: true,
      description:
        "The policies whose fixes scans propose (default: rightsizing, nonprod-schedule, replicas-cap). Only policies whose fixes the cluster can apply to existing objects are allowed; rightsizing needs telemetry, schedules and replica caps apply to non-production environments only.",
    },
    maxFixesPerPullRequest: {
      type: "integer",
      minimum: 1,
      maximum: 100,
      description: "Fixes in one pull request at most, the largest savings first (default 20).",
    },
    environments: {
      type: "array",
      items: { type: "string", minLength: 1 },
      uniqueItems: true,
      description:
        "The environments scanned (default: every environment with its own environments/<name>/greenops.yml).",
    },
  },
  additionalProperties: false,
};
