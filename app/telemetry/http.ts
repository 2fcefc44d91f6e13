import type { IncomingHttpHeaders } from "node:http";
import { withoutSecrets } from "../config/operator-secrets.ts";
import { timed } from "../service/outbound.ts";

/** How to reach one HTTP endpoint: everything resolved (credentials read from their env vars or files). */
export type HttpEndpoint = {
  /** Base URL without credentials, e.g. https://prometheus.example:9090/prefix */
  url: string;
  headers: Record<string, string>;
  timeoutMs: number;
  retries: number;
  tls: { ca?: string; cert?: string; key?: string; rejectUnauthorized: boolean };
  /** Counts every request sent, retries and failures included, when set. */
  sent?: { requests: number };
  /** The values read from the operator's variables and files, which an error body may not repeat. */
  secrets: string[];
};

export type HttpResponse = { status: number; headers: IncomingHttpHeaders; body: string };

/**
 * An external source that failed, or that was not contacted because the operator did not allow its
 * settings (`not-allowed`): named, with what to do; never carries a credential.
 */
export class TelemetryError extends Error {
  readonly kind: "timeout" | "unreachable" | "http" | "invalid" | "not-allowed";
  constructor(kind: TelemetryError["kind"], message: string) {
    super(message);
    this.kind = kind;
  }
}

const MAX_BODY_BYTES = 64 * 2 ** 20;
const BACKOFF_MS = 250;
const RETRYABLE_STATUS = new Set([429, 502, 503, 504]);

/**
 * GET `path` (with query parameters) from the endpoint: each attempt bounded by the endpoint's
 * timeout, connection failures, timeouts, 429 and 502–504 retried with exponential backoff
 * (250 ms, 500 ms, …; a Retry-After of up to 5 s is honoured). Other statuses are returned. Each
 * attempt is reported as a request to `service` (the App's metrics count them).
 */
export async function get(
  endpoint: HttpEndpoint,
  service: string,
  path: string,
  query: Record<string, string> = {},
): Promise<HttpResponse> {
  const url = new URL(`${endpoint.url.replace(/\/+$/, "")}${path}`);
  for (const [key, value] of Object.entries(query)) url.searchParams.set(key, value);
  let lastError: TelemetryError | undefined;
  for (let attempt = 0; attempt <= endpoint.retries; attempt++) {
    if (attempt > 0) await sleep(lastWait(lastError, attempt));
    if (endpoint.sent) endpoint.sent.requests++;
    try {
      const response = await timed(
        service,
        () => once(endpoint, url),
        (answer) => answer.status >= 400,
      );
      if (!RETRYABLE_STATUS.has(response.status)) return response;
      lastError = new RetryAfter(response);
    } catch (error) {
      if (!(error instanceof TelemetryError) || error.kind === "invalid") throw error;
      lastError = error;
    }
  }
  throw lastError instanceof RetryAfter
    ? new TelemetryError("http", `HTTP ${lastError.status} after ${endpoint.retries + 1} attempts`)
    : (lastError ?? new TelemetryError("unreachable", "no attempt was made"));
}

class RetryAfter extends TelemetryError {
  readonly status: number;
  readonly waitMs: number | undefined;
  constructor(response: HttpResponse) {
    super("http", `HTTP ${response.status}`);
    this.status = response.status;
    const seconds = Number(response.headers["retry-after"]);
    this.waitMs = Number.isFinite(seconds) ? Math.min(seconds * 1000, 5000) : undefined;
  }
}

function lastWait(error: TelemetryError | undefined, attempt: number): number {
  return error instanceof RetryAfter && error.waitMs !== undefined
    ? error.waitMs
    : BACKOFF_MS * 2 ** (attempt - 1);
}

function once(endpoint: HttpEndpoint, url: URL): Promise<HttpResponse> {
  // The modules themselves when a request is sent: importing node:http's ESM facade loads undici,
  // ~30 ms of every run's start-up, telemetry or not.
  const send =
    url.protocol === "https:"
      ? process.getBuiltinModule("node:https").request
      : process.getBuiltinModule("node:http").request;
  const seconds = endpoint.timeoutMs / 1000;
  return new Promise((resolve, reject) => {
    const request = send(
      url,
      {
        method: "GET",
        headers: { accept: "application/json", ...endpoint.headers },
        signal: AbortSignal.timeout(endpoint.timeoutMs),
        ...(url.protocol === "https:" ? endpoint.tls : {}),
      },
      (response) => {
        const chunks: Buffer[] = [];
        let size = 0;
        response.on("data", (chunk: Buffer) => {
          size += chunk.length;
          if (size > MAX_BODY_BYTES) {
            request.destroy(
              new TelemetryError("invalid", `the answer is larger than ${MAX_BODY_BYTES} bytes`),
            );
            return;
          }
          chunks.push(chunk);
        });
        response.on("end", () => {
          const status = response.statusCode ?? 0;
          const body = Buffer.concat(chunks).toString("utf8");
          // An error's text becomes the source's error in the report: never what it repeats of the request.
          resolve({
            status,
            headers: response.headers,
            body: status >= 400 ? withoutSecrets(body, endpoint.secrets) : body,
          });
        });
        response.on("error", (error) => reject(failure(error, seconds)));
      },
    );
    request.on("error", (error) => reject(failure(error, seconds)));
    request.end();
  });
}

function failure(error: Error, seconds: number): TelemetryError {
  if (error instanceof TelemetryError) return error;
  if (error.name === "TimeoutError" || error.name === "AbortError")
    return new TelemetryError("timeout", `no answer within ${seconds} s`);
  const code = (error as NodeJS.ErrnoException).code;
  return new TelemetryError("unreachable", code ? `${code}: ${error.message}` : error.message);
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
