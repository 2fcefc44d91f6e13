import { statSync } from "node:fs";
import { dirname, relative, resolve, sep } from "node:path";
import type { ProjectOptions } from "../iac/format.ts";
import { gitMaybe } from "../source/git.ts";
import { gitRevision, type Snapshot, workingTree } from "../source/snapshot.ts";
import type { TelemetryOverrides } from "../telemetry/fetch-telemetry.ts";
import { loadApplications, placeByApplications } from "./applications.ts";
import { checkPolicies } from "./check.ts";
import type { ResourceChange } from "./compare.ts";
import { loadConfiguration } from "./configuration.ts";
import { UsageError } from "./environments.ts";
import { type Evaluation, evaluate } from "./evaluate.ts";
import { mayBeIac } from "./formats.ts";
import { withTelemetry } from "./observed-energy.ts";
import { plannedRows, splitPlanned } from "./plan-rows.ts";
import { defaultProjectOptions, localCheckout, readProjects } from "./projects.ts";
import { catalogPolicy, dedupe, type Progress, type Report, usedEnvironments } from "./report.ts";
import type { CheckedReview } from "./review.ts";
import { commitOf } from "./revisions.ts";
import { applyObservedPrices, observe } from "./telemetry.ts";
import { loadUsage } from "./usage.ts";

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

export async function checkedEstimate(
  path: string,
  options: EstimateOptions = {},
): Promise<CheckedReview & { root: string }> {
  const target = resolve(path);
  const file = statSync(target, { throwIfNoEntry: false });
  if (!file && !options.ref) throw new UsageError(`${path}: no such file or directory`);
  const directory = file && !file.isDirectory() ? dirname(target) : target;
  const top = (await gitMaybe(directory, ["rev-parse", "--show-toplevel"]))?.trim();
  if (top === undefined && options.ref)
    throw new Error(`--ref ${options.ref}: ${target} is not in a git repository`);
  const root = top ?? directory;
  const commit = options.ref ? await commitOf(root, options.ref) : undefined;
  const snapshot = commit ? gitRevision(root, commit, options.ref) : workingTree(root, top !== undefined);
  const prefix = relative(root, target).split(sep).join("/");
  const head = commit ? { ref: options.ref ?? commit, commit } : { ref: "working tree" };
  // In a checkout, programs may use its installed packages and the shell's AWS region.
  const projects = { local: localCheckout(root), ...options.projects };
  return { ...(await checkedEstimateSnapshot({ ...options, projects, snapshot, head, prefix })), root };
}

/** An estimate of one snapshot (a git revision, the working tree, a commit read through GitHub's API). */
export type SnapshotEstimate = Omit<EstimateOptions, "ref"> & {
  snapshot: Snapshot;
  head: Report["head"];
  /** Estimate only the files under this path ("" or undefined: all of them). */
  prefix?: string;
};

/** The estimate of {@link estimate}, on any snapshot, with what applying its fixes needs. */
export async function checkedEstimateSnapshot(input: SnapshotEstimate): Promise<CheckedReview> {
  const { snapshot, head, prefix = "", ...options } = input;
  const commit = head.commit;
  const [paths, configuration] = await Promise.all([
    snapshot.list(),
    loadConfiguration(snapshot, options.env),
  ]);
  const { environments } = configuration;
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
  const files = await snapshot.read(selected);
  const evaluateAll = (onFile?: (done: number) => void) => evaluate(files, environments, onFile, projects);
  let evaluation = evaluateAll((done) => options.onProgress?.("reading", done, selected.length));
  const telemetry = await observe(
    configuration,
    evaluation.resources.filter((r) => r.resource.planned?.side !== "before"),
    options.telemetry ? { overrides: options.telemetry } : {},
  );
  if (applyObservedPrices(configuration, telemetry)) evaluation = evaluateAll();
  // A plan or preview is its own before and after.
  const rowsOf = (e: Evaluation) => {
    const { planned, current } = splitPlanned(e.resources);
    return [
      ...current.map((after): ResourceChange => ({ change: "unchanged", after })),
      ...plannedRows(planned),
    ];
  };
  const rows = rowsOf(withTelemetry(evaluation, telemetry, (name) => environments.all.get(name)));
  const check = await checkPolicies({
    mode: "estimate",
    snapshot,
    configuration,
    files,
    evaluation,
    rows: rowsOf,
    touched: new Set(),
    projects,
    ...(options.env === undefined ? {} : { forcedEnvironment: options.env }),
    ...(telemetry ? { telemetry } : {}),
  });
  const report: Report = {
    mode: "estimate",
    head,
    rows,
    unchangedResources: 0,
    files: [],
    findings: check.findings,
    diagnostics: dedupe([
      ...environments.diagnostics,
      ...environments.usage.diagnostics,
      ...applications.diagnostics,
      ...evaluation.diagnostics,
    ]),
    environments: usedEnvironments(environments, rows),
    catalogs: catalogPolicy(options.maxCatalogAgeDays),
    stats: { files: selected.length, objects: evaluation.objects },
    ...(telemetry ? { telemetry } : {}),
  };
  return {
    report,
    verify: check.verify,
    baseline: check.baseline,
    text: check.text,
    impact: check.impact,
    configs: [configuration.repository],
  };
}
