import type { Diagnostic } from "../model/span.ts";
import { type Change, changedFiles } from "../source/changes.ts";
import { git } from "../source/git.ts";
import { gitRevision, type Snapshot, type SourceFile, workingTree } from "../source/snapshot.ts";
import type { TelemetryOverrides } from "../telemetry/fetch-telemetry.ts";
import type { Verification, Verifier } from "./apply-fixes.ts";
import { checkPolicies } from "./check.ts";
import { compare, type ResourceChange } from "./compare.ts";
import { type Configuration, loadConfiguration } from "./configuration.ts";
import { type Evaluation, evaluate } from "./evaluate.ts";
import { mayBeIac } from "./formats.ts";
import { withTelemetry } from "./observed-energy.ts";
import type { Totals } from "./policy.ts";
import { dedupe, type Progress, type Report, usedEnvironments } from "./report.ts";
import { untouchedScope } from "./review-scope.ts";
import { commitOf, resolveBase } from "./revisions.ts";
import { applyObservedPrices, observe } from "./telemetry.ts";

export type ReviewOptions = {
  base?: string;
  head?: string;
  env?: string;
  onProgress?: Progress;
  /** Telemetry sources named on the command line (over the environments' settings). */
  telemetry?: TelemetryOverrides;
};

type Side = { snapshot: Snapshot; configuration: Configuration; touched: SourceFile[] };

/** A review, with what `greenops fix` needs to apply and verify its fixes. */
export type CheckedReview = {
  report: Report;
  verify: Verifier;
  baseline: Verification;
  text(file: string): string | undefined;
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
  /** Telemetry sources named on the command line (over the environments' settings). */
  telemetry?: TelemetryOverrides | undefined;
};

/** The review of {@link review}, on any two snapshots, with what applying its fixes needs. */
export async function checkedReviewSnapshots(input: SnapshotReview): Promise<CheckedReview> {
  const snapshots = [input.base.snapshot, input.head.snapshot];
  const [files, configurations] = await Promise.all([
    input.files,
    Promise.all(snapshots.map((snapshot) => loadConfiguration(snapshot, input.env))),
  ]);
  const changed = new Set(files.flatMap((f) => (f.from ? [f.path, f.from] : [f.path])));
  const touched = [...changed].filter(mayBeIac);
  const sides = await Promise.all(
    snapshots.map(
      async (snapshot, i): Promise<Side> => ({
        snapshot,
        configuration: configurations[i] as Configuration,
        touched: await snapshot.read(touched),
      }),
    ),
  );
  const searched = input.searched === "base" ? snapshots[0] : snapshots[1];
  const scopeSides = sides.map((side) => ({
    environments: side.configuration.environments,
    touched: side.touched,
  }));
  const untouched = await untouchedScope(scopeSides, files, new Set(touched), searched as Snapshot);
  let [before, after] = (await Promise.all(
    sides.map(async (side) => {
      const read = [...side.touched, ...(await side.snapshot.read(untouched))];
      const progress = (done: number) =>
        input.onProgress?.(`reading ${side.snapshot.label}`, done, read.length);
      return { evaluation: evaluate(read, side.configuration.environments, progress), read };
    }),
  )) as [Evaluated, Evaluated];
  const touchedPaths = new Set(touched);
  const isShown = (row: ResourceChange) => row.change !== "unchanged" || touchedBy(row, touchedPaths);
  const [baseSide, head] = sides as [Side, Side];
  const reviewed = compare(before.evaluation.resources, after.evaluation.resources).filter(isShown);
  input.onProgress?.("reading telemetry", 0, 1);
  const telemetry = await observe(
    head.configuration,
    reviewed.flatMap((row) => (row.after ? [row.after] : [])),
    input.telemetry ? { overrides: input.telemetry } : {},
  );
  const repriced = [baseSide, head].map((side) => applyObservedPrices(side.configuration, telemetry));
  if (repriced.some(Boolean)) {
    before = { ...before, evaluation: evaluate(before.read, baseSide.configuration.environments) };
    after = { ...after, evaluation: evaluate(after.read, head.configuration.environments) };
  }
  const baseEvaluation = withTelemetry(before.evaluation, telemetry, (name) =>
    baseSide.configuration.environments.all.get(name),
  );
  const headEvaluation = withTelemetry(after.evaluation, telemetry, (name) =>
    head.configuration.environments.all.get(name),
  );
  const rowsOf = (evaluation: Evaluation) =>
    compare(baseEvaluation.resources, evaluation.resources).filter(isShown);
  const rows = compare(baseEvaluation.resources, headEvaluation.resources);
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
      ...after.evaluation.diagnostics,
      ...fileNotices(files),
    ]),
    environments: usedEnvironments(environments, shown),
    stats: {
      files: before.read.length + after.read.length,
      objects: before.evaluation.objects + after.evaluation.objects,
    },
    ...(telemetry ? { telemetry } : {}),
  };
  const text = (file: string) => {
    const read = after.read.find((f) => f.path === file);
    return read && "text" in read ? read.text : environments.texts.get(file);
  };
  return { report, verify: check.verify, baseline: check.baseline, text };
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
  const evaluation = evaluate(await head.snapshot.read(paths), environments);
  const totals = new Map<string, Totals>(
    budgeted.map((name) => [name, { monthlyCost: 0, monthlyCarbonKg: 0 }]),
  );
  for (const { resource, estimate } of evaluation.resources) {
    const total = totals.get(resource.environment);
    if (!total) continue;
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
