import type { Logger } from "probot";
import { scanOnly } from "../config/gitops-settings.ts";
import { readRepositoryConfig } from "../config/read-repository-config.ts";
import { configurationErrors, MISCONFIGURED, where } from "../engine/configuration.ts";
import type { checkedEstimateSnapshot } from "../engine/estimate.ts";
import { type Unevaluated, unevaluatedCount } from "../report/unevaluated.ts";
import { type Proposal, proposeFixes } from "../scan/plan.ts";
import {
  declinedFingerprints,
  heldAsItIs,
  reconcile,
  type ScanAction,
  type ScanPull,
} from "../scan/reconcile.ts";
import { scanCandidates, scannedEnvironments } from "../scan/select.ts";
import { changePaths } from "../source/changes.ts";
import type { TelemetryOverrides } from "../telemetry/fetch-telemetry.ts";
import { githubSnapshot, iacFiles } from "./github-snapshot.ts";
import type { Octokit } from "./octokit.ts";
import { type ProgramsSwitch, programPermission } from "./programs.ts";
import type { Repo } from "./pull-request.ts";
import type { QueuedJob } from "./queue.ts";
import type { BlobCache } from "./read/blob-cache.ts";
import { BlobStore } from "./read/blobs.ts";
import { comparePull } from "./read/compare.ts";
import { trustedConfig } from "./read/default-config.ts";
import { scanPulls } from "./read/scan-pulls.ts";
import { readTree } from "./read/trees.ts";
import type { Engine } from "./review-run.ts";
import { existingBranchHead } from "./write/branches.ts";
import { type Applied, applyScanAction } from "./write/scan-pulls.ts";

/** A repository to scan: its default branch when the event said it (else asked). */
export type ScanRef = Repo & { installationId: number | undefined; defaultBranch?: string };

/** One interval of the scan schedule, in ms since the epoch: from `start` (included) to `end`. */
export type ScanInterval = { start: number; end: number };

/** Scan the default branch and keep one optimization pull request per environment. */
export type ScanJob = QueuedJob & {
  /** `owner/repo scan`: scans of a repository run one after another, a waiting one is replaced. */
  key: string;
  kind: "scan";
  repository: ScanRef;
  trigger: "schedule" | "dispatch";
  /** A scheduled scan's interval: one scan of the repository per interval, whichever replica asks. */
  interval?: ScanInterval;
};

export function scanJob(repository: ScanRef, trigger: ScanJob["trigger"], interval?: ScanInterval): ScanJob {
  const key = `${repository.owner}/${repository.repo} scan`;
  return { key, kind: "scan", repository, trigger, ...(interval ? { interval } : {}) };
}

export type ScanOutcome =
  | { kind: "disabled" }
  /** A configuration file has errors (each `file:line message`): no pull request is opened, updated or closed. */
  | { kind: "misconfigured"; commit: string; errors: string[] }
  | {
      kind: "scanned";
      commit: string;
      environments: (Applied | { environment: string; planned: ScanAction["kind"] })[];
      /** The programs the scan did not run, and why: what its pull requests could not look at. */
      unevaluated?: Unevaluated | undefined;
    };

/**
 * Scans the default branch's head as GitHub has it (its tree, the IaC blobs in batched GraphQL reads),
 * estimates it with live telemetry, turns the verified fixes into one proposal per environment, and
 * brings each environment's pull request in line with it (open, update, reword, keep, close; kept as it
 * is rather than closed or rebuilt when it edits a program the scan did not run). `dryRun` plans
 * without writing.
 */
export type ScanOptions = {
  dryRun?: boolean;
  log?: Logger;
  /** Only this environment's pull request. */
  environment?: string | undefined;
  /** Telemetry sources named by whoever runs the scan, over the environments' settings. */
  telemetry?: TelemetryOverrides | undefined;
  /** Whoever runs the scan lets repositories that opt in have their programs run (default "on"). */
  programs?: ProgramsSwitch;
  /** The blobs earlier runs of this process read (the App's); none: every IaC blob is read. */
  blobCache?: BlobCache;
};

