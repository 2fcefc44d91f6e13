import { readFileSync } from "node:fs";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { Ajv2020, type ValidateFunction } from "ajv/dist/2020.js";

type Json = Record<string, unknown>;

/** What the server answers to one request. */
export type Reply =
  | { kind: "text"; text: string }
  | { kind: "refusal"; text: string }
  | { kind: "length"; text: string }
  | { kind: "tool-call" }
  | { kind: "status"; status: number; code?: string; headers?: Record<string, string> }
  /** The connection is closed before any answer. */
  | { kind: "drop" }
  /** No answer at all (the client's timeout). */
  | { kind: "hang" };

export type Received = { path: string; headers: IncomingMessage["headers"]; raw: string; body: Json };

/**
 * A local server that answers like OpenAI's API (`openai`) or Ollama's OpenAI-compatible endpoint
 * (`ollama`): chat completions and responses, structured output, refusals, truncation, tool calls,
 * errors with `retry-after`, dropped connections. Every request is validated against OpenAI's API
 * description (test/fixtures/openai-api); a request outside it is answered 400 and recorded in `errors`.
 */
export class FakeOpenAI {
  readonly received: Received[] = [];
  readonly errors: string[] = [];
  /** Replies taken in order; when none is queued, `answer` decides. */
  readonly queue: Reply[] = [];
  answer: (request: Received) => Reply = () => ({ kind: "text", text: "Nothing to say." });
  readonly #server: Server;
  readonly #sockets = new Set<Socket>();
  readonly flavour: "openai" | "ollama";
  readonly key: string;
  url = "";

  constructor(flavour: "openai" | "ollama" = "openai", key = "sk-test-operator-key-0000000000") {
    this.flavour = flavour;
    this.key = key;
    this.#server = createServer((request, response) => void this.#handle(request, response));
    this.#server.on("connection", (socket) => {
      this.#sockets.add(socket);
      socket.on("close", () => this.#sockets.delete(socket));
    });
  }

  async start(): Promise<this> {
    await new Promise<void>((resolve) => this.#server.listen(0, "127.0.0.1", resolve));
    this.url = `http://127.0.0.1:${(this.#server.address() as AddressInfo).port}/v1`;
    return this;
  }

  async close(): Promise<void> {
    for (const socket of this.#sockets) socket.destroy();
    await new Promise((resolve) => this.#server.close(resolve));
  }

  /** Everything the server received, as bytes on the wire (headers included): what left the machine. */
  wire(): string {
    return this.received.map((r) => `${JSON.stringify(r.headers)}\n${r.raw}`).join("\n");
  }

  async #handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks).toString("utf8");
    const path = new URL(request.url ?? "/", "http://localhost").pathname;
    let body: Json = {};
    try {
      body = JSON.parse(raw) as Json;
    } catch {
      return this.#fail(response, 400, `${path}: the body is not JSON`);
    }
    const received = { path, headers: request.headers, raw, body };
    this.received.push(received);
    const api = path === "/v1/chat/completions" ? "chat" : path === "/v1/responses" ? "responses" : undefined;
    if (request.method !== "POST" || !api)
      return this.#fail(response, 404, `${request.method} ${path}: unknown`);
    const problems = requestProblems(api, body);
    if (this.flavour === "openai") {
      if (request.headers.authorization !== `Bearer ${this.key}`)
        return error(response, 401, "Incorrect API key provided.", "invalid_api_key");
      problems.push(...strictSchemaProblems(api, body));
    }
    if (problems.length > 0) return this.#fail(response, 400, `${api}: ${problems.join("; ")}`);
    const reply = this.queue.shift() ?? this.answer(received);
    if (reply.kind === "hang") return;
    if (reply.kind === "drop") {
      request.socket.destroy();
      return;
    }
    if (reply.kind === "status") {
      for (const [name, value] of Object.entries(reply.headers ?? {})) response.setHeader(name, value);
      return error(response, reply.status, `fake ${reply.status}`, reply.code ?? null);
    }
    const model = this.flavour === "openai" ? `${String(body.model)}-2024-07-18` : String(body.model);
    const answer = api === "chat" ? this.#chat(reply, model) : this.#response(reply, model);
    response.setHeader("content-type", "application/json");
    response.setHeader("x-request-id", `req_${this.received.length}`);
    response.end(JSON.stringify(answer));
  }

  #fail(response: ServerResponse, status: number, problem: string): void {
    this.errors.push(problem);
    error(response, status, problem, null);
  }

  #chat(reply: Exclude<Reply, { kind: "status" | "drop" | "hang" }>, model: string): Json {
    const message: Json = { role: "assistant", content: null };
    if (this.flavour === "openai") message.refusal = null;
    let finish = "stop";
    if (reply.kind === "text" || reply.kind === "length") message.content = reply.text;
    if (reply.kind === "length") finish = "length";
    if (reply.kind === "refusal") message.refusal = reply.text;
    if (reply.kind === "tool-call") {
      finish = "tool_calls";
      message.tool_calls = [
        { id: "call_1", type: "function", function: { name: "lookup", arguments: '{"q":"x"}' } },
      ];
    }
    return {
      id: "chatcmpl-1",
      object: "chat.completion",
      created: 1_795_392_000,
      model,
      ...(this.flavour === "ollama" ? { system_fingerprint: "fp_ollama" } : {}),
      choices: [{ index: 0, message, finish_reason: finish, logprobs: null }],
      usage: { prompt_tokens: 100, completion_tokens: 50, total_tokens: 150 },
    };
  }

  #response(reply: Exclude<Reply, { kind: "status" | "drop" | "hang" }>, model: string): Json {
    const output: Json[] = [];
    const message = (content: Json) =>
      output.push({
        type: "message",
        id: "msg_1",
        status: "completed",
        role: "assistant",
        content: [content],
      });
    if (reply.kind === "text" || reply.kind === "length")
      message({ type: "output_text", text: reply.text, annotations: [] });
    if (reply.kind === "refusal") message({ type: "refusal", refusal: reply.text });
    if (reply.kind === "tool-call")
      output.push({ type: "function_call", id: "fc_1", call_id: "call_1", name: "lookup", arguments: "{}" });
    return {
      id: "resp_1",
      object: "response",
      created_at: 1_795_392_000,
      status: reply.kind === "length" ? "incomplete" : "completed",
      incomplete_details: reply.kind === "length" ? { reason: "max_output_tokens" } : null,
      error: null,
      model,
      output,
      usage: { input_tokens: 100, output_tokens: 50, total_tokens: 150 },
    };
  }
}

