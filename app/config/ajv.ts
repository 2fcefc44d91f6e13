import { Ajv } from "ajv";

/**
 * One validator instance for every schema: all errors reported (with their schema, for messages),
 * strict mode on. Schemas are not checked against the JSON Schema meta-schema when compiled: that
 * costs 80 ms at start-up, and GreenOps' own schemas are checked by the test suite
 * (test/config/schemas.test.ts). A schema that comes from a user's repository must be checked
 * with `ajv.validateSchema(schema)` before it is compiled.
 */
export const ajv = new Ajv({ allErrors: true, strict: true, verbose: true, validateSchema: false });
