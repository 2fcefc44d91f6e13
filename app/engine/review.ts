import type { RepositoryConfig } from "../config/repository-config.ts";
import type { ProjectOptions } from "../iac/format.ts";
import type { Diagnostic } from "../model/span.ts";
import { type Change, changedFiles } from "../source/changes.ts";
import { git } from "../source/git.ts";
import { gitRevision, type Snapshot, type SourceFile, workingTree } from "../source/snapshot.ts";
import type { TelemetryOverrides } from "../telemetry/fetch-telemetry.ts";
import {
  applicationFiles,
  loadApplications,
  placeByApplications,
  searchApplications,
} from "./applications.ts";
import type { Verification, Verifier } from "./apply-fixes.ts";
import { checkPolicies } from "./check.ts";
import { compare, type ResourceChange } from "./compare.ts";
import { type Configuration, loadConfiguration } from "./configuration.ts";
import { isSettingsFile } from "./environments.ts";
import { type Evaluation, evaluate } from "./evaluate.ts";
import type { TextEdit } from "./finding.ts";
import { mayBeIac } from "./formats.ts";
import { withTelemetry } from "./observed-energy.ts";
import { plannedRows, splitPlanned } from "./plan-rows.ts";
import type { Totals } from "./policy.ts";
import {
  defaultProjectOptions,
  localCheckout,
  type ProjectStage,
  readProjects,
  touchedProgramFiles,
} from "./projects.ts";
import { catalogPolicy, dedupe, type Progress, type Report, usedEnvironments } from "./report.ts";
import { untouchedScope } from "./review-scope.ts";
import { commitOf, resolveBase } from "./revisions.ts";
import { applyObservedPrices, observe } from "./telemetry.ts";
import { loadUsage } from "./usage.ts";

/** What a review may do beyond reading files: run programs, flag old catalogs, read telemetry. */
export type ReviewExtras = {
  /** Catalogs older than this many days are flagged in the report (default 180). */
  maxCatalogAgeDays?: number | undefined;
  /**
   * Multi-file inputs: whether programs may run, sandbox limits, kubectl. `review` runs programs unless
   * told not to; `reviewSnapshots` (the GitHub App) only with `runPrograms: true`: the App sets it for
   * pull requests from the repository itself, and for forks only when the repository opts in.
   */
  projects?: Partial<ProjectOptions> | undefined;
  /** Telemetry sources named on the command line (over the environments' settings). */
  telemetry?: TelemetryOverrides | undefined;
};

export type ReviewOptions = {
  base?: string;
  head?: string;
  env?: string;
  onProgress?: Progress;
} & ReviewExtras;

type Side = {
  snapshot: Snapshot;
  configuration: Configuration;
  touched: SourceFile[];
  projects: ProjectStage;
};

/** A review, with what `greenops fix` needs to apply and verify its fixes. */
export type CheckedReview = {
  report: Report;
  verify: Verifier;
  baseline: Verification;
  text(file: string): string | undefined;
  /** What some edits would change each month (a scan measures only the fixes it may propose). */
  impact(edits: TextEdit[]): Promise<Totals>;
  /** Each side's `.github/greenops.yml` as read, base first (the AI stage's opt-in reads every side). */
  configs: RepositoryConfig[];
};

/**
 * Estimates the IaC changed between two revisions (head: the working tree by default), compares them,
 * and runs the policies on the head. Each side reads the touched files plus the untouched ones that
 * change their estimate or that they change (see {@link untouchedScope}); both read the same ones.
 */
export async function review(cwd: string, options: ReviewOptions = {}): Promise<Report> {
  return (await checkedReview(cwd, options)).report;
}

/** The review of two snapshots, without what fixing needs. */
export async function reviewSnapshots(input: SnapshotReview): Promise<Report> {
  return (await checkedReviewSnapshots(input)).report;
}

export async function checkedReview(
  cwd: string,
  options: ReviewOptions = {},
): Promise<CheckedReview & { root: string }> {
  const root = (await git(cwd, ["rev-parse", "--show-toplevel"])).trim();
  const [base, headCommit] = await Promise.all([
    resolveBase(root, options.base),
    options.head === undefined ? undefined : commitOf(root, options.head),
  ]);
  const checked = await checkedReviewSnapshots({
    base: { snapshot: gitRevision(root, base.commit), info: base },
    head: {
      snapshot: headCommit ? gitRevision(root, headCommit) : workingTree(root, true),
      info: headCommit && options.head ? { ref: options.head, commit: headCommit } : { ref: "working tree" },
    },
    files: changedFiles(root, base.commit, headCommit),
    // Untouched files are the same on both sides: search them where that is fastest, on disk when the
    // head is the working tree (git grep of a revision must inflate every blob).
    searched: headCommit ? "base" : "head",
    env: options.env,
    onProgress: options.onProgress,
    maxCatalogAgeDays: options.maxCatalogAgeDays,
    // On the user's own machine or CI, programs run (sandboxed) unless --no-programs.
    projects: { runPrograms: true, local: localCheckout(root), ...options.projects },
    telemetry: options.telemetry,
  });
  return { ...checked, root };
}

