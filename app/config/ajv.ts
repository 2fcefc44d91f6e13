import { Ajv, type ErrorObject, type KeywordDefinition, type Options, type ValidateFunction } from "ajv";
import { maskedUserinfo } from "./operator-url.ts";
import { PRECOMPILED } from "./precompiled-validators.ts";

/**
 * `patternErrorMessage` (the keyword editors such as VS Code show when a `pattern` fails), a string
 * that says in words what a value matching the pattern is: configuration errors show it instead of the
 * pattern. Known to both validators: a custom policy's schema may carry it as an editor reads it.
 */
export const PATTERN_ERROR_MESSAGE: KeywordDefinition = {
  keyword: "patternErrorMessage",
  schemaType: "string",
};

/**
 * A failed `pattern` in words: what the value must be (its `patternErrorMessage`, else the pattern)
 * and the value given, never a password: a URL's userinfo is masked.
 */
export function patternProblem(error: ErrorObject): string {
  const words = error.parentSchema?.patternErrorMessage ?? `must match pattern "${error.params.pattern}"`;
  const got = typeof error.data === "string" ? `; got ${JSON.stringify(maskedUserinfo(error.data))}` : "";
  return `${words}${got}`;
}

/** The options of {@link ajv}; the CLI bundle compiles its validators ahead of time with the same. */
export const AJV_OPTIONS: Options = {
  allErrors: true,
  strict: true,
  verbose: true,
  validateSchema: false,
  keywords: [PATTERN_ERROR_MESSAGE],
};

/**
 * One validator instance for every schema: all errors reported (with their schema, for messages),
 * strict mode on. Schemas are not checked against the JSON Schema meta-schema when compiled: that
 * costs 80 ms at start-up, and GreenOps' own schemas are checked by the test suite
 * (test/config/schemas.test.ts). A schema that comes from a user's repository must be checked
 * with `ajv.validateSchema(schema)` before it is compiled.
 */
export const ajv = new Ajv(AJV_OPTIONS);

/** A validator as ajv compiles it: a type guard that keeps the errors of its last call. */
export type Validator<T> = ((data: unknown) => data is T) & { errors?: ErrorObject[] | null };

/** Every schema given to {@link lazyValidator}, by its name. */
export const NAMED_SCHEMAS = new Map<string, object>();

/**
 * A validator compiled on first use (schemas of inputs many runs never meet: plans, previews, a
 * repository without .github/greenops.yml), or ahead of time when the CLI bundle holds it compiled
 * under `name` (precompiled-validators.ts); it is called like the compiled function.
 */
export function lazyValidator<T>(name: string, schema: object): Validator<T> {
  if ((NAMED_SCHEMAS.get(name) ?? schema) !== schema) throw new Error(`two schemas are named ${name}`);
  NAMED_SCHEMAS.set(name, schema);
  let compiled: ValidateFunction<T> | undefined;
  const validate = ((data: unknown): data is T => {
    compiled ??= (PRECOMPILED[name] as ValidateFunction<T> | undefined) ?? ajv.compile<T>(schema);
    const valid = compiled(data);
    validate.errors = compiled.errors ?? null;
    return valid;
  }) as Validator<T>;
  return validate;
}

/**
 * The validator for schemas users write (custom policies' `assert`): standard JSON Schema, where
 * `required` may name a property the schema does not describe, and `patternErrorMessage` as editors
 * read it; unknown keywords (a typo) and formats (none are built in) are still refused when the
 * schema is compiled.
 */
export const userAjv = new Ajv({
  allErrors: true,
  verbose: true,
  strict: false,
  strictSchema: true,
  logger: false,
  keywords: [PATTERN_ERROR_MESSAGE],
});