export async function scanRepository(
  octokit: Octokit,
  target: ScanRef,
  estimate: typeof checkedEstimateSnapshot,
  options: ScanOptions = {},
): Promise<ScanOutcome> {
  const repo = { owner: target.owner, repo: target.repo };
  const branch = target.defaultBranch ?? (await octokit.rest.repos.get(repo)).data.default_branch;
  const commit = await existingBranchHead(octokit, repo, branch);
  const tree = await readTree(octokit, repo, commit);
  const blobs = new BlobStore(octokit, repo, options.blobCache?.of(target.installationId, repo));
  await blobs.load(iacFiles(tree));
  const snapshot = githubSnapshot(commit.slice(0, 12), tree, blobs);
  const read = await readRepositoryConfig(snapshot);
  const { config } = read;
  if (config.scan?.enabled === false) return { kind: "disabled" };
  const projects = programPermission({
    operator: options.programs ?? "on",
    trusted: trustedConfig(branch, read),
    fork: false,
  });
  const checked = await estimate({
    snapshot,
    head: { ref: branch, commit },
    telemetry: options.telemetry,
    projects,
  });
  const errors = configurationErrors(checked.report.findings);
  if (errors.length > 0) return { kind: "misconfigured", commit, errors: errors.map(where) };
  const settings = scanOnly(config.scan ?? {}, options.environment);
  const selected = scannedEnvironments(checked.report, settings);
  const pulls = new Map<string, ScanPull[]>();
  for (const name of selected) pulls.set(name, await scanPulls(octokit, repo, name));
  const candidates = await scanCandidates(checked, settings, (name) =>
    declinedFingerprints(pulls.get(name) ?? []),
  );
  const { proposals, excluded, unevaluated } = await proposeFixes(checked, candidates.environments);
  options.log?.debug({ excluded: [...candidates.excluded, ...excluded].length }, "scan: fixes left out");
  const byEnvironment = new Map<string, Proposal>(proposals.map((p) => [p.environment, p]));
  const environments: Extract<ScanOutcome, { kind: "scanned" }>["environments"] = [];
  for (const name of selected) {
    let action = reconcile(name, byEnvironment.get(name), pulls.get(name) ?? []);
    if ((action.kind === "close" || action.kind === "update") && unevaluated)
      action = await heldOrDone(octokit, repo, commit, action, unevaluated);
    if (options.dryRun) environments.push({ environment: name, planned: action.kind });
    else environments.push(await applyScanAction(octokit, { ...repo, branch, commit }, action));
  }
  return { kind: "scanned", commit, environments, unevaluated };
}

/**
 * A pull request to close or rebuild is kept as it is when a file it edits (one compare) lies in a
 * program not run.
 */
async function heldOrDone(
  octokit: Octokit,
  repo: Repo,
  commit: string,
  action: Extract<ScanAction, { kind: "close" | "update" }>,
  unevaluated: Unevaluated,
): Promise<ScanAction> {
  const { changes } = await comparePull(octokit, repo, commit, action.pull.headSha);
  const reason = heldAsItIs(action.kind, changes.flatMap(changePaths), unevaluated);
  return reason ? { kind: "keep", environment: action.environment, pull: action.pull, reason } : action;
}

/** The scan job: its outcome, one word per environment, is logged with the run. */
export async function runScan(
  octokit: Octokit,
  job: ScanJob,
  deps: { engine: Engine; blobCache: BlobCache },
  log: Logger,
): Promise<string> {
  const outcome = await scanRepository(octokit, job.repository, deps.engine.estimate, {
    log,
    programs: deps.engine.programs,
    blobCache: deps.blobCache,
  });
  if (outcome.kind === "disabled") return "scans disabled (scan.enabled: false)";
  if (outcome.kind === "misconfigured") {
    log.warn({ key: job.key, errors: outcome.errors }, "scan: configuration errors");
    return `scanned ${outcome.commit.slice(0, 7)} (${job.trigger}): nothing written, ${MISCONFIGURED}`;
  }
  const done = outcome.environments.map((e) =>
    "done" in e ? `${e.environment}: ${e.done}${e.number ? ` #${e.number}` : ""}` : e.environment,
  );
  for (const e of outcome.environments)
    if ("reason" in e && e.reason)
      log.warn({ key: job.key, environment: e.environment, reason: e.reason }, "scan");
  const programs = unevaluatedCount(outcome.unevaluated);
  return `scanned ${outcome.commit.slice(0, 7)} (${job.trigger}): ${done.join(", ") || "no environment"}${programs ? `; ${programs}` : ""}`;
}
