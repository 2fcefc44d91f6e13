import { spawnSync } from "node:child_process";
import { availableParallelism } from "node:os";
import { describe, expect, it } from "vitest";
import { serviceSettings } from "../../app/service/settings.ts";

const MAIN = new URL("../../app/github/main.ts", import.meta.url).pathname;

describe("the service's settings", () => {
  it("defaults to one process doing everything, in memory, a job per core", () => {
    expect(serviceSettings({})).toMatchObject({
      role: "all",
      redisUrl: undefined,
      concurrency: availableParallelism(),
      lockMs: 30_000,
      shutdownMs: 20_000,
      retry: { attempts: 3, backoffMs: 5_000 },
    });
  });

  it("reads the role, the concurrency and the queue's Redis", () => {
    expect(
      serviceSettings({
        GREENOPS_ROLE: "worker",
        GREENOPS_CONCURRENCY: "8",
        REDIS_URL: "redis://redis:6379",
      }),
    ).toMatchObject({ role: "worker", concurrency: 8, redisUrl: "redis://redis:6379", prefix: "greenops" });
  });

  it.each([
    [{ GREENOPS_ROLE: "api" }, 'GREENOPS_ROLE is "api": use web, worker or all'],
    [{ GREENOPS_ROLE: "web" }, "GREENOPS_ROLE=web needs REDIS_URL"],
    [{ GREENOPS_CONCURRENCY: "0" }, 'GREENOPS_CONCURRENCY is "0": use a whole number of at least 1'],
    [{ GREENOPS_JOB_LOCK_SECONDS: "2.5" }, 'GREENOPS_JOB_LOCK_SECONDS is "2.5"'],
  ])("refuses %j, saying what to set", (env, message) => {
    expect(() => serviceSettings(env)).toThrow(message);
  });

  it("npm start exits with status 2 and the reason on a bad setting", () => {
    const run = spawnSync(process.execPath, [MAIN], {
      env: { PATH: process.env.PATH, GREENOPS_ROLE: "worker" },
      encoding: "utf8",
      cwd: new URL("../../test/", import.meta.url).pathname,
    });
    expect(run.status).toBe(2);
    expect(run.stderr).toContain("greenops: GREENOPS_ROLE=worker needs REDIS_URL");
  });
});
