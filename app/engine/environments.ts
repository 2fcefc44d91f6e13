import { matchesGlob } from "node:path";
import { kindOf } from "../config/environment-kind.ts";
import {
  DEFAULT_SETTINGS,
  type EnvironmentSettings,
  validateEnvironmentSettings,
} from "../config/environment-settings.ts";
import { checkTelemetryUrls } from "../config/telemetry-settings.ts";
import { loadYamlConfig, type Refinement } from "../config/yaml-config.ts";
import { type EnvironmentBasis, environmentBasis } from "../estimate/basis.ts";
import type { ParseContext } from "../iac/format.ts";
import type { ApplicationRef } from "../model/resource.ts";
import type { Diagnostic } from "../model/span.ts";
import type { Snapshot } from "../source/snapshot.ts";
import type { UsageFiles } from "./usage.ts";

const SETTINGS_FILE = /^environments\/([^/]+)\/greenops\.ya?ml$/;
export const ENVIRONMENT_PATH = /^environments\/([^/]+)\//;

export class UsageError extends Error {}

/** The environments of one snapshot: their settings, and which environment each file deploys to. */
export type Environments = {
  /** Every environment by name (those without settings with built-in defaults), plus "" (no environment). */
  all: Map<string, EnvironmentBasis>;
  of(path: string): EnvironmentBasis;
  /** Warnings (an environment without settings). */
  diagnostics: Diagnostic[];
  /** Errors in settings files: such an environment is estimated with the built-in defaults. */
  errors: Diagnostic[];
  /** The text of each settings file, by path (fixes may edit them). */
  texts: Map<string, string>;
  /** Usage files of usage-priced cloud resources (set once the files to read are known). */
  usage?: UsageFiles;
  /** Where a file is deployed when ArgoCD Applications say (app/engine/applications.ts). */
  placements?(path: string): Placement[];
};

/** One deployment of a file: its environment, and the ArgoCD Application that deploys it there. */
export type Placement = { basis: EnvironmentBasis; application?: ApplicationRef; defaultNamespace?: string };

/** A file's placements: one per Application deploying it, else its environment alone. */
export function placementsOf(environments: Environments, path: string): Placement[] {
  return environments.placements?.(path) ?? [{ basis: environments.of(path) }];
}

/** Environment name → globs of its files, from `.github/greenops.yml`. */
export type EnvironmentPaths = Record<string, { paths: string[] }>;

export function isSettingsFile(path: string): boolean {
  return SETTINGS_FILE.test(path);
}

/**
 * Reads `environments/<name>/greenops.yml`. A file belongs to the environment whose `paths` (in
 * `.github/greenops.yml`) match it, else to `<name>` when it is under `environments/<name>/`;
 * `forced` puts every file in one environment. An environment whose settings are missing or invalid
 * is estimated with the built-in defaults, and the report says why.
 */
export async function loadEnvironments(
  snapshot: Snapshot,
  options: { forced?: string; paths?: EnvironmentPaths; refine?: Refinement<EnvironmentSettings> } = {},
): Promise<Environments> {
  const { forced, paths = {} } = options;
  const diagnostics: Diagnostic[] = [];
  const errors: Diagnostic[] = [];
  const texts = new Map<string, string>();
  const fallback = environmentBasis("", DEFAULT_SETTINGS);
  const all = new Map<string, EnvironmentBasis>([["", fallback]]);
  const { directories } = await snapshot.entries("environments");
  const files = await snapshot.read(directories.flatMap((d) => [`${d}/greenops.yml`, `${d}/greenops.yaml`]));
  const refine: Refinement<EnvironmentSettings> = (value, check) => {
    checkTelemetryUrls(value, check);
    options.refine?.(value, check);
  };
  for (const file of files) {
    const name = SETTINGS_FILE.exec(file.path)?.[1] ?? "";
    if ("skipped" in file) {
      errors.push({ file: file.path, line: 1, severity: "error", message: file.skipped });
      all.set(name, environmentBasis(name, DEFAULT_SETTINGS));
      continue;
    }
    texts.set(file.path, file.text);
    const result = loadYamlConfig<EnvironmentSettings>(
      file.path,
      file.text,
      validateEnvironmentSettings,
      refine,
    );
    errors.push(...result.diagnostics);
    all.set(
      name,
      environmentBasis(name, result.value ?? DEFAULT_SETTINGS, result.value ? file.path : undefined),
    );
  }
  if (forced !== undefined && !all.has(forced)) {
    const known = [...all.keys()].filter(Boolean);
    throw new UsageError(
      `--env ${forced}: there is no environments/${forced}/greenops.yml${known.length ? ` (known: ${known.join(", ")})` : ""}`,
    );
  }
  // Named environments without settings keep their name (and so their kind) with built-in defaults.
  const unconfigured = new Set<string>();
  for (const name of [...directories.map((d) => d.slice("environments/".length)), ...Object.keys(paths)]) {
    if (all.has(name)) continue;
    unconfigured.add(name);
    all.set(name, environmentBasis(name, DEFAULT_SETTINGS));
  }
  const warned = new Set<string>();
  const mapped = Object.entries(paths);
  return {
    all,
    diagnostics,
    errors,
    texts,
    of(path) {
      if (forced !== undefined) return all.get(forced) ?? fallback;
      const name =
        mapped.find(([, { paths: globs }]) => globs.some((glob) => matchesGlob(path, glob)))?.[0] ??
        ENVIRONMENT_PATH.exec(path)?.[1];
      const basis = name === undefined ? fallback : (all.get(name) ?? fallback);
      if (name !== undefined && unconfigured.has(name) && !warned.has(name)) {
        warned.add(name);
        diagnostics.push({
          file: path,
          line: 1,
          severity: "warning",
          message: `environment "${name}" has no environments/${name}/greenops.yml: its files are estimated with the built-in defaults${kindOf(basis) === "production" ? ", as production (by its name)" : ", and whether it is production is unknown"}`,
        });
      }
      return basis;
    },
  };
}

/** What a format is told about a file: its environment, the usage file that applies, a default namespace. */
export function contextOf(environments: Environments, path: string, placement: Placement): ParseContext {
  const usage = environments.usage?.nearest(path);
  return {
    environment: placement.basis.environment,
    settings: placement.basis.settings,
    ...(usage ? { usage } : {}),
    ...(placement.defaultNamespace ? { defaultNamespace: placement.defaultNamespace } : {}),
  };
}
