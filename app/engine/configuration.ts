import type { ValidateFunction } from "ajv";
import { BUILT_IN_POLICIES } from "../../policies/index.ts";
import { ajv } from "../config/ajv.ts";
import { didYouMean } from "../config/did-you-mean.ts";
import type { EnvironmentSettings } from "../config/environment-settings.ts";
import type { PolicySetting } from "../config/policy-settings.ts";
import { readRepositoryConfig } from "../config/read-repository-config.ts";
import type { RepositoryConfig } from "../config/repository-config.ts";
import type { Refinement } from "../config/yaml-config.ts";
import { type Diagnostic, fileStart } from "../model/span.ts";
import type { Snapshot } from "../source/snapshot.ts";
import { CUSTOM_POLICY_DIRECTORY, loadCustomPolicy } from "./custom-policies.ts";
import { type Environments, loadEnvironments } from "./environments.ts";
import type { Finding } from "./finding.ts";
import type { Policy } from "./policy.ts";

/** A repository's GreenOps configuration at one snapshot: what every review and estimate starts from. */
export type Configuration = {
  repository: RepositoryConfig;
  environments: Environments;
  /** Built-in and custom policies. */
  policies: Policy[];
  /** Errors in the configuration files: each is a blocking finding. */
  errors: Finding[];
};

/** The policy id of findings about configuration files. */
export const CONFIGURATION_POLICY = "configuration";

/**
 * Why nothing is written (no fix, no scan pull request) while a configuration file has errors: the
 * policies, options and ignores it holds are unknown, and the defaults could undo what it turns off.
 */
export const MISCONFIGURED =
  "the configuration has errors: until they are fixed, which policies apply, with which options and ignores, is unknown";

/** The errors in configuration files among a report's findings. */
export function configurationErrors(findings: readonly Finding[]): Finding[] {
  return findings.filter((f) => f.policy === CONFIGURATION_POLICY);
}

/** A configuration error as one line, `file:line message`, its file written as `path` writes it. */
export function whereAs(path: (file: string) => string): (error: Finding) => string {
  return (error) => `${path(error.location.file)}:${error.location.startLine} ${error.message}`;
}

/** A configuration error as one line: `file:line message`. */
export const where = whereAs((file) => file);

const optionValidators = new Map<string, ValidateFunction>();

/**
 * Reads `.github/greenops.yml`, the custom policies in `.github/greenops/policies/` and every
 * `environments/<name>/greenops.yml`. A file with errors is replaced by defaults, and each error becomes
 * a blocking finding at its file, line and key.
 */
export async function loadConfiguration(snapshot: Snapshot, forced?: string): Promise<Configuration> {
  const diagnostics: Diagnostic[] = [];
  const customs = await loadCustomPolicies(snapshot, diagnostics);
  const policies: Policy[] = [...Object.values(BUILT_IN_POLICIES), ...customs];
  const byId = new Map(policies.map((p) => [p.meta.id, p]));
  const { config: repository, diagnostics: repositoryErrors } = await readRepositoryConfig(
    snapshot,
    (value, check) => checkPolicySettings(value.policies, ["policies"], byId, check),
  );
  diagnostics.push(...repositoryErrors);
  const refine: Refinement<EnvironmentSettings> = (value, check) =>
    checkPolicySettings(value.policies, ["policies"], byId, check);
  const environments = await loadEnvironments(snapshot, {
    forced,
    paths: repository.environments ?? {},
    refine,
  });
  const errors = [...diagnostics, ...environments.errors].map(asFinding);
  return { repository, environments, policies, errors };
}

async function loadCustomPolicies(snapshot: Snapshot, diagnostics: Diagnostic[]): Promise<Policy[]> {
  const { files } = await snapshot.entries(CUSTOM_POLICY_DIRECTORY);
  const taken = new Set<string>(Object.keys(BUILT_IN_POLICIES));
  const policies: Policy[] = [];
  for (const file of await snapshot.read(files.filter((f) => /\.ya?ml$/.test(f)))) {
    if ("skipped" in file) {
      diagnostics.push({ file: file.path, line: 1, severity: "error", message: file.skipped });
      continue;
    }
    const loaded = loadCustomPolicy(file.path, file.text, taken);
    diagnostics.push(...loaded.diagnostics);
    if (loaded.policy) {
      taken.add(loaded.policy.meta.id);
      policies.push(loaded.policy);
    }
  }
  return policies;
}

/** Policy ids must exist; each policy's options must follow its schema. */
function checkPolicySettings(
  settings: Record<string, PolicySetting> | undefined,
  path: (string | number)[],
  policies: ReadonlyMap<string, Policy>,
  check: Parameters<Refinement<unknown>>[1],
): void {
  for (const [id, setting] of Object.entries(settings ?? {})) {
    const policy = policies.get(id);
    if (!policy) {
      const hint = didYouMean(id, [...policies.keys()]);
      check.report([...path, id], `unknown policy "${id}"${hint ? `: did you mean "${hint}"?` : ""}`);
      continue;
    }
    if (typeof setting !== "object" || setting.options === undefined) continue;
    let validate = optionValidators.get(id);
    if (!validate) {
      validate = ajv.compile(policy.meta.options);
      optionValidators.set(id, validate);
    }
    check.validate([...path, id, "options"], validate, setting.options);
  }
}

function asFinding(diagnostic: Diagnostic): Finding {
  const line = diagnostic.line;
  const column = diagnostic.column ?? 1;
  return {
    policy: CONFIGURATION_POLICY,
    severity: "error",
    message: diagnostic.message,
    location: {
      ...fileStart(diagnostic.file),
      startLine: line,
      startColumn: column,
      endLine: line,
      endColumn: column,
    },
  };
}
