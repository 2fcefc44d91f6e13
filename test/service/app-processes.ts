import { type ChildProcess, spawn } from "node:child_process";
import { createHmac, generateKeyPairSync } from "node:crypto";
import { freePort } from "../helpers/processes.ts";

const ENTRY = new URL("./app-process.ts", import.meta.url).pathname;
export const SECRET = "greenops-test-secret";

const { privateKey } = generateKeyPairSync("rsa", {
  modulusLength: 2048,
  privateKeyEncoding: { type: "pkcs1", format: "pem" },
  publicKeyEncoding: { type: "spki", format: "pem" },
});

export type AppProcess = {
  role: string;
  port: number;
  child: ChildProcess;
  logs: Record<string, unknown>[];
  /** Once the process has exited and its output is read to the end. */
  closed: Promise<void>;
};

/** The environment every App process of one test shares: its GitHub, its Redis and its queue's prefix. */
export function appEnv(github: string, redisUrl: string, prefix: string): Record<string, string> {
  return {
    PATH: process.env.PATH ?? "",
    NODE_ENV: "production",
    APP_ID: "1",
    PRIVATE_KEY: privateKey,
    WEBHOOK_SECRET: SECRET,
    GHE_HOST: github,
    GHE_PROTOCOL: "http",
    REDIS_URL: redisUrl,
    GREENOPS_QUEUE_PREFIX: prefix,
    HOST: "127.0.0.1",
    LOG_FORMAT: "json",
    LOG_LEVEL: "info",
    SOURCE_DATE_EPOCH: process.env.SOURCE_DATE_EPOCH ?? "",
  };
}

/** Starts `npm start`'s entry in a role; resolves once it answers /healthz. */
export async function startApp(env: Record<string, string>, role: string): Promise<AppProcess> {
  const port = await freePort();
  const child = spawn(process.execPath, [ENTRY], {
    env: { ...env, GREENOPS_ROLE: role, PORT: String(port) },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const logs: Record<string, unknown>[] = [];
  const closed = new Promise<void>((resolve) => child.once("close", () => resolve()));
  let rest = "";
  child.stdout?.on("data", (chunk: Buffer) => {
    const lines = (rest + chunk.toString()).split("\n");
    rest = lines.pop() ?? "";
    for (const line of lines) if (line.startsWith("{")) logs.push(JSON.parse(line));
  });
  let errors = "";
  child.stderr?.on("data", (chunk: Buffer) => {
    errors += chunk.toString();
  });
  for (let i = 0; ; i++) {
    if (child.exitCode !== null)
      throw new Error(`the ${role} process exited with ${child.exitCode}: ${errors}`);
    try {
      if ((await fetch(`http://127.0.0.1:${port}/healthz`)).ok) break;
    } catch {
      // not listening yet
    }
    if (i > 600) throw new Error(`the ${role} process did not answer /healthz in 60 s: ${errors}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return { role, port, child, logs, closed };
}

/** Resolves when the process has exited (after a signal). */
/** Once the process has exited and its last log lines are read ('exit' may come before them). */
export function exited(app: AppProcess): Promise<void> {
  return app.closed;
}

/** Posts a webhook as GitHub does (signed); resolves with the answer's status and how long it took. */
export async function postWebhook(
  web: AppProcess,
  name: string,
  id: string,
  payload: object,
): Promise<{ status: number; milliseconds: number }> {
  const body = JSON.stringify(payload);
  const started = performance.now();
  const response = await fetch(`http://127.0.0.1:${web.port}/api/github/webhooks`, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      "x-github-event": name,
      "x-github-delivery": id,
      "x-hub-signature-256": `sha256=${createHmac("sha256", SECRET).update(body).digest("hex")}`,
    },
    body,
  });
  await response.text();
  return { status: response.status, milliseconds: performance.now() - started };
}

export async function metricsOf(app: AppProcess): Promise<string> {
  return (await fetch(`http://127.0.0.1:${app.port}/metrics`)).text();
}
