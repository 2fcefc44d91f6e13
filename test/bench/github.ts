/**
 * The GitHub App's figures (issue #5), with GitHub served in memory by the tests' fake (throttling off):
 * - webhook → completed check for a 20-file pull request: median wall time, and the part that is
 *   GreenOps' own (the fake's time answering, validation included, subtracted)
 * - API calls per pull request for 1, 50 and 300 changed files, reads and writes
 */
import { environmentFiles, opened, openPull } from "../github/fixture.ts";
import { harness } from "../github/harness.ts";

const REPOSITORY_FILES = 400;
const RUNS = 7;

function repository(): Record<string, string> {
  const files = environmentFiles();
  const template = files["environments/prod/shop/worker.yaml"] as string;
  for (let i = 0; i < REPOSITORY_FILES; i++)
    files[`environments/prod/gen/w${i}.yaml`] = template.replaceAll("worker", `worker-${i}`);
  return files;
}

function changing(base: Record<string, string>, count: number): Record<string, string> {
  const changed: Record<string, string> = {};
  for (let i = 0; i < count; i++) {
    const path = `environments/prod/gen/w${Math.floor((i * REPOSITORY_FILES) / count)}.yaml`;
    changed[path] = (base[path] as string).replace(/cpu: (\d+)m/, (_, m) => `cpu: ${Number(m) + 100}m`);
  }
  return changed;
}

type Run = { milliseconds: number; own: number; reads: number; writes: number };

async function review(base: Record<string, string>, count: number): Promise<Run> {
  const h = await harness();
  const scenario = openPull(h.github, changing(base, count), 7, base);
  const payload = opened(scenario);
  const started = performance.now();
  await h.deliver("pull_request", payload);
  const milliseconds = performance.now() - started;
  h.github.assertClean();
  const calls = h.github.calls();
  if (h.github.checkRuns[0]?.status !== "completed") throw new Error("the check did not complete");
  return {
    milliseconds,
    own: milliseconds - h.github.busyMilliseconds,
    reads: calls.filter((c) => !c.write).length,
    writes: calls.filter((c) => c.write).length,
  };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] as number;
}

export async function githubFigures(): Promise<[string, string, string, boolean][]> {
  const base = repository();
  await review(base, 20); // warm up: module loading, schema compilation
  const runs: Run[] = [];
  for (let i = 0; i < RUNS; i++) runs.push(await review(base, 20));
  const own = median(runs.map((r) => r.own));
  const rows: [string, string, string, boolean][] = [
    ["App: webhook → check, 20 files", `${median(runs.map((r) => r.milliseconds)).toFixed(0)} ms`, "", true],
    ["  GreenOps' own processing", `${own.toFixed(0)} ms`, "< 300 ms", own < 300],
  ];
  for (const count of [1, 50, 300]) {
    const run = await review(base, count);
    const total = run.reads + run.writes;
    rows.push([`App: API calls, ${count} files`, `${run.reads} + ${run.writes}`, "≤ 6 total", total <= 6]);
  }
  return rows;
}
