import { randomUUID } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";
import { Queue } from "bullmq";
import { afterAll, describe, expect, inject, it } from "vitest";
import { ARGO_TOKEN, FakeArgoCd } from "../argocd/fake-argocd/server.ts";
import { FakeGitHub } from "../github/fake-github/fake-github.ts";
import { moreCpu, prodApplication, pushToMain } from "../github/fixture.ts";
import { type AppProcess, appEnv, exited, metricsOf, postWebhook, startApp } from "./app-processes.ts";
import { type GitHubServer, serveGitHub } from "./github-server.ts";
import { baseOf, type Delivery, manyPulls, outcome, type Pull, pushTo } from "./pulls.ts";

const running: AppProcess[] = [];
let server: GitHubServer | undefined;

afterAll(async () => {
  for (const app of running) app.child.kill("SIGKILL");
  await server?.close();
});

function shuffled<T>(items: T[], seed: number): T[] {
  const out = [...items];
  let state = seed;
  for (let i = out.length - 1; i > 0; i--) {
    state = (state * 1103515245 + 12345) % 2 ** 31;
    const j = state % (i + 1);
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}

/** The environment of one test's App processes: its GitHub, the test Redis under a prefix of its own, these settings. */
function onRedis(github: string, settings: Record<string, string>) {
  const prefix = `e2e${randomUUID().slice(0, 8)}`;
  return { prefix, env: { ...appEnv(github, inject("redis").url, prefix), ...settings } };
}

async function start(env: Record<string, string>, role: string): Promise<AppProcess> {
  const app = await startApp(env, role);
  running.push(app);
  return app;
}

/** Each delivery twice (GitHub's redelivery keeps the id), all shuffled, four at a time. */
async function deliver(web: AppProcess, deliveries: Delivery[], seed: number): Promise<number[]> {
  const all = shuffled([...deliveries, ...deliveries], seed);
  const statuses: number[] = [];
  for (let i = 0; i < all.length; i += 4)
    for (const answer of await Promise.all(
      all.slice(i, i + 4).map((d) => postWebhook(web, d.name, d.id, d.payload)),
    ))
      statuses.push(answer.status);
  return statuses;
}

async function until(what: string, done: () => Promise<boolean> | boolean, seconds = 120): Promise<void> {
  for (let i = 0; i < seconds * 10; i++) {
    if (await done()) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`timed out waiting for ${what}`);
}

function settled(github: FakeGitHub, pulls: Pull[]): boolean {
  return pulls.every((pull) => {
    const o = outcome(github, pull);
    return o.open === 0 && o.headChecks.length > 0 && o.comments.length > 0;
  });
}

describe("npm start without REDIS_URL", () => {
  it("answers webhooks and runs their jobs in one process, as before", async () => {
    const github = new FakeGitHub();
    const local = await serveGitHub(github);
    try {
      const { REDIS_URL: _, ...env } = appEnv(local.host, "", "unused");
      const app = await start(env, "all");
      const [pull] = manyPulls(github, 1, () => 1) as [Pull];
      const delivery = pull.deliveries[0] as Delivery;
      expect((await postWebhook(app, delivery.name, delivery.id, delivery.payload)).status).toBe(200);
      await until("the review", () => settled(github, [pull]), 30);
      expect(outcome(github, pull)).toEqual({ headChecks: ["completed"], open: 0, comments: [true] });
      // The job is counted when its handler returns, a moment after its last write to GitHub.
      const finished = 'greenops_jobs_finished_total{kind="review",outcome="reviewed"} 1';
      await until("the job counted", async () => (await metricsOf(app)).includes(finished), 10);
      app.child.kill("SIGTERM");
      await exited(app);
      expect(app.child.exitCode).toBe(0);
      github.assertClean();
    } finally {
      await local.close();
    }
  }, 60_000);
});

describe("the App as web and worker processes on one Redis", () => {
  it("20 pull requests, redelivered and shuffled, a worker killed mid-review, then every process restarted: nothing lost, nothing twice", async () => {
    const github = new FakeGitHub();
    server = await serveGitHub(github, 15);
    const { prefix, env } = onRedis(server.host, {
      GREENOPS_CONCURRENCY: "2",
      GREENOPS_JOB_LOCK_SECONDS: "5",
      GREENOPS_JOB_BACKOFF_SECONDS: "1",
      GREENOPS_SHUTDOWN_SECONDS: "1",
    });
    const queue = new Queue("greenops-jobs", { connection: { url: inject("redis").url }, prefix });
    try {
      const pulls = manyPulls(github, 20, (i) => (i % 2 === 0 ? 2 : 1));
      const [web, doomed, survivor] = await Promise.all([
        start(env, "web"),
        start(env, "worker"),
        start(env, "worker"),
      ]);
      const statuses = await deliver(
        web,
        pulls.flatMap((p) => p.deliveries),
        7,
      );
      expect(statuses.every((s) => s === 200)).toBe(true);
      // kill -9 a worker while it holds a review. It is stopped first and asked again: a review seen
      // running could end (and the test then prove nothing) between the look and the kill.
      let held: string[] = [];
      const holdsReview = async () => {
        const active = await queue.getActive();
        held = active
          .filter((job) => job.processedBy?.endsWith(`:${doomed.child.pid}`))
          .map((job) => job.id ?? "");
        return held.length > 0;
      };
      await until("a review held by the doomed worker, stopped", async () => {
        if (!(await holdsReview())) return false;
        doomed.child.kill("SIGSTOP");
        await sleep(300); // what it had sent to Redis before it stopped is answered
        if (await holdsReview()) return true;
        doomed.child.kill("SIGCONT");
        return false;
      });
      doomed.child.kill("SIGKILL");
      await until("every pull request reviewed", () => settled(github, pulls));
      // A job the killed worker held may be one another job of its pull request superseded, so the pull
      // requests can be settled before its lock expires and the survivor takes it over.
      await until("the killed worker's jobs completed elsewhere", async () =>
        (await Promise.all(held.map((id) => queue.getJobState(id)))).every((state) => state === "completed"),
      );
      const taken = await Promise.all(held.map(async (id) => (await queue.getJob(id))?.stalledCounter));
      expect(held.length).toBeGreaterThan(0);
      expect(
        taken.every((stalls) => (stalls ?? 0) > 0),
        "jobs taken over from the killed worker",
      ).toBe(true);
      for (const pull of pulls) {
        expect(outcome(github, pull), `#${pull.number}`).toEqual({
          headChecks: ["completed"],
          open: 0,
          comments: [true],
        });
      }
      const webMetrics = await metricsOf(web);
      expect(webMetrics).toContain('greenops_webhooks_received_total{event="pull_request.opened"} 40');
      expect(webMetrics).toContain('greenops_webhooks_received_total{event="pull_request.synchronize"} 20');
      const workerMetrics = await metricsOf(survivor);
      expect(workerMetrics).toMatch(/greenops_jobs_finished_total\{kind="review",outcome="reviewed"\} \d+/);
      expect(workerMetrics).toMatch(
        /greenops_github_rate_limit_remaining\{installation="1",resource="core"\} \d+/,
      );
      expect(survivor.logs.some((l) => l.msg === "GreenOps run" && l.delivery && l.job && l.pull)).toBe(true);

      // a push to every pull request; every process stopped (SIGTERM) while reviews run, then started again
      const base = baseOf(github);
      for (const pull of pulls) pushTo(github, pull, base);
      const second = await start(env, "worker");
      server.latencyMs = 300; // reviews now outlast the 1 s shutdown grace
      await deliver(
        web,
        pulls.map((p) => p.deliveries.at(-1) as Delivery),
        11,
      );
      await until("a review running", async () => (await queue.getActive()).length > 0);
      const stopping = [web, survivor, second];
      for (const app of stopping) app.child.kill("SIGTERM");
      await Promise.all(stopping.map(exited));
      expect(stopping.map((app) => app.child.exitCode)).toEqual([0, 0, 0]);
      const returned = [survivor, second]
        .flatMap((app) => app.logs)
        .filter((l) => /returned a running job/.test(String(l.msg)));
      expect(returned.length, "jobs returned at shutdown").toBeGreaterThan(0);
      server.latencyMs = 15;
      await Promise.all([start(env, "web"), start(env, "worker"), start(env, "worker")]);
      await until("every new head reviewed after the restart", () => settled(github, pulls));
      for (const pull of pulls) {
        expect(outcome(github, pull), `#${pull.number}`).toEqual({
          headChecks: ["completed"],
          open: 0,
          comments: [true],
        });
      }
      github.assertClean();
    } finally {
      await queue.close();
    }
  }, 240_000);
});

describe("a job that kills every worker running it", () => {
  it("is given up after its third worker dies, and its check says so", async () => {
    const github = new FakeGitHub();
    const slow = await serveGitHub(github, 300); // a review takes seconds: time to kill its worker
    const { prefix, env } = onRedis(slow.host, {
      GREENOPS_CONCURRENCY: "1",
      // Long enough that a live worker on a loaded machine keeps its lock: the three stalls are deaths.
      GREENOPS_JOB_LOCK_SECONDS: "4",
      GREENOPS_JOB_BACKOFF_SECONDS: "1",
    });
    const queue = new Queue("greenops-jobs", { connection: { url: inject("redis").url }, prefix });
    try {
      const [pull] = manyPulls(github, 1, () => 1) as [Pull];
      const web = await start(env, "web");
      const delivery = pull.deliveries[0] as Delivery;
      expect((await postWebhook(web, delivery.name, delivery.id, delivery.payload)).status).toBe(200);
      for (let death = 1; death <= 3; death++) {
        const worker = await start(env, "worker");
        // killed once it holds the job, the first one once it has opened the check and saved its id
        await until(`try ${death} running`, async () =>
          (await queue.getActive()).some(
            (job) => job.processedBy?.endsWith(`:${worker.child.pid}`) && job.data.check !== undefined,
          ),
        );
        worker.child.kill("SIGKILL");
        await exited(worker);
      }
      const last = await start(env, "worker");
      await until("the check completed", () => github.checkRuns[0]?.status === "completed");
      expect(github.checkRuns).toHaveLength(1);
      const [run] = github.checkRuns;
      expect(run).toMatchObject({ conclusion: "failure", output: { title: "GreenOps could not run" } });
      expect(run?.output.summary).toBe(
        "GreenOps could not run: the worker running it stopped 3 times.\n\nRe-run the check, or comment `/greenops recheck`.",
      );
      expect(github.comments).toEqual([]);
      // The job is marked completed once its give-up handler returns, a moment after the check.
      await until("the job completed", async () => (await queue.getCompleted()).length > 0, 10);
      const [job] = await queue.getCompleted();
      expect(job?.stalledCounter).toBe(3);
      expect(await metricsOf(last)).toContain(
        'greenops_jobs_finished_total{kind="review",outcome="failed"} 1',
      );
      github.assertClean();
    } finally {
      await queue.close();
      await slow.close();
    }
  }, 180_000);
});

describe("a deployment report across replicas and a worker's death", () => {
  it("a push delivered to two web processes gets one GreenOps deploy check; a worker killed while it watches ArgoCD, the next one completes that check", async () => {
    const github = new FakeGitHub();
    const local = await serveGitHub(github);
    const argo = await FakeArgoCd.start();
    const { prefix, env } = onRedis(local.host, {
      // Long enough that a worker busy starting the job on a loaded machine keeps its lock: one stall only.
      GREENOPS_JOB_LOCK_SECONDS: "4",
      GREENOPS_JOB_BACKOFF_SECONDS: "1",
      ARGOCD_SERVER: argo.url,
      ARGOCD_AUTH_TOKEN: ARGO_TOKEN,
    });
    const queue = new Queue("greenops-jobs", { connection: { url: inject("redis").url }, prefix });
    try {
      argo.add(prodApplication(true));
      const pushed = pushToMain(github, moreCpu());
      const [web1, web2, doomed] = await Promise.all([
        start(env, "web"),
        start(env, "web"),
        start(env, "worker"),
      ]);
      // GitHub's redelivery keeps the delivery's id; each web process answers it
      for (const web of [web1, web2])
        expect((await postWebhook(web, "push", "7c4b1f3e-push", pushed.payload)).status).toBe(200);
      // Its log line comes through a pipe, and may arrive after the answer.
      const duplicate = () => web2.logs.filter((l) => l.msg === "job already queued or running");
      await until("web2 logging the duplicate", () => duplicate().length > 0, 10);
      expect(duplicate()).toHaveLength(1);
      // ArgoCD has not deployed the commit yet: the worker watches, its check in progress
      await until("the worker watching ArgoCD", () =>
        String(github.checkRuns[0]?.output.title).startsWith("Watching"),
      );
      doomed.child.kill("SIGKILL");
      await exited(doomed);
      argo.willDeploy("shop-prod", pushed.after, "healthy");
      await start(env, "worker");
      await until("the check completed", () => github.checkRuns[0]?.status === "completed");
      expect(github.checkRuns.map((r) => [r.name, r.head_sha, r.status, r.conclusion])).toEqual([
        ["GreenOps deploy", pushed.after, "completed", "success"],
      ]);
      await until("the job completed", async () => (await queue.getCompleted()).length > 0, 10);
      const [job] = await queue.getCompleted();
      expect(job?.stalledCounter).toBe(1);
      github.assertClean();
      argo.assertClean();
    } finally {
      await queue.close();
      await argo.stop();
      await local.close();
    }
  }, 120_000);
});
