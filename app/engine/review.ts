import type { ProjectOptions } from "../iac/format.ts";
import type { Diagnostic } from "../model/span.ts";
import { type Change, changedFiles } from "../source/changes.ts";
import { git } from "../source/git.ts";
import { gitRevision, type Snapshot, type SourceFile, workingTree } from "../source/snapshot.ts";
import {
  applicationFiles,
  loadApplications,
  placeByApplications,
  searchApplications,
} from "./applications.ts";
import { compare, type ResourceChange } from "./compare.ts";
import { type Environments, isSettingsFile, loadEnvironments } from "./environments.ts";
import { type Evaluation, evaluate } from "./evaluate.ts";
import { mayBeIac } from "./formats.ts";
import { plannedRows, splitPlanned } from "./plan-rows.ts";
import { defaultProjectOptions, type ProjectStage, readProjects } from "./projects.ts";
import { catalogPolicy, dedupe, type Progress, type Report, usedEnvironments } from "./report.ts";
import { untouchedScope } from "./review-scope.ts";
import { commitOf, resolveBase } from "./revisions.ts";
import { loadUsage } from "./usage.ts";

export type ReviewOptions = {
  base?: string;
  head?: string;
  env?: string;
  onProgress?: Progress;
  /** Catalogs older than this many days are flagged in the report (default 180). */
  maxCatalogAgeDays?: number;
  /** Multi-file inputs: whether programs may run (the App refuses it for forks), sandbox limits, kubectl. */
  projects?: Partial<ProjectOptions>;
};

type Side = { snapshot: Snapshot; environments: Environments; touched: SourceFile[]; projects: ProjectStage };

/**
 * Estimates the IaC changed between two revisions (head: the working tree by default) and compares
 * them. Each side reads the touched files plus the untouched ones that change their estimate or that
 * they change (see {@link untouchedScope}); both sides read the same untouched files.
 */
export async function review(cwd: string, options: ReviewOptions = {}): Promise<Report> {
  const root = (await git(cwd, ["rev-parse", "--show-toplevel"])).trim();
  const [base, headCommit] = await Promise.all([
    resolveBase(root, options.base),
    options.head === undefined ? undefined : commitOf(root, options.head),
  ]);
  const snapshots = [
    gitRevision(root, base.commit),
    headCommit ? gitRevision(root, headCommit) : workingTree(root, true),
  ];
  const revisions = [base.commit, headCommit];
  // Untouched files are the same on both sides: list and search them once, where that is fastest —
  // on disk when the head is the working tree (git grep of a revision must inflate every blob).
  const searchedSide = headCommit ? 0 : 1;
  const searched = snapshots[searchedSide] as Snapshot;
  const [files, environments, listed, argoFound] = await Promise.all([
    changedFiles(root, base.commit, headCommit),
    Promise.all(snapshots.map((snapshot) => loadEnvironments(snapshot, options.env))),
    searched.list(),
    searchApplications(searched),
  ]);
  const changed = new Set(files.flatMap((f) => (f.from ? [f.path, f.from] : [f.path])));
  const touched = [...changed].filter(mayBeIac);
  // A Kustomize directory or a Pulumi program is read again, on both sides, when a file it reads changed.
  const everything = files.some(
    (f) => isSettingsFile(f.path) || (f.from !== undefined && isSettingsFile(f.from)),
  );
  const projectOptions = defaultProjectOptions(options.projects);
  const paths =
    searchedSide === 1 ? [baseListing(listed, files), listed] : [listed, headListing(listed, files)];
  const argoFiles = applicationFiles(listed, argoFound, touched);
  const sides = await Promise.all(
    snapshots.map(async (snapshot, i): Promise<Side> => {
      const sideEnvironments = environments[i] as Environments;
      const sidePaths = paths[i] as string[];
      sideEnvironments.usage = await loadUsage(snapshot, touched);
      const applications = await loadApplications(snapshot, sidePaths, argoFiles);
      placeByApplications(sideEnvironments, applications.applications);
      sideEnvironments.diagnostics.push(...applications.diagnostics);
      const projects = await readProjects(
        snapshot,
        sidePaths,
        sideEnvironments,
        projectOptions,
        (p) => everything || p.files.some((file) => changed.has(file)),
        { applications: applications.applications, ...(revisions[i] ? { revision: revisions[i] } : {}) },
      );
      return { snapshot, environments: sideEnvironments, touched: await snapshot.read(touched), projects };
    }),
  );
  const untouched = await untouchedScope(sides, files, new Set(touched), searched);
  const [before, after] = (await Promise.all(
    sides.map(async (side) => {
      const all = [...side.touched, ...(await side.snapshot.read(untouched))];
      const progress = (done: number) =>
        options.onProgress?.(`reading ${side.snapshot.label}`, done, all.length);
      return { ...evaluate(all, side.environments, progress, side.projects), files: all.length };
    }),
  )) as [Evaluation & { files: number }, Evaluation & { files: number }];
  // A plan or preview is its own before and after: read at the head, and only when the change touches it.
  const head = splitPlanned(after.resources);
  const touchedPaths = new Set(touched);
  const rows = [
    ...compare(splitPlanned(before.resources).current, head.current),
    ...plannedRows(head.planned.filter((e) => touchedPaths.has(e.resource.source.span.file))),
  ];
  const shown = rows.filter((row) => row.change !== "unchanged" || touchedBy(row, touchedPaths));
  const [, headSide] = sides as [Side, Side];
  return {
    mode: "review",
    base,
    head: headCommit && options.head ? { ref: options.head, commit: headCommit } : { ref: "working tree" },
    rows: shown,
    unchangedResources: rows.length - shown.length,
    files,
    diagnostics: dedupe([
      ...headSide.environments.diagnostics,
      ...(headSide.environments.usage?.diagnostics ?? []),
      ...after.diagnostics,
      ...fileNotices(files),
    ]),
    environments: usedEnvironments(headSide.environments, shown),
    catalogs: catalogPolicy(options.maxCatalogAgeDays),
    stats: { files: before.files + after.files, objects: before.objects + after.objects },
  };
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
