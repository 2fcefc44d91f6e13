import { availableParallelism } from "node:os";
import { describe, expect, it } from "vitest";
import { Pool, programSettings } from "../../../app/iac/sandbox/programs.ts";

describe("the program pool", () => {
  it("runs at most its size at once, the others in the order they came", async () => {
    const pool = new Pool(2);
    let running = 0;
    let most = 0;
    const order: number[] = [];
    const task = (n: number) => async () => {
      running++;
      most = Math.max(most, running);
      order.push(n);
      await new Promise((resolve) => setTimeout(resolve, 5));
      running--;
      return n;
    };
    const results = await Promise.all([1, 2, 3, 4, 5].map((n) => pool.run(task(n))));
    expect(results).toEqual([1, 2, 3, 4, 5]);
    expect(most).toBe(2);
    expect(order).toEqual([1, 2, 3, 4, 5]);
  });

  it("lets the next task start when one runs past yieldAfterMs, up to `most` running at once", async () => {
    const pool = new Pool(1, { yieldAfterMs: 20, most: 2 });
    const started: string[] = [];
    const task = (name: string, ms: number) => () => {
      started.push(name);
      return new Promise((resolve) => setTimeout(() => resolve(name), ms));
    };
    const slow = pool.run(task("slow", 300));
    const quick = pool.run(task("quick", 5));
    const third = pool.run(task("third", 5));
    await new Promise((resolve) => setTimeout(resolve, 100));
    // The slow task gave its place up after 20 ms; quick ran and ended; third took the place it left.
    expect(started).toEqual(["slow", "quick", "third"]);
    expect(await Promise.all([slow, quick, third])).toEqual(["slow", "quick", "third"]);
  });

  it("never runs more than `most` at once, places given up included", async () => {
    const pool = new Pool(1, { yieldAfterMs: 10, most: 2 });
    let running = 0;
    let peak = 0;
    const task = async () => {
      running++;
      peak = Math.max(peak, running);
      await new Promise((resolve) => setTimeout(resolve, 60));
      running--;
    };
    await Promise.all(Array.from({ length: 5 }, () => pool.run(task)));
    expect(peak).toBe(2);
  });

  it("frees its place when a task throws", async () => {
    const pool = new Pool(1);
    await expect(pool.run(() => Promise.reject(new Error("boom")))).rejects.toThrow("boom");
    expect(await pool.run(async () => "next")).toBe("next");
  });
});

describe("program settings from the operator's environment", () => {
  it.each([
    [{}, 20_000, availableParallelism(), 60_000],
    [
      { GREENOPS_PROGRAM_TIMEOUT: "5", GREENOPS_PROGRAM_BUDGET: "30", GREENOPS_PROGRAM_CONCURRENCY: "3" },
      5000,
      3,
      30_000,
    ],
    [
      { GREENOPS_PROGRAM_TIMEOUT: "soon", GREENOPS_PROGRAM_BUDGET: "-1", GREENOPS_PROGRAM_CONCURRENCY: "0" },
      20_000,
      availableParallelism(),
      60_000,
    ],
  ])("%j", (env, timeoutMs, concurrency, budgetMs) => {
    const settings = programSettings(env);
    expect([settings.limits.timeoutMs, settings.concurrency, settings.budgetMs]).toEqual([
      timeoutMs,
      concurrency,
      budgetMs,
    ]);
  });
});
