import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { type AppSpec, applicationObject, type Json } from "./applications.ts";
import { type ArgoRoute, requestErrors, responseErrors, route } from "./swagger.ts";
import { type Outcome, requestSync, type Step, timeline } from "./timeline.ts";

/** A JWT-shaped API token (Argo CD ignores a bearer token that is not a JWT). */
export const ARGO_TOKEN =
  "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJpc3MiOiJhcmdvY2QiLCJzdWIiOiJncmVlbm9wczphcGlLZXkifQ.c2lnbmF0dXJl";

export type Logged = { method: string; path: string; template: string; authorization: string | undefined };

type App = {
  object: Json;
  automated: boolean;
  armed?: { refresh: Step; deploy: Step[] };
  watchers: Set<(type: string) => void>;
};

type Answer = [number, Json];

type Fault = { method: string; template: string; status: number; body: Json; times: number };

/**
 * Argo CD's API server, on 127.0.0.1: every request checked against Argo CD v3.5.1's swagger (path,
 * query, body) and against what the real server insists on (`Authorization: Bearer <jwt>` exactly,
 * `Content-Type: application/json` exactly on writes); every answer checked against the swagger too.
 * Applications move through realistic states when a push or a sync reaches them (timeline.ts), one
 * step per tick, and watchers get each change as a line of the watch stream.
 */
export class FakeArgoCd {
  readonly requests: Logged[] = [];
  readonly errors: string[] = [];
  readonly apps = new Map<string, App>();
  /** What the repo-server renders for an Application: JSON texts, one per object. */
  readonly manifests = new Map<string, string[]>();
  readonly #faults: Fault[] = [];
  readonly #server: Server;
  readonly #tickMs: number;
  token = ARGO_TOKEN;
  url = "";

