import { createRequire } from "node:module";
import type { ValidateFunction } from "ajv";
import {
  type Route as ApiRoute,
  descriptionAjv,
  operationPointer,
  router,
} from "../../helpers/api-description.ts";

type Json = Record<string, unknown>;
type Operation = {
  parameters?: Json[];
  requestBody?: { required?: boolean; content?: Json };
  responses: Json;
};

const require = createRequire(import.meta.url);
/** GitHub's own description of its REST API (the source of docs.github.com/rest): the oracle of every request. */
const spec = require("@octokit/openapi/generated/api.github.com.json") as {
  paths: Record<string, Record<string, Operation>>;
  components: Record<string, Record<string, Json>>;
};
rewriteNullable(spec);

const ajv = descriptionAjv(spec, "gh");

export type Route = ApiRoute<Operation>;

/** The operation a request is for: its path matched against the templates, the most literal first. */
export const route = router(spec.paths);

const validators = new Map<string, ValidateFunction>();

/** What GitHub would reject in this request: unknown query parameters, and a body outside the schema (typos included). */
export function requestErrors(method: string, found: Route, query: URLSearchParams, body: unknown): string[] {
  const errors: string[] = [];
  const declared = new Set((found.operation.parameters ?? []).map((p) => String(resolve(p).name)));
  for (const name of query.keys())
    if (!declared.has(name)) errors.push(`query parameter "${name}" is not declared`);
  const content = found.operation.requestBody?.content?.["application/json"] as { schema?: Json } | undefined;
  if (!content?.schema) {
    if (body !== undefined && method !== "GET") errors.push("this operation takes no body");
    return errors;
  }
  if (body === undefined) {
    if (found.operation.requestBody?.required) errors.push("the request body is required");
    return errors;
  }
  const pointer = `${operationPointer("gh", found.template, method)}/requestBody/content/application~1json/schema`;
  let validate = validators.get(pointer);
  if (!validate) {
    validate = ajv.getSchema(pointer) as ValidateFunction;
    validators.set(pointer, validate);
  }
  if (!validate(body))
    errors.push(...(validate.errors ?? []).map((e) => `${e.instancePath || "body"} ${e.message}`));
  // The description has no additionalProperties:false: catch misspelt top-level fields here.
  const properties = resolve(content.schema).properties as Json | undefined;
  if (properties && body && typeof body === "object") {
    for (const key of Object.keys(body))
      if (!(key in properties)) errors.push(`body field "${key}" is not in the schema`);
  }
  return errors;
}

/** A response example from the description (realistic field values), deep-copied. */
export function example(template: string, method: string, status: string): Json {
  const response = resolve((spec.paths[template]?.[method]?.responses[status] ?? {}) as Json) as {
    content?: Record<string, { examples?: Record<string, Json> }>;
  };
  const examples = response.content?.["application/json"]?.examples ?? {};
  const first = Object.values(examples)[0];
  if (!first) throw new Error(`no example for ${method} ${template} ${status}`);
  return structuredClone(resolve(first).value as Json);
}

function resolve(node: Json): Json {
  const ref = node.$ref;
  if (typeof ref !== "string") return node;
  const [, section, name] = /^#\/components\/(\w+)\/(.+)$/.exec(ref) ?? [];
  const table = spec.components[section ?? ""];
  return resolve(table?.[name ?? ""] ?? {});
}

/** `nullable` without `type` makes Ajv throw: rewrite it as anyOf [schema, null] (github-app.md §3.2). */
function rewriteNullable(node: unknown): void {
  if (Array.isArray(node)) {
    for (const item of node) rewriteNullable(item);
    return;
  }
  if (!node || typeof node !== "object") return;
  const object = node as Json;
  for (const value of Object.values(object)) rewriteNullable(value);
  if (object.nullable === true && object.type === undefined) {
    const { nullable: _, ...rest } = object;
    for (const key of Object.keys(object)) delete object[key];
    object.anyOf = [rest, { type: "null" }];
  }
}
