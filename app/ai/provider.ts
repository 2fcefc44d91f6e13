import { homedir } from "node:os";
import { join } from "node:path";
import { checkOperatorUrl } from "../config/operator-url.ts";

/**
 * Where and how to ask a model: only ever from the environment of whoever runs GreenOps (never from a
 * repository file), so the key goes only to the address that same environment names.
 */
export type AiProvider = {
  /** OPENAI_BASE_URL (Ollama's http://localhost:11434/v1, a gateway); unset: the client's default. */
  baseURL: string | undefined;
  apiKey: string;
  model: string;
  /** GREENOPS_AI_HEADERS: extra headers for a gateway, as a JSON object. */
  headers: Record<string, string>;
  /** Chat Completions (the default, what every compatible endpoint serves) or the Responses API. */
  api: "chat" | "responses";
  /** Tokens one run may spend, prompts and answers together. */
  tokenBudget: number;
  /** One request, its retry included. */
  timeoutMs: number;
  /** Answers by a hash of what was sent; undefined: no cache. */
  cacheDir: string | undefined;
};

export const DEFAULT_TOKEN_BUDGET = 50_000;
export const DEFAULT_TIMEOUT_SECONDS = 30;

/** Why there is no provider (said in the report), or the provider the environment describes. */
export function providerFromEnv(env: NodeJS.ProcessEnv): AiProvider | string {
  const model = env.GREENOPS_AI_MODEL?.trim();
  if (!model) return "no model is configured (set GREENOPS_AI_MODEL, and OPENAI_BASE_URL or OPENAI_API_KEY)";
  const baseURL = env.OPENAI_BASE_URL?.trim() || undefined;
  if (baseURL !== undefined) {
    const problem = urlProblem(baseURL);
    if (problem) return `OPENAI_BASE_URL ${problem}`;
  }
  const apiKey = env.OPENAI_API_KEY?.trim();
  // Ollama ignores the key, but the client needs one; a default endpoint without a key cannot answer.
  if (!apiKey && baseURL === undefined) return "OPENAI_API_KEY is not set (nor OPENAI_BASE_URL)";
  const headers = headersOf(env.GREENOPS_AI_HEADERS);
  if (typeof headers === "string") return headers;
  const api = env.GREENOPS_AI_API ?? "chat";
  if (api !== "chat" && api !== "responses") return `GREENOPS_AI_API must be chat or responses, not "${api}"`;
  const budget = positive(env.GREENOPS_AI_TOKEN_BUDGET, DEFAULT_TOKEN_BUDGET);
  const timeout = positive(env.GREENOPS_AI_TIMEOUT, DEFAULT_TIMEOUT_SECONDS);
  if (budget === undefined) return "GREENOPS_AI_TOKEN_BUDGET must be a positive whole number";
  if (timeout === undefined) return "GREENOPS_AI_TIMEOUT must be a positive number of seconds";
  return {
    baseURL,
    apiKey: apiKey || "unused",
    model,
    headers,
    api,
    tokenBudget: Math.floor(budget),
    timeoutMs: timeout * 1000,
    cacheDir: cacheDirOf(env),
  };
}

/**
 * GREENOPS_AI_CACHE_DIR, else $XDG_CACHE_HOME/greenops/ai, else ~/.cache/greenops/ai; "off" turns the
 * cache off. Entries are keyed by the endpoint, the model and the whole request, so endpoints and
 * models never share answers.
 */
export function cacheDirOf(env: NodeJS.ProcessEnv): string | undefined {
  const dir = env.GREENOPS_AI_CACHE_DIR?.trim();
  if (dir === "off") return undefined;
  if (dir) return dir;
  return join(env.XDG_CACHE_HOME?.trim() || join(homedir(), ".cache"), "greenops", "ai");
}

/** Checks OPENAI_BASE_URL; the client is given it as written, so its normalised form is not used. */
function urlProblem(text: string): string | undefined {
  const checked = checkOperatorUrl(text, { plainHttp: "anywhere" });
  if ("url" in checked) return undefined;
  switch (checked.problem) {
    case "not-a-url":
      return `is not a URL: "${text}"`;
    case "scheme":
      return "must be an http or https URL";
    case "credentials":
      return "must not carry credentials (use OPENAI_API_KEY)";
  }
}

function headersOf(text: string | undefined): Record<string, string> | string {
  if (!text?.trim()) return {};
  const problem = "GREENOPS_AI_HEADERS must be a JSON object of header names to string values";
  try {
    const value: unknown = JSON.parse(text);
    if (!value || typeof value !== "object" || Array.isArray(value)) return problem;
    const entries = Object.entries(value);
    if (entries.some(([name, v]) => typeof v !== "string" || !/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(name)))
      return problem;
    return Object.fromEntries(entries) as Record<string, string>;
  } catch {
    return problem;
  }
}

function positive(text: string | undefined, fallback: number): number | undefined {
  if (text === undefined || text.trim() === "") return fallback;
  const value = Number(text);
  return Number.isFinite(value) && value > 0 ? value : undefined;
}
