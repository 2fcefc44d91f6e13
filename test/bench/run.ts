/**
 * `npm run bench`: the figures issue #2 asks for, measured on a generated repository.
 * - the parse-only floor (issue #11): js-yaml's `loadAll` of the same 10,000 files in a process of its
 *   own (parse-floor.ts); the estimate's figures are printed with their ratio to it
 * - estimate: 10,000 manifest files (30,000 documents), wall time, objects per second, peak RSS
 *   (the default markdown report, and the JSON report)
 * - policies (issue #3): what running every policy adds to that estimate: the median difference of
 *   runs in pairs, the same estimate with and without every policy (turned off in .github/greenops.yml)
 * - review: a 50-file change in the same repository and in a 1,000-file one, and a 500-file change
 *   (1,500 objects: the searches for their names must not grow with their number), wall time
 *   (`npm run bench -- engine` runs only the parts above)
 * - the GitHub App (issue #5): see github.ts; `npm run bench -- github` runs only that part
 * - telemetry (issue #6): a 50-workload review against a local Prometheus, PromQL queries and wall
 *   time; `npm run bench -- telemetry` runs only that part
 * - a 2,000-resource Terraform plan JSON, estimated (issue #7)
 * - a Pulumi program registering 200 resources, evaluated under mocks in the sandbox (issue #7)
 * - issue #13: a 200-resource program of awsx components, and the 34-program Pulumi corpus of the
 *   tests (median of 3 runs: it runs every program); a 300-resource program of five stacks (its sources
 *   read and parsed once for all of them); `npm run bench -- iac` runs only the IaC parts
 * - catalogs (issue #16): a refresh of AWS EC2 + RDS for every commercial region from generated offer
 *   files (about 2 GB), peak RSS and catalog size; `npm run bench -- catalogs` runs only that part
 * - the AI advisor (issue #14): requests per run and its own time, 20 proposals verified; see ai.ts;
 *   `npm run bench -- ai` runs only that part
 * - the App as a service (issue #15): see service.ts; `npm run bench -- service` runs only that part
 * - `greenops fix` on a 5.8 MB file of 10,000 fixes and its diff: see fix.ts;
 *   `npm run bench -- fix` runs only that part
 * Each command runs as a user runs it (a separate process, the bundled CLI, compile cache warm, the
 * Node.js flags of the bin's first line), median of 5 runs; the bundle is built first (npm run build).
 */
import { execFileSync, spawnSync } from "node:child_process";
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { buildCli } from "../../app/cli/build-cli.ts";
import { BUILT_IN_POLICIES } from "../../policies/index.ts";
import { aiBench } from "./ai.ts";
import { catalogBench } from "./catalogs.ts";
import { cliArgs, NODE_FLAGS } from "./cli.ts";
import { corpus, manifestPath } from "./corpus.ts";
import { fixFigures } from "./fix.ts";
import { githubFigures } from "./github.ts";
import { deployFigures, scanFigures } from "./gitops.ts";
import {
  awsxCorpus,
  planCorpus,
  pulumiCorpus,
  pulumiProgramsCorpus,
  pulumiStacksCorpus,
} from "./iac-corpus.ts";
import { serviceFigures } from "./service.ts";
import { telemetryBench } from "./telemetry.ts";

const PROJECT = new URL("../../", import.meta.url).pathname;
const WORK = join(PROJECT, ".greenops-bench");
const RUNS = 5;

type Run = { seconds: number; rssMb: number; objects: number };

function greenops(cwd: string, args: string[]): Run {
  const started = performance.now();
  const result = spawnSync(process.execPath, cliArgs([...args, "--stats", "--quiet", "-o", "/dev/null"]), {
    cwd,
    encoding: "utf8",
  });
  const seconds = (performance.now() - started) / 1000;
  if (result.status !== 0) throw new Error(`greenops ${args.join(" ")} failed: ${result.stderr}`);
  const stats = /(\d+) objects in .* peak RSS (\d+) MB/.exec(result.stderr);
  if (!Number(stats?.[1]))
    throw new Error(`greenops ${args.join(" ")} in ${cwd} read nothing: ${result.stderr}`);
  if (!result.stderr.includes(", bundled\n"))
    throw new Error(`greenops did not run bundled: ${result.stderr}`);
  if (process.env.BENCH_VERBOSE) console.log(result.stderr.trim());
  return { seconds, rssMb: Number(stats?.[2]), objects: Number(stats?.[1]) };
}

