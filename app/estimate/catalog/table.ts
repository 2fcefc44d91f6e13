import { readFileSync } from "node:fs";
import { parseCsv } from "./csv.ts";
import { DATA_SCHEMAS, type DataSchema } from "./data-schemas.ts";

const DATA = new URL("../data/", import.meta.url);

/** A data file bundled in app/estimate/data. */
function readDataFile(file: string): string {
  return readFileSync(new URL(file, DATA), "utf8");
}

/**
 * Data files are part of GreenOps, so they are validated against their schemas by the test suite
 * (test/estimate/data-files.test.ts), not on every run; at run time their text is only converted to
 * the types the schema declares.
 */
export function loadTable<T>(file: keyof typeof DATA_SCHEMAS): T[] {
  const schema = DATA_SCHEMAS[file];
  return parseCsv(readDataFile(file)).map((row) => coerce(row, schema) as T);
}

export function loadJson<T>(file: keyof typeof DATA_SCHEMAS): T {
  return coerce(JSON.parse(readDataFile(file)), DATA_SCHEMAS[file]) as T;
}

/** Converts strings to the numbers and booleans a schema declares, recursively through objects. */
export function coerce(value: unknown, schema: DataSchema | undefined): unknown {
  if (schema === undefined) return value;
  if (typeof value === "string" && (schema.type === "number" || schema.type === "integer"))
    return Number(value);
  if (typeof value === "string" && schema.type === "boolean") return value === "true";
  if (typeof value !== "object" || value === null || Array.isArray(value)) return value;
  const extra = typeof schema.additionalProperties === "object" ? schema.additionalProperties : undefined;
  const coerced: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value))
    coerced[key] = coerce(item, schema.properties?.[key] ?? extra);
  return coerced;
}

/** Computes a value once, on first use. */
export function lazy<T>(compute: () => T): () => T {
  let value: { v: T } | undefined;
  return () => {
    value ??= { v: compute() };
    return value.v;
  };
}
