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
  return parseCsv(readDataFile(file), (column) => scalar(propertyOf(schema, column))) as T[];
}

export function loadJson<T>(file: keyof typeof DATA_SCHEMAS): T {
  return coerce(JSON.parse(readDataFile(file)), DATA_SCHEMAS[file]) as T;
}

/** Converts strings to the numbers and booleans a schema declares, recursively through objects. */
export function coerce(value: unknown, schema: DataSchema | undefined): unknown {
  if (schema === undefined) return value;
  if (typeof value === "string") return scalar(schema)(value);
  if (typeof value !== "object" || value === null || Array.isArray(value)) return value;
  const coerced: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) coerced[key] = coerce(item, propertyOf(schema, key));
  return coerced;
}

/** The schema of an object's property: its own, or the one additionalProperties gives every other. */
function propertyOf(schema: DataSchema, key: string): DataSchema | undefined {
  const extra = schema.additionalProperties;
  return schema.properties?.[key] ?? (typeof extra === "object" ? extra : undefined);
}

/** What turns a text into the scalar a schema declares: a number, a boolean, or the text itself. */
function scalar(schema: DataSchema | undefined): (text: string) => unknown {
  if (schema?.type === "number" || schema?.type === "integer") return Number;
  if (schema?.type === "boolean") return (text) => text === "true";
  return String;
}

/** Computes a value once, on first use. */
export function lazy<T>(compute: () => T): () => T {
  let value: { v: T } | undefined;
  return () => {
    value ??= { v: compute() };
    return value.v;
  };
}
