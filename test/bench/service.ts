/**
 * The App as a service (issue #15): a web process and 1, 2 or 4 worker processes on a local Redis,
 * against the tests' fake GitHub over HTTP (25 ms added to each answer, as a round trip to GitHub).
 * 200 webhook deliveries for 50 pull requests (each opened, then pushed to, each delivery redelivered
 * once), four in flight at a time from a process of their own: how fast the web process answers them,
 * and how many reviews per minute each worker completes. Every process competes for the same cores.
 */
import { execFile } from "node:child_process";
import { randomUUID } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { FakeGitHub } from "../github/fake-github/fake-github.ts";
import { type AppProcess, appEnv, exited, startApp } from "../service/app-processes.ts";
import { serveGitHub } from "../service/github-server.ts";
import { manyPulls, outcome } from "../service/pulls.ts";
import { startRedis } from "../service/redis-server.ts";

const LATENCY_MS = 25;
const SENDER = new URL("./send-webhooks.ts", import.meta.url).pathname;

/** The answers' times, measured by a process of their own (this one serves GitHub). */
async function send(web: AppProcess, deliveries: object[]): Promise<number[]> {
  const dir = mkdtempSync(join(tmpdir(), "greenops-bench-"));
  try {
    writeFileSync(join(dir, "deliveries.json"), JSON.stringify(deliveries));
    const { stdout } = await promisify(execFile)(
      process.execPath,
      [SENDER, join(dir, "deliveries.json"), String(web.port)],
      {
        maxBuffer: 16 * 2 ** 20,
      },
    );
    const answers = JSON.parse(stdout) as { status: number; milliseconds: number }[];
    const refused = answers.find((a) => a.status !== 200);
    if (refused) throw new Error(`a webhook was answered ${refused.status}`);
    return answers.map((a) => a.milliseconds);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

type Run = { workers: number; p50: number; p95: number; max: number; reviews: number; seconds: number };

async function run(redisUrl: string, workers: number): Promise<Run> {
  const github = new FakeGitHub();
  const server = await serveGitHub(github, LATENCY_MS);
  const env = appEnv(server.host, redisUrl, `bench${randomUUID().slice(0, 8)}`);
  const apps: AppProcess[] = [];
  try {
    apps.push(await startApp(env, "web"));
    for (let i = 0; i < workers; i++) apps.push(await startApp(env, "worker"));
    const [web] = apps as [AppProcess];
    const pulls = manyPulls(github, 50, () => 2);
    const deliveries = pulls.flatMap((p) => p.deliveries.flatMap((d) => [d, d]));
    const started = performance.now();
    const answers = await send(web, deliveries);
    while (!pulls.every((p) => outcome(github, p).comments.length > 0 && outcome(github, p).open === 0))
      await new Promise((resolve) => setTimeout(resolve, 50));
    const seconds = (performance.now() - started) / 1000;
    github.assertClean();
    const sorted = answers.sort((a, b) => a - b);
    return {
      workers,
      p50: sorted[Math.floor(sorted.length * 0.5)] as number,
      p95: sorted[Math.floor(sorted.length * 0.95)] as number,
      max: sorted.at(-1) as number,
      reviews: github.checkRuns.filter((r) => r.status === "completed").length,
      seconds,
    };
  } finally {
    for (const app of apps) app.child.kill("SIGTERM");
    await Promise.all(apps.map(exited));
    await server.close();
  }
}

export async function serviceFigures(): Promise<[string, string, string, boolean][]> {
  const redis = await startRedis();
  try {
    const rows: [string, string, string, boolean][] = [];
    for (const workers of [1, 2, 4]) {
      const figures = await run(redis.url, workers);
      const perWorker = (figures.reviews / figures.seconds) * 60;
      if (workers === 2) {
        rows.unshift(
          ["webhook answered, p95 (200)", `${figures.p95.toFixed(0)} ms`, "< 100 ms", figures.p95 < 100],
          ["  median", `${figures.p50.toFixed(0)} ms`, "", true],
          ["  slowest", `${figures.max.toFixed(0)} ms`, "", true],
        );
      }
      rows.push([
        `reviews/min/worker, ${workers} worker${workers > 1 ? "s" : ""}`,
        `${(perWorker / workers).toFixed(0)}`,
        `${figures.reviews} in ${figures.seconds.toFixed(1)} s`,
        true,
      ]);
    }
    return rows;
  } finally {
    await redis.stop();
  }
}