/**
 * Start-up: `greenops --version` as run by this Node.js, and by the Node.js that runs npm when it is
 * older than 24 (bin/greenops.js then runs itself again on the project's Node.js 24).
 */
function startup(): { own: Run; rerun?: Run } {
  const once = (node: string) => (): Run => {
    const started = performance.now();
    const result = spawnSync(node, cliArgs(["--version"]), { encoding: "utf8" });
    if (result.status !== 0) throw new Error(`greenops --version failed: ${result.stderr}`);
    return { seconds: (performance.now() - started) / 1000, rssMb: 0, objects: 0 };
  };
  const runs = (node: string) => {
    once(node)();
    return median(Array.from({ length: RUNS }, once(node)));
  };
  const npmNode = process.env.npm_node_execpath;
  const older =
    npmNode &&
    Number(spawnSync(npmNode, ["-p", "process.versions.node.split('.')[0]"], { encoding: "utf8" }).stdout) <
      24;
  return { own: runs(process.execPath), ...(older && npmNode ? { rerun: runs(npmNode) } : {}) };
}

/** The parse-only floor: parse-floor.ts on the same files, run as the CLI runs (warm, median). */
function floor(cwd: string): Run {
  const once = (): Run => {
    const started = performance.now();
    const floorScript = join(PROJECT, "test/bench/parse-floor.ts");
    const result = spawnSync(process.execPath, [...NODE_FLAGS, floorScript, "."], {
      cwd,
      encoding: "utf8",
    });
    if (result.status !== 0) throw new Error(`the parse-only floor failed: ${result.stderr}`);
    return { seconds: (performance.now() - started) / 1000, rssMb: 0, objects: Number(result.stdout) };
  };
  once();
  return median(Array.from({ length: RUNS }, once));
}

function median(runs: Run[]): Run {
  const sorted = [...runs].sort((a, b) => a.seconds - b.seconds);
  return sorted[Math.floor(sorted.length / 2)] as Run;
}

function measure(cwd: string, args: string[], runs = RUNS): Run {
  greenops(cwd, args); // warm the compile cache and the file system cache
  return median(Array.from({ length: runs }, () => greenops(cwd, args)));
}

/** Changes `count` files (one replica more each), runs a review against HEAD, and restores them. */
function reviewOf(count: number, repo: string, files: number): Run {
  const changed = Array.from({ length: count }, (_, i) => manifestPath(Math.floor((i * files) / count)));
  for (const path of changed) {
    const file = join(repo, path);
    writeFileSync(
      file,
      readFileSync(file, "utf8").replace(/replicas: (\d)/, (_, n) => `replicas: ${Number(n) + 1}`),
    );
  }
  try {
    return measure(repo, ["review", "--base", "HEAD"]);
  } finally {
    execFileSync("git", ["checkout", "-q", "--", "."], { cwd: repo });
  }
}

/**
 * What every built-in policy adds to an estimate of `repo`: the median difference of runs in pairs,
 * with them and with them turned off in .github/greenops.yml. Pairs, because the host's speed drifts
 * between two medians taken a few seconds apart (the difference of those came out negative).
 */
function policiesAdd(repo: string): number {
  const off = Object.keys(BUILT_IN_POLICIES).map((id) => `  ${id}: off`);
  const withoutPolicies = (): Run => {
    mkdirSync(join(repo, ".github"), { recursive: true });
    writeFileSync(join(repo, ".github/greenops.yml"), `policies:\n${off.join("\n")}\n`);
    try {
      return greenops(repo, ["estimate", "."]);
    } finally {
      rmSync(join(repo, ".github"), { recursive: true });
    }
  };
  withoutPolicies(); // warm the compile cache
  const pairs = Array.from(
    { length: RUNS },
    () => greenops(repo, ["estimate", "."]).seconds - withoutPolicies().seconds,
  );
  return pairs.sort((a, b) => a - b)[Math.floor(pairs.length / 2)] as number;
}

function print(rows: readonly (readonly [string, string, string, boolean])[]): void {
  for (const [what, figure, goal, met] of rows) {
    console.log(
      `${what.padEnd(36)} ${figure.padStart(13)}  ${goal.padEnd(15)} ${goal ? (met ? "ok" : "MISSED") : ""}`,
    );
  }
}

