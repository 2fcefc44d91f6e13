import type { Diagnostic } from "../model/span.ts";
import { type Change, changedFiles } from "../source/changes.ts";
import { git } from "../source/git.ts";
import { gitRevision, type Snapshot, type SourceFile, workingTree } from "../source/snapshot.ts";
import { compare, type ResourceChange } from "./compare.ts";
import { type Environments, loadEnvironments } from "./environments.ts";
import { type Evaluation, evaluate } from "./evaluate.ts";
import { mayBeIac } from "./formats.ts";
import { dedupe, type Progress, type Report, usedEnvironments } from "./report.ts";
import { untouchedScope } from "./review-scope.ts";
import { commitOf, resolveBase } from "./revisions.ts";

export type ReviewOptions = { base?: string; head?: string; env?: string; onProgress?: Progress };

type Side = { snapshot: Snapshot; environments: Environments; touched: SourceFile[] };

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
  return reviewSnapshots({
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
  });
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
};

/** The review of {@link review}, on any two snapshots. */
export async function reviewSnapshots(input: SnapshotReview): Promise<Report> {
  const snapshots = [input.base.snapshot, input.head.snapshot];
  const [files, environments] = await Promise.all([
    input.files,
    Promise.all(snapshots.map((snapshot) => loadEnvironments(snapshot, input.env))),
  ]);
  const touched = [...new Set(files.flatMap((f) => (f.from ? [f.path, f.from] : [f.path])))].filter(mayBeIac);
  const sides = await Promise.all(
    snapshots.map(async (snapshot, i): Promise<Side> => {
      return {
        snapshot,
        environments: environments[i] as Environments,
        touched: await snapshot.read(touched),
      };
    }),
  );
  const searched = input.searched === "base" ? snapshots[0] : snapshots[1];
  const untouched = await untouchedScope(sides, files, new Set(touched), searched as Snapshot);
  const [before, after] = (await Promise.all(
    sides.map(async (side) => {
      const all = [...side.touched, ...(await side.snapshot.read(untouched))];
      const progress = (done: number) =>
        input.onProgress?.(`reading ${side.snapshot.label}`, done, all.length);
      return { ...evaluate(all, side.environments, progress), files: all.length };
    }),
  )) as [Evaluation & { files: number }, Evaluation & { files: number }];
  const rows = compare(before.resources, after.resources);
  const touchedPaths = new Set(touched);
  const shown = rows.filter((row) => row.change !== "unchanged" || touchedBy(row, touchedPaths));
  const [, head] = sides as [Side, Side];
  return {
    mode: "review",
    base: input.base.info,
    head: input.head.info,
    rows: shown,
    unchangedResources: rows.length - shown.length,
    files,
    findings: [],
    diagnostics: dedupe([...head.environments.diagnostics, ...after.diagnostics, ...fileNotices(files)]),
    environments: usedEnvironments(head.environments, shown),
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
