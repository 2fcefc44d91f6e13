/**
 * Writes test/fixtures/openai-api/openai-requests.json: the request schemas of POST /chat/completions and POST /responses, and
 * every component they reach, copied unmodified from OpenAI's API description (see SOURCE.md there).
 * Usage: node test/ai/extract-openai-requests.ts path/to/openai-openapi-2.3.0.json
 */
import { readFileSync, writeFileSync } from "node:fs";

type Json = Record<string, unknown>;

const [source] = process.argv.slice(2);
if (!source) throw new Error("usage: extract.ts OPENAPI_JSON");
const spec = JSON.parse(readFileSync(source, "utf8")) as {
  info: Json;
  paths: Record<string, Record<string, { requestBody: { content: Record<string, { schema: Json }> } }>>;
  components: { schemas: Record<string, Json> };
};
const operations = { "POST /chat/completions": "/chat/completions", "POST /responses": "/responses" };
const wanted = new Set<string>();
const visit = (node: unknown): void => {
  if (Array.isArray(node)) for (const item of node) visit(item);
  else if (node && typeof node === "object") {
    const ref = (node as Json).$ref;
    if (typeof ref === "string") {
      const name = ref.replace("#/components/schemas/", "");
      if (!wanted.has(name)) {
        wanted.add(name);
        visit(spec.components.schemas[name]);
      }
    }
    for (const value of Object.values(node)) visit(value);
  }
};
const requests = Object.fromEntries(
  Object.entries(operations).map(([name, path]) => {
    const schema = spec.paths[path]?.post?.requestBody.content["application/json"]?.schema ?? {};
    visit(schema);
    return [name, schema];
  }),
);
const schemas = Object.fromEntries([...wanted].sort().map((name) => [name, spec.components.schemas[name]]));
writeFileSync(
  new URL("../fixtures/openai-api/openai-requests.json", import.meta.url),
  `${JSON.stringify({ info: spec.info, requests, components: { schemas } })}\n`,
);
