/**
 * The GitHub App's figures (issue #5), with GitHub served in memory by the tests' fake (throttling off):
 * - webhook → completed check for a 20-file pull request: median wall time, and the part that is
 *   GreenOps' own (the fake's time answering, validation included, subtracted)
 * - API calls per pull request for 1, 50 and 300 changed files, reads and writes besides the requests
 *   that only append annotations (50 a request), which are counted apart
 * - a push changing one file of a pull request in a 3,000-manifest repository: the second review's API
 *   calls and the blobs GraphQL sent (how many, how many bytes), without and with the blob cache
 */
import type { FakeGitHub } from "../github/fake-github/fake-github.ts";
import {
  environmentFiles,
  moreMillicores,
  opened,
  openPull,
  push,
  synchronize,
  withWorkers,
  workerPath,
} from "../github/fixture.ts";
import { harness } from "../github/harness.ts";

const REPOSITORY_FILES = 400;
const RUNS = 7;

/**
 * The example environments and 400 workers. `withLimits`: the workers set the memory limits
 * limits-ratio asks for, so a change to them gets no suggestion (and no review is posted).
 */
function repository(withLimits: boolean): Record<string, string> {
  const worker = environmentFiles()["environments/prod/shop/worker.yaml"] as string;
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
  return withWorkers(REPOSITORY_FILES, template);
}

function changing(base: Record<string, string>, count: number): Record<string, string> {
  const changed: Record<string, string> = {};
  for (let i = 0; i < count; i++)
    Object.assign(changed, moreMillicores(base, workerPath(Math.floor((i * REPOSITORY_FILES) / count))));
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

const MONOREPO_FILES = 3000;

type PushRun = { calls: number; queries: number; blobs: number; bytes: number };

/** The second review of a pull request, after a push changing one file (GREENOPS_BLOB_CACHE_MB: `cacheMb`). */
async function secondReview(base: Record<string, string>, cacheMb: string): Promise<PushRun> {
  const h = await harness({ env: { GREENOPS_BLOB_CACHE_MB: cacheMb } });
  const first = openPull(h.github, moreMillicores(base, workerPath(0)), 7, base);
  await h.deliver("pull_request", opened(first));
  const [calls, reads] = [h.github.calls().length, h.github.blobReads.length];
  const second = push(h.github, first, moreMillicores(base, workerPath(MONOREPO_FILES / 2)));
  await h.deliver("pull_request", synchronize(second));
  h.github.assertClean();
  const made = h.github.calls().slice(calls);
  const blobs = h.github.blobReads.slice(reads);
  return {
    calls: made.length,
    queries: made.filter((c) => c.template === "/graphql" && !c.write).length,
    blobs: blobs.length,
    bytes: blobs.reduce((sum, read) => sum + Buffer.byteLength(blobText(h.github, read)), 0),
  };
}

/** The text of a blob GraphQL sent, asked by id or as `<commit>:<path>`. */
function blobText(github: FakeGitHub, read: string): string {
  const [commit = "", path] = read.split(":");
  const oid = path === undefined ? read : github.commitOf(commit).tree.get(path);
  return github.blobs.get(oid ?? "") ?? "";
}

type Row = [string, string, string, boolean];

/** The second review's calls (GraphQL reads among them) and blobs read; `goal` for the blobs. */
function pushRows(run: PushRun, cache: string, goal: [string, boolean]): Row[] {
  const size = run.bytes < 1e6 ? `${(run.bytes / 1e3).toFixed(1)} kB` : `${(run.bytes / 1e6).toFixed(1)} MB`;
  return [
    [`  calls (GraphQL), ${cache}`, `${run.calls} (${run.queries})`, "", true],
    [`  blobs read, ${cache}`, `${run.blobs}, ${size}`, ...goal],
  ];
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] as number;
}

export async function githubFigures(): Promise<Row[]> {
  const base = repository(true);
  await review(base, 20); // warm up: module loading, schema compilation
  const runs: Run[] = [];
  for (let i = 0; i < RUNS; i++) runs.push(await review(base, 20));
  const own = median(runs.map((r) => r.own));
  const rows: Row[] = [
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
  const monorepo = withWorkers(MONOREPO_FILES);
  const uncached = await secondReview(monorepo, "0");
  const cached = await secondReview(monorepo, "64");
  rows.push(
    [`App: 2nd review, push to ${MONOREPO_FILES} files`, "", "", true],
    ...pushRows(uncached, "no blob cache", ["", true]),
    // The pushed file's new blob, and its copy at the merge base (read as `<sha>:<path>`, first time asked).
    ...pushRows(cached, "blob cache", ["2 blobs", cached.blobs === 2]),
  );
  return rows;
}
