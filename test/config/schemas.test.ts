import { readFileSync } from "node:fs";
import { Ajv } from "ajv";
import { describe, expect, it } from "vitest";
import { PUBLISHED_SCHEMAS, schemaText } from "../../app/config/publish-schemas.ts";

const ajv = new Ajv({ strict: true });
const docs = (file: string) => readFileSync(new URL(`../../docs/${file}`, import.meta.url), "utf8");

describe("schemas", () => {
  it.each(Object.entries(PUBLISHED_SCHEMAS))("%s is valid and published as generated", (file, schema) => {
    expect(ajv.validateSchema(schema), ajv.errorsText(ajv.errors)).toBe(true);
    expect(docs(`schemas/${file}`), "run npm run docs").toBe(schemaText(schema));
  });

  it("docs/report-schema.json is a valid schema", () => {
    expect(ajv.validateSchema(JSON.parse(docs("report-schema.json"))), ajv.errorsText(ajv.errors)).toBe(true);
  });
});
