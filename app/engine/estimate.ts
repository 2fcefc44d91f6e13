import { statSync } from "node:fs";
import { dirname, relative, resolve, sep } from "node:path";
import type { ProjectOptions } from "../iac/format.ts";
import { gitMaybe } from "../source/git.ts";
import { gitRevision, workingTree } from "../source/snapshot.ts";
import { loadApplications, placeByApplications } from "./applications.ts";
import type { ResourceChange } from "./compare.ts";
import { loadEnvironments } from "./environments.ts";
import { evaluate } from "./evaluate.ts";
import { mayBeIac } from "./formats.ts";
import { plannedRows, splitPlanned } from "./plan-rows.ts";
import { defaultProjectOptions, readProjects } from "./projects.ts";
import { catalogPolicy, dedupe, type Progress, type Report, usedEnvironments } from "./report.ts";
import { commitOf } from "./revisions.ts";
import { loadUsage } from "./usage.ts";

export type EstimateOptions = {
  ref?: string;
  env?: string;
  onProgress?: Progress;
  /** Catalogs older than this many days are flagged in the report (default 180). */
  maxCatalogAgeDays?: number;
  /** Multi-file inputs: whether programs may run, sandbox limits, kubectl. */
  projects?: Partial<ProjectOptions>;
};

/** Estimates every IaC file under `path`, in the working tree or at a git revision. */
export async function estimate(path: string, options: EstimateOptions = {}): Promise<Report> {
  const target = resolve(path);
  // `greenops estimate plan.json`: a single file is estimated from its directory.
  const directory = statSync(target, { throwIfNoEntry: false })?.isFile() ? dirname(target) : target;
  const top = (await gitMaybe(directory, ["rev-parse", "--show-toplevel"]))?.trim();
  if (top === undefined && options.ref)
    throw new Error(`--ref ${options.ref}: ${target} is not in a git repository`);
  const root = top ?? directory;
  const commit = options.ref ? await commitOf(root, options.ref) : undefined;
  const snapshot = commit ? gitRevision(root, commit, options.ref) : workingTree(root, top !== undefined);
  const prefix = relative(root, target).split(sep).join("/");
  const [paths, environments] = await Promise.all([snapshot.list(), loadEnvironments(snapshot, options.env)]);
  const under = (p: string) => prefix === "" || p === prefix || p.startsWith(`${prefix}/`);
  const selected = paths.filter((p) => mayBeIac(p) && under(p));
  environments.usage = await loadUsage(snapshot, selected);
  const applications = await loadApplications(snapshot, paths);
  placeByApplications(environments, applications.applications);
  const projects = await readProjects(
    snapshot,
    paths,
    environments,
    defaultProjectOptions(options.projects),
    (p) => under(p.root),
    { applications: applications.applications, ...(commit ? { revision: commit } : {}) },
  );
  const evaluation = evaluate(
    await snapshot.read(selected),
    environments,
    (done) => options.onProgress?.("reading", done, selected.length),
    projects,
  );
  const { planned, current } = splitPlanned(evaluation.resources);
  const rows = [
    ...current.map((after): ResourceChange => ({ change: "unchanged", after })),
    ...plannedRows(planned),
  ];
  return {
    mode: "estimate",
    head: commit ? { ref: options.ref ?? commit, commit } : { ref: "working tree" },
    rows,
    unchangedResources: 0,
    files: [],
    diagnostics: dedupe([
      ...environments.diagnostics,
      ...environments.usage.diagnostics,
      ...applications.diagnostics,
      ...evaluation.diagnostics,
    ]),
    environments: usedEnvironments(environments, rows),
    catalogs: catalogPolicy(options.maxCatalogAgeDays),
    stats: { files: selected.length, objects: evaluation.objects },
  };
}
