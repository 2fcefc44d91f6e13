import { randomUUID } from "node:crypto";
import { Queue } from "bullmq";
import { Redis } from "ioredis";
import { afterEach, describe, expect, inject, it } from "vitest";
import type { Finding } from "../../app/engine/finding.ts";
import type { QueueFactory } from "../../app/github/index.ts";
import type { Job } from "../../app/github/jobs.ts";
import { RedisQueue, type RedisQueueOptions } from "../../app/service/redis-queue.ts";
import { ARGO_TOKEN, FakeArgoCd } from "../argocd/fake-argocd/server.ts";
import { FakeGitHub } from "../github/fake-github/fake-github.ts";
import { findingOn } from "../github/findings.ts";
import {
  environmentFiles,
  moreCpu,
  opened,
  openPull,
  prodApplication,
  push,
  pushToMain,
  synchronize,
} from "../github/fixture.ts";
import { type Harness, harness } from "../github/harness.ts";

const apps: Harness[] = [];

afterEach(async () => {
  await Promise.all(apps.splice(0).map((h) => h.app.close()));
});

/** The durable queue on the test Redis, under a prefix of its own (so tests never see each other's jobs). */
function durable(prefix: string, work: boolean, options: Partial<RedisQueueOptions> = {}): QueueFactory {
  return (handlers, rules, log) =>
    new RedisQueue<Job>(handlers, rules, {
      url: inject("redis").url,
      prefix,
      work,
      concurrency: 2,
      retry: { attempts: 3, backoffMs: 50 },
      lockMs: 2000,
      shutdownMs: 1000,
      workerName: `test-${work ? "worker" : "web"}`,
      warn: (message, error) => log.warn({ err: error }, message),
      ...options,
    });
}

async function app(
  github: FakeGitHub,
  queue: QueueFactory,
  env: Record<string, string> = {},
): Promise<Harness> {
  const h = await harness({ github, queue, env });
  apps.push(h);
  return h;
}

/** The jobs of one kind in the test Redis under `prefix`, whatever their state. */
async function jobsOf(prefix: string, kind: string): Promise<Job[]> {
  const queue = new Queue("greenops-jobs", { connection: { url: inject("redis").url }, prefix });
  try {
    const jobs = await queue.getJobs(["waiting", "active", "delayed", "completed", "failed"]);
    return jobs.map((job) => job.data as Job).filter((job) => job.kind === kind);
  } finally {
    await queue.close();
  }
}