/** Two snapshots to compare, however they are read (git, or GitHub's API for the App). */
export type SnapshotReview = {
  base: { snapshot: Snapshot; info: NonNullable<Report["base"]> };
  head: { snapshot: Snapshot; info: Report["head"] };
  /** The files changed from base to head (a promise, so listing them overlaps reading the settings). */
  files: Change[] | Promise<Change[]>;
  /** The side whose untouched files are searched (they are the same on both sides): the cheaper one. */
  searched: "base" | "head";
  env?: string | undefined;
  onProgress?: Progress | undefined;
} & ReviewExtras;

/** The review of {@link review}, on any two snapshots, with what applying its fixes needs. */
export async function checkedReviewSnapshots(input: SnapshotReview): Promise<CheckedReview> {
  const snapshots = [input.base.snapshot, input.head.snapshot];
  const revisions = [input.base.info.commit, input.head.info.commit];
  // Untouched files are the same on both sides: list and search them once, on the cheaper side.
  const searched = (input.searched === "base" ? snapshots[0] : snapshots[1]) as Snapshot;
  const [files, configurations, listed, argoFound] = await Promise.all([
    input.files,
    Promise.all(snapshots.map((snapshot) => loadConfiguration(snapshot, input.env))),
    searched.list(),
    searchApplications(searched),
  ]);
  const changed = new Set(files.flatMap((f) => (f.from ? [f.path, f.from] : [f.path])));
  const touched = [...changed].filter(mayBeIac);
  // A Kustomize directory or a Pulumi program is read again, on both sides, when a file it reads changed.
  const everything = files.some(
    (f) => isSettingsFile(f.path) || (f.from !== undefined && isSettingsFile(f.from)),
  );
  // Repository code runs only when the caller allows it: the App decides per pull request (forks).
  const projectOptions = defaultProjectOptions({
    runPrograms: false,
    refusal: "this review does not run repository programs (projects.runPrograms is not set)",
    ...input.projects,
  });
  const paths =
    input.searched === "head" ? [baseListing(listed, files), listed] : [listed, headListing(listed, files)];
  const argoFiles = applicationFiles(listed, argoFound, touched);
  const sides = await Promise.all(
    snapshots.map(async (snapshot, i): Promise<Side> => {
      const configuration = configurations[i] as Configuration;
      const { environments } = configuration;
      const sidePaths = paths[i] as string[];
      environments.usage = await loadUsage(snapshot, touched);
      const applications = await loadApplications(snapshot, sidePaths, argoFiles);
      placeByApplications(environments, applications.applications);
      environments.diagnostics.push(...applications.diagnostics);
      const revision = revisions[i];
      const projects = await readProjects(
        snapshot,
        sidePaths,
        environments,
        projectOptions,
        (p) => everything || p.files.some((file) => changed.has(file)),
        { applications: applications.applications, ...(revision ? { revision } : {}) },
      );
      return { snapshot, configuration, touched: await snapshot.read(touched), projects };
    }),
  );
  const scopeSides = sides.map((side) => ({
    environments: side.configuration.environments,
    touched: side.touched,
  }));
  const untouched = await untouchedScope(scopeSides, files, new Set(touched), searched);
  let [before, after] = (await Promise.all(
    sides.map(async (side) => {
      const read = [...side.touched, ...(await side.snapshot.read(untouched))];
      const progress = (done: number) =>
        input.onProgress?.(`reading ${side.snapshot.label}`, done, read.length);
      const evaluation = evaluate(read, side.configuration.environments, progress, side.projects);
      return { evaluation, read };
    }),
  )) as [Evaluated, Evaluated];
  const touchedPaths = new Set([
    ...touched,
    ...sides.flatMap((side) => touchedProgramFiles(side.projects, changed)),
  ]);
  const isShown = (row: ResourceChange) => row.change !== "unchanged" || touchedBy(row, touchedPaths);
  const [baseSide, head] = sides as [Side, Side];
  // A plan or preview is its own before and after: read at the head, and only when the change touches it.
  const allRows = (base: Evaluation, evaluation: Evaluation) => {
    const headResources = splitPlanned(evaluation.resources);
    return [
      ...compare(splitPlanned(base.resources).current, headResources.current),
      ...plannedRows(headResources.planned.filter((e) => touchedPaths.has(e.resource.source.span.file))),
    ];
  };
  const reviewed = allRows(before.evaluation, after.evaluation).filter(isShown);
  input.onProgress?.("reading telemetry", 0, 1);
  const telemetry = await observe(
    head.configuration,
    reviewed.flatMap((row) => (row.after ? [row.after] : [])),
    input.telemetry ? { overrides: input.telemetry } : {},
  );
  const repriced = [baseSide, head].map((side) => applyObservedPrices(side.configuration, telemetry));
  if (repriced.some(Boolean)) {
    before = {
      ...before,
      evaluation: evaluate(before.read, baseSide.configuration.environments, undefined, baseSide.projects),
    };
    after = {
      ...after,
      evaluation: evaluate(after.read, head.configuration.environments, undefined, head.projects),
    };
  }
  const baseEvaluation = withTelemetry(before.evaluation, telemetry, (name) =>
    baseSide.configuration.environments.all.get(name),
  );
  const headEvaluation = withTelemetry(after.evaluation, telemetry, (name) =>
    head.configuration.environments.all.get(name),
  );
  const rowsOf = (evaluation: Evaluation) => allRows(baseEvaluation, evaluation).filter(isShown);
  const rows = allRows(baseEvaluation, headEvaluation);
  const shown = rows.filter(isShown);
  const check = await checkPolicies({
    mode: "review",
    snapshot: head.snapshot,
    configuration: head.configuration,
    files: after.read,
    evaluation: after.evaluation,
    rows: rowsOf,
    touched: changed,
    environmentTotals: await environmentTotals(head, shown),
    projects: head.projects,
    ...(input.env === undefined ? {} : { forcedEnvironment: input.env }),
    ...(telemetry ? { telemetry } : {}),
  });
  const environments = head.configuration.environments;
  const report: Report = {
    mode: "review",
    base: input.base.info,
    head: input.head.info,
    rows: shown,
    unchangedResources: rows.length - shown.length,
    files,
    findings: check.findings,
    diagnostics: dedupe([
      ...environments.diagnostics,
      ...(environments.usage?.diagnostics ?? []),
      ...after.evaluation.diagnostics,
      ...fileNotices(files),
    ]),
    environments: usedEnvironments(environments, shown),
    catalogs: catalogPolicy(input.maxCatalogAgeDays),
    stats: {
      files: before.read.length + after.read.length,
      objects: before.evaluation.objects + after.evaluation.objects,
    },
    ...(telemetry ? { telemetry } : {}),
  };
  return {
    report,
    verify: check.verify,
    baseline: check.baseline,
    text: check.text,
    impact: check.impact,
    configs: [baseSide.configuration.repository, head.configuration.repository],
  };
}

