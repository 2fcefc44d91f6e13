/**
 * The App as a service (issue #15): a web process and 1, 2 or 4 worker processes on a local Redis,
 * against the tests' fake GitHub over HTTP (25 ms added to each answer, as a round trip to GitHub).
 * 200 webhook deliveries for 50 pull requests (each opened, then pushed to, each delivery redelivered
 * once), four in flight at a time: how fast the web process answers them, and how many reviews per
 * minute each worker completes. Every process competes for the same cores as the fake GitHub.
 */
import { randomUUID } from "node:crypto";
import { FakeGitHub } from "../github/fake-github/fake-github.ts";
import { type AppProcess, appEnv, exited, postWebhook, startApp } from "../service/app-processes.ts";
import { serveGitHub } from "../service/github-server.ts";
import { manyPulls, outcome } from "../service/pulls.ts";
import { startRedis } from "../service/redis-server.ts";

const LATENCY_MS = 25;

type Run = { workers: number; p95: number; max: number; reviews: number; seconds: number };

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
    const answers: number[] = [];
    for (let i = 0; i < deliveries.length; i += 4) {
      const batch = deliveries.slice(i, i + 4).map((d) => postWebhook(web, d.name, d.id, d.payload));
      for (const answer of await Promise.all(batch)) {
        if (answer.status !== 200) throw new Error(`a webhook was answered ${answer.status}`);
        answers.push(answer.milliseconds);
      }
    }
    while (!pulls.every((p) => outcome(github, p).comments.length > 0 && outcome(github, p).open === 0))
      await new Promise((resolve) => setTimeout(resolve, 50));
    const seconds = (performance.now() - started) / 1000;
    github.assertClean();
    const sorted = answers.sort((a, b) => a - b);
    return {
      workers,
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
