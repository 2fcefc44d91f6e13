import { createHash } from "node:crypto";
import OpenAI from "openai";
import { timed } from "../service/outbound.ts";
import { AnswerCache } from "./cache.ts";
import { AiFailure } from "./failure.ts";
import type { AiProvider } from "./provider.ts";
import { type Exchange, readChat, readResponse } from "./read-answer.ts";
import { redactSecrets } from "./redact.ts";

/** One question: instructions, the data, an answer size limit, and a strict JSON schema when structured. */
export type Ask = {
  system: string;
  user: string;
  maxOutputTokens: number;
  schema?: { name: string; schema: object };
};

export type Answer = { text: string; model: string };

const RETRY_DEFAULT_MS = 1_000;

/**
 * The one client of a run: answers from the cache when the same request was answered before, else
 * one request (and one retry on 429 or 5xx, after `retry-after`), all within the provider's timeout
 * and the run's token budget. Counts what it asked.
 */
export class ModelClient {
  readonly provider: AiProvider;
  requests = 0;
  cached = 0;
  tokens = 0;
  readonly #openai: OpenAI;
  readonly #cache: AnswerCache;
  #reserved = 0;

  constructor(provider: AiProvider) {
    this.provider = provider;
    this.#cache = new AnswerCache(provider.cacheDir);
    this.#openai = new OpenAI({
      apiKey: provider.apiKey,
      ...(provider.baseURL === undefined ? {} : { baseURL: provider.baseURL }),
      defaultHeaders: provider.headers,
      maxRetries: 0,
      timeout: provider.timeoutMs,
      // A redirect would send the key, the headers and the prompt to an address the operator did not name.
      fetchOptions: { redirect: "error" },
    });
  }

  async ask(ask: Ask): Promise<Answer> {
    const body = this.#body(ask);
    const key = AnswerCache.key([
      this.provider.baseURL ?? "",
      createHash("sha256").update(JSON.stringify(this.provider.headers)).digest("hex"),
      this.provider.api,
      body,
    ]);
    const hit = this.#cache.get(key);
    if (hit) {
      this.cached++;
      return hit;
    }
    const estimate = Math.ceil((ask.system.length + ask.user.length) / 4) + ask.maxOutputTokens;
    if (this.#reserved + estimate > this.provider.tokenBudget)
      throw new AiFailure(
        `the run's token budget (${this.provider.tokenBudget}) is too small for this request (about ${estimate} tokens)`,
      );
    this.#reserved += estimate;
    const exchange = await this.#send(body);
    this.tokens += exchange.tokens;
    this.#reserved += exchange.tokens - estimate;
    const answer = { text: exchange.text, model: exchange.model ?? this.provider.model };
    this.#cache.set(key, answer);
    return answer;
  }

  #body(ask: Ask): Record<string, unknown> {
    const { model } = this.provider;
    if (this.provider.api === "responses") {
      return {
        model,
        instructions: ask.system,
        input: ask.user,
        max_output_tokens: ask.maxOutputTokens,
        store: false,
        ...(ask.schema ? { text: { format: { type: "json_schema", strict: true, ...ask.schema } } } : {}),
      };
    }
    return {
      model,
      messages: [
        { role: "system", content: ask.system },
        { role: "user", content: ask.user },
      ],
      max_completion_tokens: ask.maxOutputTokens,
      store: false,
      ...(ask.schema
        ? { response_format: { type: "json_schema", json_schema: { strict: true, ...ask.schema } } }
        : {}),
    };
  }

  /** The request, retried once on 429 (not an exhausted quota) or 5xx, all before the deadline. */
  async #send(body: Record<string, unknown>): Promise<Exchange> {
    const deadline = Date.now() + this.provider.timeoutMs;
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), this.provider.timeoutMs);
    try {
      for (let attempt = 0; ; attempt++) {
        try {
          this.requests++;
          const options = { signal: controller.signal, timeout: Math.max(1, deadline - Date.now()) };
          // each try reported to the App's metrics (greenops_outbound_requests_total{service="ai"})
          return await timed("ai", async () =>
            this.provider.api === "responses"
              ? readResponse(await this.#openai.responses.create(body as never, options))
              : readChat(await this.#openai.chat.completions.create(body as never, options)),
          );
        } catch (error) {
          const wait = attempt === 0 ? retryDelay(error) : undefined;
          if (wait === undefined || Date.now() + wait >= deadline) throw failure(error, this.provider);
          await new Promise((resolve) => setTimeout(resolve, wait));
        }
      }
    } finally {
      clearTimeout(timer);
    }
  }
}

/** How long to wait before the one retry, or undefined when the error is not worth one. */
function retryDelay(error: unknown): number | undefined {
  if (!(error instanceof OpenAI.APIError) || error instanceof OpenAI.APIUserAbortError) return undefined;
  if (error instanceof OpenAI.APIConnectionError)
    return error instanceof OpenAI.APIConnectionTimeoutError ? undefined : RETRY_DEFAULT_MS;
  const status = error.status ?? 0;
  if (status === 429 && error.code === "insufficient_quota") return undefined;
  if (status !== 429 && status < 500) return undefined;
  const ms = Number(error.headers?.get("retry-after-ms") ?? Number.NaN);
  if (Number.isFinite(ms) && ms >= 0) return ms;
  const after = error.headers?.get("retry-after");
  if (after) {
    const seconds = Number(after);
    if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
    const date = Date.parse(after);
    if (Number.isFinite(date)) return Math.max(0, date - Date.now());
  }
  return RETRY_DEFAULT_MS;
}

function failure(error: unknown, provider: AiProvider): AiFailure {
  if (error instanceof AiFailure) return error;
  // An endpoint's error may repeat what it was sent: the report must not.
  return new AiFailure(redactSecrets(failureMessage(error, provider), operatorSecrets(provider)));
}

function failureMessage(error: unknown, provider: AiProvider): string {
  const seconds = provider.timeoutMs / 1000;
  if (error instanceof OpenAI.APIUserAbortError || error instanceof OpenAI.APIConnectionTimeoutError)
    return `the model endpoint did not answer within ${seconds} s`;
  if (error instanceof OpenAI.APIConnectionError)
    return `the model endpoint could not be reached (${causeOf(error)})`;
  if (error instanceof OpenAI.APIError) {
    const code = error.code ? `, ${error.code}` : "";
    return `the model endpoint answered ${error.status}${code}: ${firstLine(error.message)}`;
  }
  return `the model's answer could not be read: ${firstLine((error as Error).message)}`;
}

/** The key and the header values the operator gives the client. */
function operatorSecrets(provider: AiProvider): string[] {
  return [provider.apiKey, ...Object.values(provider.headers)];
}

function causeOf(error: Error): string {
  let cause: unknown = error.cause;
  while (cause instanceof Error && cause.cause instanceof Error) cause = cause.cause;
  const code = (cause as { code?: string } | undefined)?.code;
  return code ?? (cause instanceof Error ? cause.message : error.message);
}

function firstLine(text: string): string {
  return (text.split("\n")[0] ?? "").slice(0, 200);
}
