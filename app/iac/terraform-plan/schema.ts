import { lazyValidator } from "../../config/ajv.ts";

/**
 * The slice of Terraform's (and OpenTofu's) plan JSON GreenOps reads
 * (https://developer.hashicorp.com/terraform/internals/json-format). Third-party input is read
 * permissively: unknown keys are ignored, and a resource change that does not fit is skipped with a
 * located diagnostic rather than failing the file.
 */
export type Plan = {
  format_version: string;
  terraform_version?: string;
  resource_changes?: unknown[];
  variables?: Record<string, { value?: unknown }>;
  configuration?: { provider_config?: Record<string, ProviderConfig>; root_module?: ConfigModule };
};

export type ProviderConfig = {
  name?: string;
  alias?: string;
  expressions?: Record<string, Expression>;
};

export type Expression = { constant_value?: unknown; references?: string[] };

export type ConfigModule = {
  resources?: ConfigResource[];
  module_calls?: Record<string, { module?: ConfigModule }>;
};

export type ConfigResource = {
  address: string;
  provider_config_key?: string;
  expressions?: Record<string, unknown>;
};

export type ResourceChange = {
  address: string;
  mode?: string;
  type: string;
  name: string;
  index?: string | number;
  provider_name?: string;
  change: { actions: string[]; before?: unknown; after?: unknown; after_unknown?: unknown };
};

/** The top level: a format_version, and resource_changes when there are any. */
export const validatePlan = lazyValidator<Plan>("terraform-plan", {
  type: "object",
  properties: {
    format_version: { type: "string" },
    terraform_version: { type: "string" },
    resource_changes: { type: "array" },
    variables: { type: "object" },
    configuration: { type: "object" },
  },
  required: ["format_version"],
});

/** One entry of resource_changes. */
export const validateResourceChange = lazyValidator<ResourceChange>("terraform-plan-resource-change", {
  type: "object",
  properties: {
    address: { type: "string", minLength: 1 },
    mode: { type: "string" },
    type: { type: "string", minLength: 1 },
    name: { type: "string" },
    index: { anyOf: [{ type: "string" }, { type: "number" }] },
    provider_name: { type: "string" },
    change: {
      type: "object",
      properties: { actions: { type: "array", items: { type: "string" }, minItems: 1 } },
      required: ["actions"],
    },
  },
  required: ["address", "type", "name", "change"],
});

/** Major versions whose minor bumps stay compatible: "Minor bumps … backward-compatible". */
export const SUPPORTED_FORMAT = /^[01]\.\d+$/;
