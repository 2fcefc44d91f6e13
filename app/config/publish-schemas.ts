/**
 * `npm run schemas`: writes the published JSON Schemas of GreenOps' configuration files into
 * docs/schemas/, from the same source the validators compile (test/config/schemas.test.ts fails on drift).
 */
import { writeFileSync } from "node:fs";
import { environmentSettingsSchema } from "./environment-settings.ts";

export const PUBLISHED_SCHEMAS = { "environment-settings.schema.json": environmentSettingsSchema };

export function schemaText(schema: object): string {
  return `${JSON.stringify({ $schema: "http://json-schema.org/draft-07/schema#", ...schema }, null, 2)}\n`;
}

if (import.meta.main) {
  for (const [file, schema] of Object.entries(PUBLISHED_SCHEMAS)) {
    writeFileSync(new URL(`../../docs/schemas/${file}`, import.meta.url), schemaText(schema));
  }
}