type Evaluated = { evaluation: Evaluation; read: SourceFile[] };

/**
 * Whole-environment totals at the head, for the environments of the shown resources whose settings
 * set a total budget: the review reads every file of those environments once more.
 */
async function environmentTotals(
  head: Side,
  shown: ResourceChange[],
): Promise<Map<string, Totals> | undefined> {
  const { environments } = head.configuration;
  const names = new Set(shown.flatMap((row) => [(row.after ?? row.before)?.resource.environment ?? ""]));
  const budgeted = [...names].filter((name) => {
    const budgets = environments.all.get(name)?.settings.budgets;
    return budgets?.monthlyCost !== undefined || budgets?.monthlyCarbonKg !== undefined;
  });
  if (budgeted.length === 0) return undefined;
  const paths = (await head.snapshot.list()).filter(
    (path) => mayBeIac(path) && budgeted.includes(environments.of(path).environment),
  );
  const evaluation = evaluate(await head.snapshot.read(paths), environments, undefined, head.projects);
  const totals = new Map<string, Totals>(
    budgeted.map((name) => [name, { monthlyCost: 0, monthlyCarbonKg: 0 }]),
  );
  for (const { resource, estimate } of evaluation.resources) {
    const total = totals.get(resource.environment);
    if (!total || resource.planned?.side === "before") continue;
    total.monthlyCost += estimate.monthlyCost ?? 0;
    total.monthlyCarbonKg += estimate.monthlyCarbonKg ?? 0;
  }
  return totals;
}

function touchedBy(row: ResourceChange, touched: Set<string>): boolean {
  return [row.before, row.after].some(
    (side) => side !== undefined && touched.has(side.resource.source.span.file),
  );
}

/** Deleted and renamed IaC files are said so, since their resources leave or move. */
function fileNotices(files: Change[]): Diagnostic[] {
  return files.flatMap((f): Diagnostic[] => {
    if (f.status === "deleted" && mayBeIac(f.path)) {
      return [
        {
          file: f.path,
          line: 1,
          severity: "notice",
          message: "the file is deleted: its resources are removed",
        },
      ];
    }
    if (f.status === "renamed" && f.from !== undefined && mayBeIac(f.path)) {
      return [{ file: f.path, line: 1, severity: "notice", message: `the file is renamed from ${f.from}` }];
    }
    return [];
  });
}

/** The base's files, from the head's and the change between them (no second listing). */
function baseListing(head: string[], files: Change[]): string[] {
  const added = new Set(
    files.filter((f) => f.status === "added" || f.status === "renamed").map((f) => f.path),
  );
  const removed = files.flatMap((f) =>
    f.status === "deleted" ? [f.path] : f.from !== undefined ? [f.from] : [],
  );
  return [...new Set([...head.filter((p) => !added.has(p)), ...removed])];
}

/** The head's files, from the base's and the change between them. */
function headListing(base: string[], files: Change[]): string[] {
  const gone = new Set(
    files.flatMap((f) => (f.status === "deleted" ? [f.path] : f.from !== undefined ? [f.from] : [])),
  );
  const added = files.filter((f) => f.status === "added" || f.status === "renamed").map((f) => f.path);
  return [...new Set([...base.filter((p) => !gone.has(p)), ...added])];
}
