/**
 * The GitHub App's figures (issue #5), with GitHub served in memory by the tests' fake (throttling off):
 * - webhook → completed check for a 20-file pull request: median wall time, and the part that is
 *   GreenOps' own (the fake's time answering, validation included, subtracted)
 * - API calls per pull request for 1, 50 and 300 changed files, reads and writes besides the requests
 *   that only append annotations (50 a request), which are counted apart
 */
import { environmentFiles, opened, openPull } from "../github/fixture.ts";
import { harness } from "../github/harness.ts";

const REPOSITORY_FILES = 400;
const RUNS = 7;

/**
 * The example environments and 400 workers. `withLimits`: the workers set the memory limits
 * limits-ratio asks for, so a change to them gets no suggestion (and no review is posted).
 */
function repository(withLimits: boolean): Record<string, string> {
  const files = environmentFiles();
  const worker = files["environments/prod/shop/worker.yaml"] as string;
  const template = withLimits
    ? worker
        .replace(
          'requests: { cpu: "1", memory: 1Gi }',
          'requests: { cpu: "1", memory: 1Gi }\n            limits: { memory: 1Gi }',
        )
        .replace(
          "              memory: 64Mi\n",
          "              memory: 64Mi\n            limits:\n              memory: 64Mi\n",
        )
    : worker;
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

type Run = { milliseconds: number; own: number; reads: number; writes: number; annotationBatches: number };

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
  const annotationBatches = Math.max(0, (h.github.checkRuns[0]?.annotationRequests ?? 0) - 1);
  return {
    milliseconds,
    own: milliseconds - h.github.busyMilliseconds,
    reads: calls.filter((c) => !c.write).length,
    writes: calls.filter((c) => c.write).length - annotationBatches,
    annotationBatches,
  };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] as number;
}

export async function githubFigures(): Promise<[string, string, string, boolean][]> {
  const base = repository(true);
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
    const figure = `${run.reads} + ${run.writes}${run.annotationBatches ? ` (+${run.annotationBatches})` : ""}`;
    rows.push([`App: API calls, ${count} files`, figure, "≤ 6 total", total <= 6]);
  }
  const suggested = await review(repository(false), 1);
  rows.push(["  1 file, with suggestions", `${suggested.reads} + ${suggested.writes}`, "", true]);
  return rows;
}
