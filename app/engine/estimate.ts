import { realpathSync, statSync } from "node:fs";
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
  if (file) await refuseLinks(path, target);
  const directory = file && !file.isDirectory() ? dirname(target) : target;
  const top = (await gitMaybe(directory, ["rev-parse", "--show-toplevel"]))?.trim();
  if (top === undefined && ref) throw new Error(`--ref ${ref}: ${target} is not in a git repository`);
  const root = top ?? directory;
  const commit = ref ? await commitOf(root, ref) : undefined;
  return { target, root, inGit: top !== undefined, commit };
}

/**
 * Refuses a path in the repository of the current directory that goes through a symbolic link, as
 * every file read is refused (git stores the link, not its target): one out of the repository
 * (`k8s -> /home/runner`) would have GreenOps read outside it, and a pull request can add a link where a
 * workflow's fixed path is. A path written outside the repository (`../other-checkout`) is the user's.
 */
async function refuseLinks(path: string, target: string): Promise<void> {
  const real = realpathSync(target);
  if (real === target) return;
  const cwd = process.cwd();
  const repository = realpathSync((await gitMaybe(cwd, ["rev-parse", "--show-toplevel"]))?.trim() || cwd);
  if (!isWithin(target, repository)) return;
  if (!isWithin(real, repository))
    throw new UsageError(
      `${path}: a symbolic link out of the repository (to ${real}); GreenOps reads nothing outside it`,
    );
  throw new UsageError(
    `${path}: a symbolic link (to ${relative(repository, real) || "."}); GreenOps follows no link: name the path itself`,
  );
}

function isWithin(path: string, folder: string): boolean {
  return path === folder || path.startsWith(folder + sep);
}

/** A path (resolved from the current directory) as a path of the repository at `root`: "" for the root. */
export function pathIn(root: string, path: string): string {
  return relative(root, resolve(path)).split(sep).join("/");
}

/** {@link checkedEstimate} of a target already resolved (with the same `options.ref`). */
export async function checkedEstimateAt(
  { target, root, inGit, commit }: LocalTarget,
  options: EstimateOptions = {},
): Promise<CheckedReview & { root: string }> {
  const checked = await runEstimate({
    snapshot: commit ? gitRevision(root, commit, options.ref) : workingTree(root, inGit),
    head: commit ? { ref: options.ref ?? commit, commit } : { ref: "working tree" },
    prefix: pathIn(root, target),
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