  private constructor(tickMs: number) {
    this.#tickMs = tickMs;
    this.#server = createServer((request, response) => {
      this.#handle(request, response).catch((error: Error) => {
        this.errors.push(`fake ArgoCD failed: ${error.stack}`);
        response.destroy();
      });
    });
  }

  static async start(options: { tickMs?: number } = {}): Promise<FakeArgoCd> {
    const fake = new FakeArgoCd(options.tickMs ?? 10);
    await new Promise<void>((resolve) => fake.#server.listen(0, "127.0.0.1", resolve));
    fake.url = `http://127.0.0.1:${(fake.#server.address() as AddressInfo).port}`;
    return fake;
  }

  add(spec: AppSpec): void {
    this.apps.set(spec.name, {
      object: applicationObject(spec),
      automated: spec.automated ?? false,
      watchers: new Set(),
    });
  }

  /** A push of `revision` reached Argo CD: the Application refreshes when next read, then syncs (by itself, or when asked). */
  willDeploy(name: string, revision: string, outcome: Outcome): void {
    const app = this.#app(name);
    if (!app) throw new Error(`no Application ${name}`);
    app.armed = timeline(revision, outcome, app.automated);
  }

  fail(method: string, template: string, status: number, body: Json, times = 1): void {
    this.#faults.push({ method, template, status, body, times });
  }

  /** Requests to an operation, as `METHOD template`. */
  calls(): string[] {
    return this.requests.map((r) => `${r.method} ${r.template}`);
  }

  assertClean(): void {
    const unused = this.#faults
      .filter((f) => f.times > 0)
      .map((f) => `unused fault: ${f.method} ${f.template}`);
    const problems = [...this.errors, ...unused];
    if (problems.length > 0) throw new Error(`fake ArgoCD:\n${problems.join("\n")}`);
  }

  stop(): Promise<void> {
    this.#server.closeAllConnections();
    return new Promise((resolve) => this.#server.close(() => resolve()));
  }

  async #handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? "/", this.url);
    const method = request.method ?? "GET";
    const text = await body(request);
    const found = route(method, url.pathname);
    const authorization = request.headers.authorization;
    this.requests.push({
      method,
      path: url.pathname,
      template: found?.template ?? url.pathname,
      authorization,
    });
    if (!found)
      return plain(
        response,
        404,
        "404 page not found\n",
        this.errors,
        `${method} ${url.pathname}: no such path`,
      );
    if (method !== "GET" && request.headers["content-type"] !== "application/json")
      return plain(
        response,
        415,
        "Invalid content type",
        this.errors,
        `${method} ${found.template}: Content-Type`,
      );
    let parsed: unknown;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      parsed = undefined;
      this.errors.push(`${method} ${found.template}: the body is not JSON`);
    }
    const invalid = requestErrors(method, found, url.searchParams, parsed);
    if (invalid.length > 0) {
      this.errors.push(`${method} ${found.template}: ${invalid.join("; ")}`);
      return this.#send(response, found, method, ...error(400, 3, invalid.join("; ")));
    }
    if (authorization !== `Bearer ${this.token}`)
      return this.#send(response, found, method, ...error(401, 16, "no session information"));
    const fault = this.#faults.find(
      (f) => f.times > 0 && f.method === method && f.template === found.template,
    );
    if (fault) {
      fault.times--;
      return this.#send(response, found, method, fault.status, fault.body);
    }
    const key = `${method} ${found.template}`;
    if (key === "GET /api/v1/stream/applications")
      return this.#watch(request, response, found, url.searchParams);
    const answer = this.#answer(key, found.params.name ?? "", parsed as Json);
    if (!answer) {
      this.errors.push(`${key}: the fake does not serve this operation`);
      return plain(response, 501, "not implemented", this.errors);
    }
    const [status, data] = answer;
    if (status === 400) this.errors.push(`${key}: ${String(data.message)}`);
    this.#send(response, found, method, status, data);
    if (key === "POST /api/v1/applications/{name}/sync" && status === 200)
      this.#synced(found.params.name ?? "");
  }

  #answer(key: string, name: string, request: Json): Answer | undefined {
    if (key === "GET /api/v1/applications")
      return [
        200,
        { metadata: { resourceVersion: "48215" }, items: [...this.apps.values()].map((a) => a.object) },
      ];
    const served = ["GET /api/v1/applications/{name}", "POST /api/v1/applications/{name}/sync"];
    if (key !== "GET /api/v1/applications/{name}/manifests" && !served.includes(key)) return undefined;
    const app = this.#contact(name);
    if (!app) return error(403, 7, "permission denied");
    if (key.endsWith("/manifests"))
      return [
        200,
        {
          manifests: this.manifests.get(name) ?? [],
          namespace: "shop",
          server: "https://kubernetes.default.svc",
          sourceType: "Helm",
        },
      ];
    if (key.startsWith("GET")) return [200, app.object];
    const phase = ((app.object.status as Json).operationState as Json | undefined)?.phase;
    if (app.object.operation || phase === "Running")
      return error(400, 9, "another operation is already in progress");
    if (app.automated && typeof request.revision === "string")
      return error(400, 9, `Cannot sync to ${request.revision}: auto-sync currently set to main`);
    requestSync(app.object, String(request.revision ?? "HEAD"));
    return [200, app.object];
  }

  /** After a sync request: the controller picks the operation up and deploys. */
  #synced(name: string): void {
    const app = this.#app(name);
    if (!app) return;
    const steps = app.armed?.deploy ?? [];
    delete app.armed;
    this.#play(app, steps);
  }

  #watch(request: IncomingMessage, response: ServerResponse, found: ArgoRoute, query: URLSearchParams): void {
    const app = this.#contact(query.get("name") ?? "");
    if (!app) {
      this.#send(response, found, "GET", ...error(403, 7, "permission denied"));
      return;
    }
    response.writeHead(200, { "content-type": "application/json" });
    const send = (type: string) => {
      const line = { result: { type, application: app.object } };
      for (const problem of responseErrors(found, "GET", 200, line))
        this.errors.push(`stream line: ${problem}`);
      response.write(`${JSON.stringify(line)}\n`);
    };
    send("ADDED");
    app.watchers.add(send);
    request.on("close", () => app.watchers.delete(send));
  }

  /** A request about an Application: an armed one refreshes (and an auto-synced one starts its sync). */
  #contact(name: string): App | undefined {
    const app = this.#app(name);
    if (app?.armed) {
      app.armed.refresh(app.object);
      if (app.automated) {
        this.#play(app, app.armed.deploy);
        delete app.armed;
      } else app.armed = { refresh: () => undefined, deploy: app.armed.deploy };
    }
    return app;
  }

  #play(app: App, steps: Step[]): void {
    const [next, ...rest] = steps;
    if (!next) return;
    setTimeout(() => {
      next(app.object);
      for (const watcher of app.watchers) watcher("MODIFIED");
      this.#play(app, rest);
    }, this.#tickMs).unref();
  }

  #app(name: string): App | undefined {
    return this.apps.get(name);
  }

  #send(response: ServerResponse, found: ArgoRoute, method: string, status: number, data: Json): void {
    for (const problem of responseErrors(found, method, status, data))
      this.errors.push(`${method} ${found.template} answer ${status}: ${problem}`);
    response.writeHead(status, { "content-type": "application/json" });
    response.end(JSON.stringify(data));
  }
}

/** Argo CD's error body: the gRPC code and the message (`runtimeError`). */
function error(status: number, code: number, message: string): Answer {
  return [status, { error: message, code, message }];
}

function body(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    request.on("error", reject);
  });
}

function plain(
  response: ServerResponse,
  status: number,
  text: string,
  errors: string[],
  problem?: string,
): void {
  if (problem) errors.push(problem);
  response.writeHead(status, { "content-type": "text/plain; charset=utf-8" });
  response.end(text);
}
