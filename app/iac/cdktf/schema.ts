import { lazyValidator } from "../../config/ajv.ts";

/**
 * Terraform's JSON configuration syntax as CDKTF (and its fork cdktn) synthesizes it into
 * `cdk.tf.json`: `resource.<type>.<name>` blocks of snake_case attributes, `provider.<name>` as a
 * list of configurations (aliases inside), `variable.<name>.default`, and `"//"` metadata
 * (`metadata.path` is the construct path). Unknown keys are ignored.
 */
export type TerraformJson = {
  "//"?: { metadata?: { stackName?: string } };
  resource?: Record<string, Record<string, Record<string, unknown>>>;
  provider?: Record<string, unknown>;
  variable?: Record<string, { default?: unknown }>;
  module?: Record<string, unknown>;
};

export const validateTerraformJson = lazyValidator<TerraformJson>("cdktf-synth", {
  type: "object",
  properties: {
    resource: {
      type: "object",
      additionalProperties: { type: "object", additionalProperties: { type: "object" } },
    },
    provider: { type: "object" },
    variable: { type: "object" },
    module: { type: "object" },
  },
});
