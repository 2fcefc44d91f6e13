import type { EnvironmentSettings } from "./environment-settings.ts";

/**
 * Whether an environment is production. `unknown` is neither: policies meant for non-production stay
 * silent there, and nothing is assumed either way.
 */
export type EnvironmentKind = "production" | "non-production" | "unknown";

/** Names that mean production (README, "What GreenOps assumes about unconfigured environments"). */
export const PRODUCTION_NAMES = ["prod", "production", "prd", "live"] as const;

const PRODUCTION_NAME = new RegExp(`^(${PRODUCTION_NAMES.join("|")})$`, "i");
/** A production name as one word of a longer name: eu-prod, prod_us, pre-prod, live-2. */
const PRODUCTION_WORD = new RegExp(`(^|[^a-z0-9])(${PRODUCTION_NAMES.join("|")})([^a-z0-9]|$)`, "i");

/**
 * The kind of an environment, from its name and its settings file (`settings` undefined when it has
 * none, or an invalid one). `production: true|false` in the settings wins; else a production name
 * (prod, production, prd, live) is production; else an environment with settings is non-production,
 * unless a word of its name is a production name (eu-prod, pre-prod: it could be either); else unknown.
 */
export function environmentKind(name: string, settings?: EnvironmentSettings): EnvironmentKind {
  if (settings?.production !== undefined) return settings.production ? "production" : "non-production";
  if (PRODUCTION_NAME.test(name)) return "production";
  if (!settings || PRODUCTION_WORD.test(name)) return "unknown";
  return "non-production";
}

/** An environment as the engine holds it: its name, settings, and the file they came from (if any). */
type Described = { environment: string; settings: EnvironmentSettings; settingsFile?: string };

/** The kind of an environment whose settings are those of its `settingsFile`, or built-in defaults. */
export function kindOf(environment: Described): EnvironmentKind {
  return environmentKind(
    environment.environment,
    environment.settingsFile ? environment.settings : undefined,
  );
}

/** An environment's kind and why, for the report: "production: by its name". */
export function kindReason(environment: Described): string {
  const { settings, settingsFile } = environment;
  const kind = kindOf(environment);
  if (settingsFile && settings.production !== undefined) return `${kind}: set in ${settingsFile}`;
  if (kind === "production") return "production: by its name";
  if (kind === "non-production") return "non-production: it has settings and no production name";
  if (!environment.environment) return "kind unknown";
  return settingsFile
    ? "kind unknown: a word of its name is a production name, and its settings do not say"
    : "kind unknown: no settings";
}

/**
 * How a finding's message names an environment: its name, or "files outside any environment"; with its
 * kind, "production environment prod", "non-production environment dev" or "environment qa".
 */
export function describeEnvironment(name: string, kind?: EnvironmentKind): string {
  if (!name) return "files outside any environment";
  if (!kind) return name;
  return kind === "unknown" ? `environment ${name}` : `${kind} environment ${name}`;
}
