import { type AiConfig, aiConfigSchema } from "./ai-config.ts";
import { lazyValidator } from "./ajv.ts";
import {
  type ArgoCdSettings,
  argoCdSettingsSchema,
  type ScanSettings,
  scanSettingsSchema,
} from "./gitops-settings.ts";
import { type PolicySetting, policySettingsSchema } from "./policy-settings.ts";
import { type ProgramsConfig, programsConfigSchema } from "./programs-config.ts";

export const REPOSITORY_CONFIG_FILES = [".github/greenops.yml", ".github/greenops.yaml"];

/** `.github/greenops.yml`: which paths are which environment, policy severities and options, ignores. */
export type RepositoryConfig = {
  /** Environment name → the paths (globs) of its files, beside `environments/<name>/`. */
  environments?: Record<string, { paths: string[] }>;
  policies?: Record<string, PolicySetting>;
  ignore?: IgnoreRule[];
  argocd?: ArgoCdSettings;
  scan?: ScanSettings;
  ai?: AiConfig;
  programs?: ProgramsConfig;
};

/** Findings matching every given criterion are suppressed, with the reason shown. */
export type IgnoreRule = { paths?: string[]; resources?: string[]; policies?: string[]; reason: string };

const globs = { type: "array", items: { type: "string", minLength: 1 }, minItems: 1 };

export const repositoryConfigSchema = {
  $id: "https://greenops.dev/schemas/repository-config.json",
  title: "GreenOps repository configuration",
  description:
    ".github/greenops.yml: environments by path, policy severities and options, ignores, the AI advisor, the deployment report, scans, and whether the App runs repository programs.",
  type: "object",
  properties: {
    environments: {
      type: "object",
      description: "Environment name → { paths: [globs] }: files matching belong to that environment.",
      additionalProperties: {
        type: "object",
        properties: {
          paths: { ...globs, description: "Globs relative to the repository root, e.g. k8s/prod/**." },
        },
        required: ["paths"],
        additionalProperties: false,
      },
    },
    policies: policySettingsSchema,
    ignore: {
      type: "array",
      description:
        "Findings to suppress: each rule matches by paths, resources and policies (all given must match).",
      items: {
        type: "object",
        properties: {
          paths: { ...globs, description: "Globs of the files." },
          resources: { ...globs, description: "Resource ids (Kind/namespace/name), globs allowed." },
          policies: { ...globs, description: "Policy ids." },
          reason: {
            type: "string",
            minLength: 1,
            description: "Why: shown beside every suppressed finding.",
          },
        },
        required: ["reason"],
        additionalProperties: false,
      },
    },
    argocd: argoCdSettingsSchema,
    scan: scanSettingsSchema,
    ai: aiConfigSchema,
    programs: programsConfigSchema,
  },
  additionalProperties: false,
};

export const validateRepositoryConfig = lazyValidator<RepositoryConfig>(
  "repository-config",
  repositoryConfigSchema,
);
