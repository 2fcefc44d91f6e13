import { withoutSecrets } from "../config/operator-secrets.ts";
import { ArgoCdError, errorFromResponse, networkError } from "./errors.ts";
import type { ArgoCdServer } from "./server.ts";
import { type LiveApplication, liveApplication } from "./types.ts";

const TIMEOUT_MS = 30_000;
const MAX_LINE_BYTES = 16 * 2 ** 20;

export type ClientOptions = { timeoutMs?: number; fetch?: typeof fetch };

/** Which Application: its name, and its namespace when Applications live outside ArgoCD's own. */
export type AppName = { name: string; namespace?: string | undefined };

/**
 * ArgoCD's REST API (argo-cd v3.5.1), the few operations GreenOps needs, with plain `fetch`: the bearer
 * token on every request and only to the configured server, `Content-Type: application/json` exactly
 * on writes (ArgoCD answers 415 otherwise), errors turned into {@link ArgoCdError}s that say what to do.
 * Nothing is retried here: callers decide (the watch loop waits a poll interval, refusals are final).
 */
export class ArgoCdClient {
  readonly server: string;
  readonly #token: string;
  readonly #timeoutMs: number;
  readonly #fetch: typeof fetch;
  /** Requests made, as `METHOD path`: what the tests and the benchmark count. */
  readonly requests: string[] = [];

  constructor(server: ArgoCdServer, options: ClientOptions = {}) {
    this.server = server.url;
    this.#token = server.token;
    this.#timeoutMs = options.timeoutMs ?? TIMEOUT_MS;
    this.#fetch = options.fetch ?? fetch;
  }

  /** Every Application the token may see (ApplicationSet-generated ones included). */
  async applications(): Promise<LiveApplication[]> {
    const body = (await this.#json("GET", "/api/v1/applications", "listing Applications")) as {
      items?: unknown[] | null;
    };
    return (body.items ?? []).flatMap((item) => liveApplication(item) ?? []);
  }

  async application(app: AppName): Promise<LiveApplication> {
    const path = `/api/v1/applications/${encodeURIComponent(app.name)}${namespaceQuery(app)}`;
    return this.#application(await this.#json("GET", path, `reading Application ${app.name}`), app);
  }

  /**
   * The manifests ArgoCD's repo-server renders for the Application at `revision` (its target revision
   * when undefined): `{"manifests": ["<JSON object>", …]}`.
   */
  async manifests(app: AppName, revision: string | undefined): Promise<string[]> {
    const query = new URLSearchParams();
    if (revision) query.set("revision", revision);
    if (app.namespace) query.set("appNamespace", app.namespace);
    const path = `/api/v1/applications/${encodeURIComponent(app.name)}/manifests${query.size ? `?${query}` : ""}`;
    const body = (await this.#json("GET", path, `reading the manifests of Application ${app.name}`)) as {
      manifests?: unknown;
    };
    return Array.isArray(body.manifests)
      ? body.manifests.filter((m): m is string => typeof m === "string")
      : [];
  }

  /** Asks ArgoCD to sync the Application to `revision`: never pruning, never forcing. */
  async sync(app: AppName, revision: string): Promise<LiveApplication> {
    const body = {
      revision,
      prune: false,
      dryRun: false,
      ...(app.namespace ? { appNamespace: app.namespace } : {}),
    };
    const path = `/api/v1/applications/${encodeURIComponent(app.name)}/sync`;
    return this.#application(await this.#json("POST", path, `syncing Application ${app.name}`, body), app);
  }

  /**
   * The Application's watch stream: its state at once, then every change, one JSON object per line
   * (`{"result": {"type", "application"}}`), until ArgoCD or `signal` ends it.
   */
  async *watch(app: AppName, signal: AbortSignal): AsyncGenerator<LiveApplication> {
    const query = new URLSearchParams({ name: app.name });
    if (app.namespace) query.set("appNamespace", app.namespace);
    const what = `watching Application ${app.name}`;
    const response = await this.#send("GET", `/api/v1/stream/applications?${query}`, what, undefined, signal);
    if (!response.body) return;
    try {
      for await (const line of lines(response.body)) {
        if (line.trim() === "") continue;
        const event = parseLine(line, what) as {
          result?: { application?: unknown };
          error?: { http_code?: number; message?: string };
        };
        if (event.error) throw this.#refused(what, event.error.http_code ?? 500, JSON.stringify(event.error));
        const application = liveApplication(event.result?.application);
        if (application) yield application;
      }
    } catch (error) {
      if (signal.aborted || error instanceof ArgoCdError) throw error;
      throw networkError(what, error, this.#timeoutMs);
    }
  }

  #application(value: unknown, app: AppName): LiveApplication {
    const application = liveApplication(value);
    if (!application)
      throw new ArgoCdError("invalid", `ArgoCD's answer about ${app.name} has no Application`);
    return application;
  }

  async #json(method: string, path: string, what: string, body?: object): Promise<unknown> {
    const response = await this.#send(method, path, what, body, AbortSignal.timeout(this.#timeoutMs));
    try {
      return await response.json();
    } catch (error) {
      if ((error as Error).name === "TimeoutError") throw networkError(what, error, this.#timeoutMs);
      throw new ArgoCdError("invalid", `${what}: ArgoCD's answer is not JSON`);
    }
  }

  async #send(
    method: string,
    path: string,
    what: string,
    body: object | undefined,
    signal: AbortSignal,
  ): Promise<Response> {
    this.requests.push(`${method} ${path.split("?")[0]}`);
    let response: Response;
    try {
      response = await this.#fetch(`${this.server}${path}`, {
        method,
        headers: {
          authorization: `Bearer ${this.#token}`,
          accept: "application/json",
          ...(body ? { "content-type": "application/json" } : {}),
        },
        ...(body ? { body: JSON.stringify(body) } : {}),
        redirect: "error",
        signal,
      });
    } catch (error) {
      throw networkError(what, error, this.#timeoutMs);
    }
    if (!response.ok) throw this.#refused(what, response.status, await response.text().catch(() => ""));
    return response;
  }

  /** ArgoCD's (or its proxy's) error, without the token should it repeat it. */
  #refused(what: string, status: number, body: string): ArgoCdError {
    return errorFromResponse(what, status, withoutSecrets(body, [this.#token]));
  }
}

function namespaceQuery(app: AppName): string {
  return app.namespace ? `?${new URLSearchParams({ appNamespace: app.namespace })}` : "";
}

function parseLine(line: string, what: string): unknown {
  try {
    return JSON.parse(line);
  } catch {
    throw new ArgoCdError("invalid", `${what}: a line of ArgoCD's stream is not JSON`);
  }
}

/** The stream's lines, as they arrive (a line longer than 16 MB is refused). */
async function* lines(body: ReadableStream<Uint8Array>): AsyncGenerator<string> {
  const decoder = new TextDecoder();
  let pending = "";
  for await (const chunk of body) {
    pending += decoder.decode(chunk, { stream: true });
    let end = pending.indexOf("\n");
    while (end >= 0) {
      yield pending.slice(0, end);
      pending = pending.slice(end + 1);
      end = pending.indexOf("\n");
    }
    if (pending.length > MAX_LINE_BYTES)
      throw new ArgoCdError("invalid", "a line of ArgoCD's stream is too long");
  }
  if (pending.trim()) yield pending;
}
