import { readFileSync } from "node:fs";
import type { ValidateFunction } from "ajv";
import { descriptionAjv, operationPointer, type Route, router } from "../../helpers/api-description.ts";

type Json = Record<string, unknown>;
type Parameter = { name: string; in: string; required?: boolean; schema?: Json };
type Operation = { parameters?: Parameter[]; responses: Record<string, { schema?: Json }> };

/** Argo CD v3.5.1's own description of its API (test/fixtures/argocd/api/SOURCE.md): the oracle. */
const spec = JSON.parse(
  readFileSync(new URL("../../fixtures/argocd/api/argo-cd-v3.5.1.swagger.json", import.meta.url), "utf8"),
) as { paths: Record<string, Record<string, Operation>> };

const ajv = descriptionAjv(spec, "argo");

export type ArgoRoute = Route<Operation>;

export const route = router(spec.paths);

/** What Argo CD's description rejects in a request: undeclared query parameters, a body off its schema. */
export function requestErrors(
  method: string,
  found: ArgoRoute,
  query: URLSearchParams,
  body: unknown,
): string[] {
  const errors: string[] = [];
  const parameters = found.operation.parameters ?? [];
  const declared = new Set(parameters.filter((p) => p.in === "query").map((p) => p.name));
  for (const name of query.keys())
    if (!declared.has(name)) errors.push(`query parameter "${name}" is not declared`);
  const index = parameters.findIndex((p) => p.in === "body");
  if (index < 0) {
    if (body !== undefined) errors.push("this operation takes no body");
    return errors;
  }
  if (body === undefined) return parameters[index]?.required ? ["the request body is required"] : errors;
  const validate = validator(
    `${operationPointer("argo", found.template, method)}/parameters/${index}/schema`,
  );
  if (!validate(body)) errors.push(...describe(validate));
  // The description has no additionalProperties:false: catch misspelt top-level fields here.
  const properties = definition(parameters[index]?.schema)?.properties as Json | undefined;
  if (properties && body && typeof body === "object")
    for (const key of Object.keys(body))
      if (!(key in properties)) errors.push(`body field "${key}" is not in the schema`);
  return errors;
}

/** What is wrong with an answer the fake gives, against the operation's response schema (`default` for errors). */
export function responseErrors(found: ArgoRoute, method: string, status: number, body: unknown): string[] {
  const code = status === 200 ? "200" : "default";
  const validate = validator(`${operationPointer("argo", found.template, method)}/responses/${code}/schema`);
  return validate(body) ? [] : describe(validate);
}

const validators = new Map<string, ValidateFunction>();

function validator(ref: string): ValidateFunction {
  let validate = validators.get(ref);
  if (!validate) {
    validate = ajv.getSchema(ref) as ValidateFunction;
    if (!validate) throw new Error(`no schema at ${ref}`);
    validators.set(ref, validate);
  }
  return validate;
}

function definition(schema: Json | undefined): Json | undefined {
  const ref = schema?.$ref;
  if (typeof ref !== "string") return schema;
  const name = ref.replace("#/definitions/", "");
  return (spec as unknown as { definitions: Record<string, Json> }).definitions[name];
}

function describe(validate: ValidateFunction): string[] {
  return (validate.errors ?? []).map((e) => `${e.instancePath || "body"} ${e.message}`);
}
