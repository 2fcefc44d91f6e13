import { Ajv } from "ajv";

/** One validator instance for every schema: all errors reported, strict mode on. */
export const ajv = new Ajv({ allErrors: true, strict: true, verbose: true });
