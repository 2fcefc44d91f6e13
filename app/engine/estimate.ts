import { statSync } from "node:fs";
import { dirname, relative, resolve, sep } from "node:path";
import type { ProjectOptions } from "../iac/format.ts";
import { gitMaybe } from "../source/git.ts";
import { gitRevision, workingTree } from "../source/snapshot.ts";
import type { TelemetryOverrides } from "../telemetry/fetch-telemetry.ts";
import { UsageError } from "./environments.ts";
import { runEstimate } from "./pipeline.ts";
import { localCheckout } from "./projects.ts";
import { commitOf } from "./revisions.ts";
import type { CheckedReview, Progress, Report, SnapshotEstimate } from "./types.ts";

export type EstimateOptions = {
  ref?: string;
  env?: string;
  onProgress?: Progress;
  /** Catalogs older than this many days are flagged in the report (default 180). */
  maxCatalogAgeDays?: number;
  /** Multi-file inputs: whether programs may run, sandbox limits, kubectl. */
  projects?: Partial<ProjectOptions>;
  telemetry?: TelemetryOverrides;
};

/** Estimates every IaC file under `path`, in the working tree or at a git revision, and runs the policies. */
export async function estimate(path: string, options: EstimateOptions = {}): Promise<Report> {
  return (await checkedEstimate(path, options)).report;
}

/** The estimate of {@link estimate}, with what applying its fixes needs, and the repository's root. */
export async function checkedEstimate(
  path: string,
  options: EstimateOptions = {},
): Promise<CheckedReview & { root: string }> {
  return checkedEstimateAt(await localTarget(path, options.ref), options);
}

/** What a local estimate reads: `path` resolved, its repository's root and, with a ref, the commit it names. */
export type LocalTarget = { target: string; root: string; inGit: boolean; commit: string | undefined };

export async function localTarget(path: string, ref?: string): Promise<LocalTarget> {
  const target = resolve(path);
  const file = statSync(target, { throwIfNoEntry: false });
  if (!file && !ref) throw new UsageError(`${path}: no such file or directory`);
  const directory = file && !file.isDirectory() ? dirname(target) : target;
  const top = (await gitMaybe(directory, ["rev-parse", "--show-toplevel"]))?.trim();
  if (top === undefined && ref) throw new Error(`--ref ${ref}: ${target} is not in a git repository`);
  const root = top ?? directory;
  const commit = ref ? await commitOf(root, ref) : undefined;
  return { target, root, inGit: top !== undefined, commit };
}

/** {@link checkedEstimate} of a target already resolved (with the same `options.ref`). */
export async function checkedEstimateAt(
  { target, root, inGit, commit }: LocalTarget,
  options: EstimateOptions = {},
): Promise<CheckedReview & { root: string }> {
  const checked = await runEstimate({
    snapshot: commit ? gitRevision(root, commit, options.ref) : workingTree(root, inGit),
    head: commit ? { ref: options.ref ?? commit, commit } : { ref: "working tree" },
    prefix: relative(root, target).split(sep).join("/"),
    env: options.env,
    onProgress: options.onProgress,
    maxCatalogAgeDays: options.maxCatalogAgeDays,
    // Programs use the packages the checkout installed.
    projects: { local: localCheckout(root), ...options.projects },
    telemetry: options.telemetry,
  });
  return { ...checked, root };
}

/** The estimate of {@link estimate} on any snapshot (a commit read through GitHub's API), with what fixing needs. */
export const checkedEstimateSnapshot: (input: SnapshotEstimate) => Promise<CheckedReview> = runEstimate;
