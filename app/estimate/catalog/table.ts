import { Ajv, type SchemaObject } from "ajv";
import { parseCsv } from "./csv.ts";
import { readDataFile } from "./sources.ts";

/** Data files hold numbers as CSV text: this validator coerces them to the schema's types. */
const coercing = new Ajv({ allErrors: true, strict: true, coerceTypes: true });

/** Reads a CSV data file, validating (and typing) every row; a bad row is a bug in the data, so it throws. */
export function loadTable<T>(file: string, rowSchema: SchemaObject): T[] {
  const validate = coercing.compile<T>(rowSchema);
  return parseCsv(readDataFile(file)).map((row, index) => {
    if (!validate(row)) throw new Error(`${file} row ${index + 2}: ${coercing.errorsText(validate.errors)}`);
    return row;
  });
}

/** Reads and validates a JSON data file. */
export function loadJson<T>(file: string, schema: SchemaObject): T {
  const validate = coercing.compile<T>(schema);
  const value: unknown = JSON.parse(readDataFile(file));
  if (!validate(value)) throw new Error(`${file}: ${coercing.errorsText(validate.errors)}`);
  return value;
}

/** Computes a value once, on first use. */
export function lazy<T>(compute: () => T): () => T {
  let value: { v: T } | undefined;
  return () => {
    value ??= { v: compute() };
    return value.v;
  };
}