describe("the durable queue (BullMQ on Redis)", () => {
  it("keeps the webhook's job in Redis; a worker runs it", async () => {
    const prefix = `t${randomUUID()}`;
    const h = await app(new FakeGitHub(), durable(prefix, true));
    await h.deliver("pull_request", opened(openPull(h.github, moreCpu())));
    expect(h.github.checkRuns).toHaveLength(1);
    expect(h.github.checkRuns[0]).toMatchObject({ status: "completed", conclusion: "success" });
    expect(h.github.comments).toHaveLength(1);
    const run = h.logs.find((l) => l.msg === "GreenOps run");
    expect(run).toMatchObject({ pull: "Codertocat/Hello-World#7", outcome: "reviewed", try: 1 });
    expect(String(run?.job)).toMatch(/^j[0-9a-f]{32}$/);
    expect(run?.delivery).toBeTypeOf("string");
    h.github.assertClean();
  });

  it("adds one job for a head, whatever the redeliveries and replicas", async () => {
    const prefix = `t${randomUUID()}`;
    const github = new FakeGitHub();
    const [web1, web2] = [
      await app(github, durable(prefix, false)),
      await app(github, durable(prefix, false)),
    ];
    const scenario = openPull(github, moreCpu());
    const payload = opened(scenario);
    await web1.probot.receive({ id: "delivery-1", name: "pull_request", payload } as never);
    await web2.probot.receive({ id: "delivery-1", name: "pull_request", payload } as never);
    await web2.probot.receive({ id: "delivery-2", name: "pull_request", payload } as never);
    expect(web2.logs.filter((l) => l.msg === "job already queued or running")).toHaveLength(2);
    const worker = await app(github, durable(prefix, true));
    await web1.app.idle();
    expect(github.checkRuns).toHaveLength(1);
    expect(github.checkRuns[0]?.status).toBe("completed");
    expect(worker.logs.filter((l) => l.msg === "GreenOps run")).toHaveLength(1);
    github.assertClean();
  });

  it("skips a waiting review once a newer push is queued, even when the older push's webhook comes last", async () => {
    const prefix = `t${randomUUID()}`;
    const github = new FakeGitHub();
    const web = await app(github, durable(prefix, false));
    const first = openPull(github, moreCpu());
    const second = push(github, first, moreCpu("1"));
    const later = (payload: ReturnType<typeof opened>, seconds: number) => {
      payload.pull_request.updated_at = new Date(Date.UTC(2026, 10, 1, 12, 0, seconds)).toISOString();
      return payload;
    };
    await web.probot.receive({
      id: "d-2",
      name: "pull_request",
      payload: later(synchronize(second), 2),
    } as never);
    await web.probot.receive({ id: "d-1", name: "pull_request", payload: later(opened(first), 1) } as never);
    const worker = await app(github, durable(prefix, true));
    await web.app.idle();
    expect(github.checkRuns.map((r) => [r.head_sha, r.status])).toEqual([[second.head, "completed"]]);
    expect(github.comments[0]?.body).toContain(`head=${second.head}`);
    const { body } = await worker.app.metrics.text();
    expect(body).toContain('greenops_jobs_finished_total{kind="review",outcome="superseded"} 1');
    github.assertClean();
  });

  it("retries a review that died between annotation batches: the check gets each annotation once", async () => {
    const template = environmentFiles()["environments/prod/shop/worker.yaml"] as string;
    const files: Record<string, string> = {};
    for (let i = 0; i < 120; i++)
      files[`environments/prod/gen/w${i}.yaml`] = template.replaceAll("worker", `worker-${i}`);
    const findings = () =>
      Object.entries(files).map(
        ([path, text], i): Finding =>
          findingOn(path, text, "replicas:", {
            policy: "replicas-cap",
            severity: i % 2 ? "warning" : "notice",
            message: `finding ${i}`,
          }),
      );
    const h = await harness({ github: new FakeGitHub(), queue: durable(`t${randomUUID()}`, true), findings });
    apps.push(h);
    // the first try writes two batches of 50, then GitHub's answer to the third update never comes
    h.github.failAfter(2, "PATCH", "/repos/{owner}/{repo}/check-runs/{check_run_id}", 502, {
      message: "Server Error",
    });
    await h.deliver("pull_request", opened(openPull(h.github, files)));
    const [run, ...others] = h.github.checkRuns;
    expect(others).toEqual([]);
    expect(run).toMatchObject({ status: "completed", conclusion: "success" });
    expect(run?.annotations).toHaveLength(120);
    expect(new Set(run?.annotations.map((a) => a.path)).size).toBe(120);
    expect(h.logs.filter((l) => l.msg === "GreenOps run").map((l) => [l.try, l.outcome])).toEqual([
      [1, "retrying"],
      [2, "reviewed"],
    ]);
    const calls = h.github.calls().map((c) => `${c.method} ${c.template} ${c.status}`);
    expect(calls.filter((c) => c.includes("/annotations"))).toEqual([
      "GET /repos/{owner}/{repo}/check-runs/{check_run_id}/annotations 200",
    ]);
    expect(run?.annotationRequests).toBe(3);
    h.github.assertClean();
  });

  it("opens one deploy check for a push delivered to two web replicas: the worker's job opens it and concludes it", async () => {
    const argo = await FakeArgoCd.start();
    try {
      const prefix = `t${randomUUID()}`;
      const github = new FakeGitHub();
      const env = { ARGOCD_SERVER: argo.url, ARGOCD_AUTH_TOKEN: ARGO_TOKEN };
      const [web1, web2] = [
        await app(github, durable(prefix, false), env),
        await app(github, durable(prefix, false), env),
      ];
      argo.add(prodApplication(true));
      const pushed = pushToMain(github, moreCpu());
      argo.willDeploy("shop-prod", pushed.after, "healthy");
      const delivery = { id: "push-1", name: "push", payload: pushed.payload } as never;
      await web1.probot.receive(delivery);
      await web2.probot.receive(delivery);
      expect(github.checkRuns).toEqual([]);
      expect(web2.logs.filter((l) => l.msg === "job already queued or running")).toHaveLength(1);
      const worker = await app(github, durable(prefix, true), env);
      await web1.app.idle();
      expect(github.checkRuns.map((r) => [r.name, r.head_sha, r.status, r.conclusion])).toEqual([
        ["GreenOps deploy", pushed.after, "completed", "success"],
      ]);
      expect(worker.logs.filter((l) => l.msg === "GreenOps run")).toMatchObject([
        { kind: "deploy", outcome: "success", try: 1 },
      ]);
      github.assertClean();
      argo.assertClean();
    } finally {
      await argo.stop();
    }
  });

  it("scans each repository once per interval of the schedule, however many replicas push it and whenever they start", async () => {
    const prefix = `t${randomUUID()}`;
    const github = new FakeGitHub();
    github.branch("main", github.commit(undefined, { "README.md": "# shop\n" }));
    const replica = async () => {
      const h = await app(github, durable(prefix, false), { GREENOPS_SCAN_INTERVAL: "24h" });
      const schedule = h.app.schedule();
      if (!schedule) throw new Error("no schedule");
      schedule.stop();
      return { h, schedule };
    };
    const [a, b] = [await replica(), await replica()];
    const day = Date.parse("2026-11-20T00:00:00Z");
    const hours = (n: number) => day + n * 3600_000;
    const together = await Promise.all([a.schedule.due(hours(6)), b.schedule.due(hours(6))]);
    expect(together.sort()).toEqual([0, 1]);
    expect(await b.schedule.due(hours(7))).toBe(0);
    expect(await jobsOf(prefix, "scan")).toHaveLength(1);
    const worker = await app(github, durable(prefix, true));
    await Promise.all([a.h.app.idle(), b.h.app.idle()]);
    // a replica starting later in the same interval, after the scan ran
    const late = await replica();
    expect(await late.schedule.due(hours(20))).toBe(0);
    expect(await jobsOf(prefix, "scan")).toHaveLength(1);
    // the next interval: one more
    expect(await a.schedule.due(hours(24))).toBe(1);
    expect(await late.schedule.due(hours(25))).toBe(0);
    await a.h.app.idle();
    const intervals = (await jobsOf(prefix, "scan")).map((job) => job.kind === "scan" && job.interval);
    expect(intervals.sort((x, y) => (x ? x.start : 0) - (y ? y.start : 0))).toEqual([
      { start: day, end: hours(24) },
      { start: hours(24), end: hours(48) },
    ]);
    const runs = worker.logs.filter((l) => l.msg === "GreenOps run").map((l) => [l.kind, l.outcome]);
    const scanned = ["scan", expect.stringMatching(/^scanned [0-9a-f]{7} \(schedule\): no environment$/)];
    expect(runs).toEqual([scanned, scanned]);
    github.assertClean();
  });

  it("counts waiting, running and failed jobs from Redis", async () => {
    const prefix = `t${randomUUID()}`;
    const web = await app(new FakeGitHub(), durable(prefix, false));
    await web.probot.receive({
      id: "d-1",
      name: "pull_request",
      payload: opened(openPull(web.github, moreCpu())),
    } as never);
    const { body } = await web.app.metrics.text();
    expect(body).toContain('greenops_jobs{state="waiting"} 1');
    expect(body).toContain('greenops_jobs{state="running"} 0');
    const redis = new Redis(inject("redis").url);
    try {
      expect(await redis.keys(`${prefix}:*`)).not.toEqual([]);
    } finally {
      redis.disconnect();
    }
  });
});
