import { readFileSync } from "node:fs";
import { Ajv } from "ajv";
import { describe, expect, it } from "vitest";
import { PUBLISHED_SCHEMAS, schemaText } from "../../app/config/publish-schemas.ts";
import { DEPLOY_REPORT_VERSION } from "../../app/gitops/deploy/report-schema.ts";
import { SCHEMA_VERSION } from "../../app/report/json-report.ts";

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

  /** A versioned output's schema is named by the version the output writes, so the two cannot part. */
  const VERSIONED = [
    { file: "report-schema.json", name: "report", version: SCHEMA_VERSION },
    { file: "schemas/deploy-report.schema.json", name: "deploy-report", version: DEPLOY_REPORT_VERSION },
  ];
  it.each(VERSIONED)(
    "docs/$file names $name $version in its id and schemaVersion",
    ({ file, name, version }) => {
      const schema = JSON.parse(docs(file));
      expect(schema.$id).toBe(`https://greenops.dev/schemas/${name}-${version}.json`);
      expect(schema.properties.schemaVersion.enum).toEqual([version]);
    },
  );
});