async function engineFigures(): Promise<void> {
  console.log("generating the benchmark repositories (once)…");
  const repo = corpus(WORK, 10_000);
  const small = corpus(WORK, 1_000);

  const started = startup();
  const parseOnly = floor(repo);
  const estimate = measure(repo, ["estimate", "."]);
  const estimateJson = measure(repo, ["estimate", ".", "--format", "json"]);
  const policies = policiesAdd(repo);
  const review = reviewOf(50, repo, 10_000);
  const reviewSmall = reviewOf(50, small, 1_000);
  // 500 touched files: 833 names to search for (git grep -F -w took 3–7 s for them alone)
  const reviewLarge = reviewOf(500, repo, 10_000);

  const ratio = (run: Run) => run.seconds / parseOnly.seconds;
  const timed = (run: Run) => `${run.seconds.toFixed(2)} s ${ratio(run).toFixed(1).padStart(4)}×`;
  const rows = [
    ["start-up, greenops --version", `${started.own.seconds.toFixed(2)} s`, "", true],
    ...(started.rerun
      ? ([["  through an older Node.js", `${started.rerun.seconds.toFixed(2)} s`, "", true]] as const)
      : []),
    ["parse-only floor (js-yaml loadAll)", `${parseOnly.seconds.toFixed(2)} s  1.0×`, "", true],
    [
      "estimate, 10,000 files",
      timed(estimate),
      "≤ 1.5×, < 2.5 s",
      ratio(estimate) <= 1.5 && estimate.seconds < 2.5,
    ],
    ["  objects per second", `${Math.round(estimate.objects / estimate.seconds)}`, "", true],
    ["  peak RSS", `${estimate.rssMb} MB`, "< 400 MB", estimate.rssMb < 400],
    [
      "  as JSON",
      timed(estimateJson),
      "≤ 1.5×, < 2.5 s",
      ratio(estimateJson) <= 1.5 && estimateJson.seconds < 2.5,
    ],
    ["  as JSON, peak RSS", `${estimateJson.rssMb} MB`, "< 400 MB", estimateJson.rssMb < 400],
    ["  what the policies add", `${policies.toFixed(2)} s`, "< 1 s", policies < 1],
    [
      "review, 50 of 1,000 files",
      `${reviewSmall.seconds.toFixed(2)} s`,
      "< 0.5 s",
      reviewSmall.seconds < 0.5,
    ],
    ["review, 50 of 10,000 files", `${review.seconds.toFixed(2)} s`, "< 0.7 s", review.seconds < 0.7],
    ["  peak RSS", `${review.rssMb} MB`, "", true],
    [
      "review, 500 of 10,000 files",
      `${reviewLarge.seconds.toFixed(2)} s`,
      "< 1.5 s",
      reviewLarge.seconds < 1.5,
    ],
  ] as const;
  console.log(`\n${estimate.objects} objects in 10,000 files; median of ${RUNS} runs, ${process.version}`);
  console.log(`× is the ratio to the parse-only floor (${parseOnly.objects} documents parsed)\n`);
  print(rows);
}

async function iacFigures(): Promise<void> {
  const plan = measure(planCorpus(WORK, 2_000), ["estimate", "plan.json"]);
  const pulumi = measure(pulumiCorpus(WORK, 200), ["estimate", "."]);
  const awsx = measure(awsxCorpus(WORK, 200), ["estimate", "."]);
  const fiveStacks = pulumiStacksCorpus(WORK, 300, ["dev", "staging", "prod", "qa", "perf"]);
  const stacks = measure(fiveStacks, ["estimate", "."]);
  // Every program runs to the end: the review budget (60 s by default) would cut a slow machine's run short.
  process.env.GREENOPS_PROGRAM_BUDGET ??= "600";
  const programs = measure(pulumiProgramsCorpus(WORK), ["estimate", "."], 3);
  console.log("\nOther IaC formats\n");
  print([
    ["plan JSON, 2,000 resources", `${plan.seconds.toFixed(2)} s`, "< 1 s", plan.seconds < 1],
    ["Pulumi program, 200 resources", `${pulumi.seconds.toFixed(2)} s`, "< 10 s", pulumi.seconds < 10],
    ["awsx program, 200 resources", `${awsx.seconds.toFixed(2)} s`, "< 5 s", awsx.seconds < 5],
    ["Pulumi program, 5 stacks × 300", `${stacks.seconds.toFixed(2)} s`, "< 10 s", stacks.seconds < 10],
    ["Pulumi corpus, 34 programs", `${programs.seconds.toFixed(2)} s`, "< 30 s", programs.seconds < 30],
  ]);
}

