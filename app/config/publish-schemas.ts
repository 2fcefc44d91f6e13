import { deployReportSchema } from "../gitops/deploy/report-schema.ts";
import { customPolicySchema } from "./custom-policy-file.ts";
import { environmentSettingsSchema } from "./environment-settings.ts";
import { repositoryConfigSchema } from "./repository-config.ts";

/**
 * The JSON Schemas of GreenOps' configuration files, and of the deployment report's JSON, as published
 * in docs/schemas/ (`npm run docs`).
 */
export const PUBLISHED_SCHEMAS = {
  "environment-settings.schema.json": environmentSettingsSchema,
  "repository-config.schema.json": repositoryConfigSchema,
  "custom-policy.schema.json": customPolicySchema,
  "deploy-report.schema.json": deployReportSchema,
};

export function schemaText(schema: object): string {
  return `${JSON.stringify({ $schema: "http://json-schema.org/draft-07/schema#", ...schema }, null, 2)}\n`;
}