function error(response: ServerResponse, status: number, message: string, code: string | null): void {
  response.statusCode = status;
  response.setHeader("content-type", "application/json");
  response.end(JSON.stringify({ error: { message, type: "invalid_request_error", param: null, code } }));
}

const description = JSON.parse(
  readFileSync(new URL("../fixtures/openai-api/openai-requests.json", import.meta.url), "utf8"),
) as { components: Json };
adaptForAjv(description);
const ajv = new Ajv2020({ strict: false, allErrors: true, validateFormats: false });
ajv.addSchema({ $id: "openai", components: description.components });
const validators: Record<"chat" | "responses", ValidateFunction> = {
  chat: ajv.compile({ $ref: "openai#/components/schemas/CreateChatCompletionRequest" }),
  responses: ajv.compile({ $ref: "openai#/components/schemas/CreateResponse" }),
};

/** What OpenAI's API description says is wrong with a request body (misspelt top-level fields included). */
export function requestProblems(api: "chat" | "responses", body: Json): string[] {
  const validate = validators[api];
  const problems = validate(body)
    ? []
    : (validate.errors ?? []).slice(0, 5).map((e) => `${e.instancePath || "body"} ${e.message}`);
  const known = api === "chat" ? CHAT_FIELDS : RESPONSE_FIELDS;
  for (const key of Object.keys(body)) if (!known.has(key)) problems.push(`unknown field "${key}"`);
  return problems;
}

/** OpenAI's 400 "Invalid schema for response_format": strict schemas need every property required, no extras. */
function strictSchemaProblems(api: "chat" | "responses", body: Json): string[] {
  const format =
    api === "chat"
      ? ((body.response_format as Json | undefined)?.json_schema as Json | undefined)
      : ((body.text as Json | undefined)?.format as Json | undefined);
  if (!format?.strict || !format.schema) return [];
  const problems: string[] = [];
  const check = (node: unknown, where: string): void => {
    if (!node || typeof node !== "object") return;
    const schema = node as Json;
    if (schema.type === "object") {
      const properties = Object.keys((schema.properties as Json | undefined) ?? {});
      const required = (schema.required as string[] | undefined) ?? [];
      if (schema.additionalProperties !== false)
        problems.push(`Invalid schema: ${where} allows additional properties`);
      if (properties.some((p) => !required.includes(p)))
        problems.push(`Invalid schema: ${where} has optional properties`);
    }
    for (const [key, value] of Object.entries(schema)) check(value, `${where}/${key}`);
  };
  check(format.schema, "#");
  return problems;
}

const CHAT_FIELDS = new Set(Object.keys(mergedProperties("CreateChatCompletionRequest")));
const RESPONSE_FIELDS = new Set(Object.keys(mergedProperties("CreateResponse")));

/** The properties of a schema and of every schema its allOf reaches. */
function mergedProperties(name: string): Json {
  const schemas = description.components.schemas as Record<string, Json>;
  const collect = (schema: Json | undefined): Json => {
    if (!schema) return {};
    const ref = typeof schema.$ref === "string" ? schemas[schema.$ref.split("/").at(-1) ?? ""] : undefined;
    if (ref) return collect(ref);
    const parts = ((schema.allOf ?? schema.anyOf ?? []) as Json[]).map(collect);
    return Object.assign({}, ...parts, (schema.properties as Json | undefined) ?? {});
  };
  return collect(schemas[name]);
}

/** The description's own notes: nullable → a null type, oneOf → anyOf (overlapping unions), no discriminator. */
function adaptForAjv(node: unknown): void {
  if (Array.isArray(node)) {
    for (const item of node) adaptForAjv(item);
    return;
  }
  if (!node || typeof node !== "object") return;
  const schema = node as Json;
  for (const value of Object.values(schema)) adaptForAjv(value);
  delete schema.discriminator;
  if (schema.oneOf) {
    schema.anyOf = schema.oneOf;
    delete schema.oneOf;
  }
  if (schema.nullable === true) {
    delete schema.nullable;
    if (typeof schema.type === "string") schema.type = [schema.type, "null"];
    else if (!schema.type) {
      const rest = { ...schema };
      for (const key of Object.keys(schema)) delete schema[key];
      schema.anyOf = [rest, { type: "null" }];
    }
  }
}