async function telemetryFigures(): Promise<void> {
  const figures = await telemetryBench(RUNS);
  console.log("\nTelemetry: 50 Deployments in 10 namespaces, 15 days of history in a local Prometheus\n");
  print([
    ["PromQL queries, 50 workloads", `${figures.queries}`, "≤ 6", figures.queries <= 6],
    ["  reading them", `${figures.telemetrySeconds.toFixed(2)} s`, "", true],
    [
      "review --prometheus, wall time",
      `${figures.reviewSeconds.toFixed(2)} s`,
      "< 1.5 s",
      figures.reviewSeconds < 1.5,
    ],
    ["  rightsizing findings", `${figures.findings}`, "50", figures.findings === 50],
  ]);
}

async function catalogFigures(): Promise<void> {
  console.log("\nCatalog refresh: AWS EC2 + RDS offer files for every commercial region, served locally\n");
  const f = await catalogBench();
  print([
    [`streamed, ${f.regions} regions`, `${f.gigabytes.toFixed(2)} GB`, "", true],
    ["  wall time", `${f.seconds.toFixed(0)} s`, "", true],
    ["  throughput", `${((f.gigabytes * 1000) / f.seconds).toFixed(1)} MB/s`, "", true],
    ["  peak RSS", `${f.rssMb} MB`, "< 300 MB", f.rssMb < 300],
    ["  catalog on disk", `${f.catalogMb.toFixed(1)} MB`, "< 20 MB", f.catalogMb < 20],
  ]);
}

async function aiFigures(): Promise<void> {
  const figures = await aiBench();
  console.log(
    "\nAI advisor: a review of 20 Deployments, a local OpenAI-compatible server answering at once\n",
  );
  print([
    ["requests, first run", `${figures.firstRequests}`, "≤ 2", figures.firstRequests <= 2],
    ["requests, same head again", `${figures.againRequests}`, "0", figures.againRequests === 0],
    ["proposals kept (of 20)", `${figures.kept}`, "20", figures.kept === 20],
    [
      "advisor's run, 20 proposals",
      `${figures.adviseSeconds.toFixed(2)} s`,
      "< 1 s",
      figures.adviseSeconds < 1,
    ],
    ["  redaction, facts, excerpts", `${figures.preparingSeconds.toFixed(3)} s`, "", true],
    ["  verifying 20 proposals", `${figures.verifyingSeconds.toFixed(2)} s`, "", true],
  ]);
}

const PARTS = ["engine", "iac", "github", "telemetry", "catalogs", "ai", "service", "gitops", "fix"];
const parts = process.argv.slice(2).filter((a) => PARTS.includes(a));
await buildCli();
if (parts.length === 0 || parts.includes("engine")) await engineFigures();
if (parts.length === 0 || parts.includes("iac")) await iacFigures();
if (parts.length === 0 || parts.includes("telemetry")) await telemetryFigures();
if (parts.length === 0 || parts.includes("catalogs")) await catalogFigures();
if (parts.length === 0 || parts.includes("ai")) await aiFigures();
if (parts.length === 0 || parts.includes("github")) {
  console.log("\nGitHub App, GitHub served in memory (throttling off); calls are reads + writes\n");
  print(await githubFigures());
}
if (parts.length === 0 || parts.includes("service")) {
  console.log(
    "\nThe App as a service: web + workers on a local Redis, GitHub over HTTP (+25 ms a request)\n",
  );
  print(await serviceFigures());
}
if (parts.length === 0 || parts.includes("gitops")) {
  console.log("\nGitOps loop: GitHub in memory, a local Prometheus and a local ArgoCD\n");
  print([...(await scanFigures()), ...(await deployFigures())]);
}
if (parts.length === 0 || parts.includes("fix")) {
  console.log("\ngreenops fix on one generated 5.8 MB manifest of 10,000 Deployments without limits\n");
  print(fixFigures(WORK));
}
