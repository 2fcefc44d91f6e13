import { readFileSync } from "node:fs";
import type { JSONSchemaType } from "ajv";
import { ajv } from "../../config/ajv.ts";

/** A cited data file: every figure in a report names the source it came from. */
export type Source = {
  id: string;
  file: string;
  title: string;
  origin: string;
  asOf: string;
  licence: string;
};

const schema: JSONSchemaType<{ sources: Source[] }> = {
  type: "object",
  properties: {
    sources: {
      type: "array",
      items: {
        type: "object",
        properties: {
          id: { type: "string", pattern: "^[a-z0-9-]+$" },
          file: { type: "string" },
          title: { type: "string" },
          origin: { type: "string" },
          asOf: { type: "string", pattern: "^\\d{4}-\\d{2}-\\d{2}$" },
          licence: { type: "string" },
        },
        required: ["id", "file", "title", "origin", "asOf", "licence"],
        additionalProperties: false,
      },
    },
  },
  required: ["sources"],
  additionalProperties: false,
};

const DATA = new URL("../data/", import.meta.url);

export function readDataFile(file: string): string {
  return readFileSync(new URL(file, DATA), "utf8");
}

let sources: Map<string, Source> | undefined;

export function source(id: string): Source {
  if (!sources) {
    const catalog: unknown = JSON.parse(readDataFile("catalog.json"));
    const validate = ajv.compile(schema);
    if (!validate(catalog))
      throw new Error(`data/catalog.json is invalid: ${ajv.errorsText(validate.errors)}`);
    sources = new Map(catalog.sources.map((s) => [s.id, s]));
  }
  const found = sources.get(id);
  if (!found) throw new Error(`unknown data source "${id}"`);
  return found;
}
