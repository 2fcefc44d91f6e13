import type { Project, ProjectOptions } from "../iac/format.ts";
import type { Change } from "../source/changes.ts";
import type { Snapshot, SourceFile } from "../source/snapshot.ts";
import {
  applicationFiles,
  loadApplications,
  placeByApplications,
  searchApplications,
} from "./applications.ts";
import { type Configuration, loadConfiguration } from "./configuration.ts";
import { isSettingsFile } from "./environments.ts";
import { mayBeIac } from "./formats.ts";
import { defaultProjectOptions, readProjects } from "./projects.ts";
import { untouchedScope } from "./review-scope.ts";
import type { ParsedFile, ProjectStage, SnapshotEstimate, SnapshotReview } from "./types.ts";
import { loadUsage } from "./usage.ts";

/** The read stage: one side of a review, or an estimate's tree, as the later stages start from it. */
export type Side = {
  snapshot: Snapshot;
  configuration: Configuration;
  projects: ProjectStage;
  /** The files read, as read (a review's touched files first). */
  files: SourceFile[];
};

/** What a review reads first: the change, and each side's settings, Applications, projects and touched files. */
export type ReviewRead = {
  files: Change[];
  /** Every path the change names (both names of a rename). */
  changed: Set<string>;
  /** The changed paths that may be IaC. */
  touched: string[];
  /** Base and head; `files` holds the touched files until {@link readUntouched} adds the others. */
  sides: [Side, Side];
  /** The snapshot whose untouched files are searched (they are the same on both sides). */
  searched: Snapshot;
};

export async function readReview(input: SnapshotReview): Promise<ReviewRead> {
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
      const projects = await readPlacements(snapshot, configuration, {
        usage: touched,
        paths: paths[i] as string[],
        applicationFiles: argoFiles,
        projectOptions,
        wanted: (p) => everything || p.files.some((file) => changed.has(file)),
        revision: revisions[i],
      });
      const files = [...(await snapshot.read(touched)), ...snapshot.unlisted()];
      return { snapshot, configuration, projects, files };
    }),
  );
  unknownOnBoth(sides.map((side) => side.files));
  return { files, changed, touched, sides: sides as [Side, Side], searched };
}

/**
 * A file one side could not read is unknown on both: left out of the other side too, with the same
 * reason, so that a file the head cannot read (permission denied, not UTF-8) is not taken for removed,
 * nor one the base could not read for added. Edits `sides` in place.
 */
function unknownOnBoth(sides: SourceFile[][]): void {
  const refused = new Map(sides.flat().flatMap((file) => ("skipped" in file ? [[file.path, file]] : [])));
  if (refused.size === 0) return;
  for (const files of sides)
    files.forEach((file, i) => {
      files[i] = refused.get(file.path) ?? file;
    });
}

/**
 * Reads on each side the untouched files a review reads (see {@link untouchedScope}), found from the
 * touched resources as parsed; both sides read the same ones. They join each side's `files`.
 */
export async function readUntouched(read: ReviewRead, touched: ParsedFile[]): Promise<SourceFile[][]> {
  const untouched = await untouchedScope(touched, read.files, new Set(read.touched), read.searched);
  const files = await Promise.all(read.sides.map((side) => side.snapshot.read(untouched)));
  unknownOnBoth(files);
  read.sides.forEach((side, i) => {
    side.files = [...side.files, ...(files[i] ?? [])];
  });
  return files;
}

/** What an estimate reads: the settings, the Applications, the projects and the IaC files under its path. */
export async function readTree(input: SnapshotEstimate): Promise<Side> {
  const { snapshot, prefix = "" } = input;
  const [paths, configuration] = await Promise.all([snapshot.list(), loadConfiguration(snapshot, input.env)]);
  const under = (p: string) => prefix === "" || p === prefix || p.startsWith(`${prefix}/`);
  const selected = paths.filter((p) => mayBeIac(p) && under(p));
  // The search for Applications (a git process) runs while the files are read.
  const found = searchApplications(snapshot);
  const files = [...(await snapshot.read(selected)), ...snapshot.unlisted()];
  const projects = await readPlacements(snapshot, configuration, {
    usage: selected,
    paths,
    applicationFiles: applicationFiles(paths, await found, []),
    projectOptions: defaultProjectOptions(input.projects),
    wanted: (p) => under(p.root),
    revision: input.head.commit,
  });
  return { snapshot, configuration, projects, files };
}

/**
 * What places a side's files in environments, in order: the usage files of `usage`, the ArgoCD
 * Applications of `applicationFiles` (which place files by their sources; what is wrong with them joins
 * the environments' diagnostics), then the `wanted` projects.
 */
async function readPlacements(
  snapshot: Snapshot,
  { environments }: Configuration,
  read: {
    usage: string[];
    paths: string[];
    applicationFiles: string[];
    projectOptions: ProjectOptions;
    wanted: (project: Project) => boolean;
    revision: string | undefined;
  },
): Promise<ProjectStage> {
  environments.usage = await loadUsage(snapshot, read.usage);
  const { applications, diagnostics } = await loadApplications(snapshot, read.paths, read.applicationFiles);
  placeByApplications(environments, applications);
  environments.diagnostics.push(...diagnostics);
  return readProjects(snapshot, read.paths, environments, read.projectOptions, read.wanted, {
    applications,
    ...(read.revision ? { revision: read.revision } : {}),
  });
}

/**
 * What the resources under an estimate's path depend on outside it, found as a review finds them (see
 * {@link untouchedScope}): the autoscalers naming them, the LimitRanges of their namespaces, the
 * StorageClasses of their claims. Read for their effect, not shown; they join the tree's `files`. None
 * when the whole tree is estimated, or when it cannot be searched (not a git work tree).
 */
export async function readContext(tree: Side, prefix: string, parsed: ParsedFile[]): Promise<Set<string>> {
  if (prefix === "") return new Set();
  // Only what the resources depend on: what a modifier under the path affects outside it is not shown.
  const dependents = parsed.map((file) => ({
    ...file,
    result: { ...file.result, resources: file.result.resources.filter((r) => r.demand.type !== "modifier") },
  }));
  const inside = new Set(tree.files.map((file) => file.path));
  // Not the copies of its objects outside the path: an estimate of a path counts what it declares.
  const paths = await untouchedScope(dependents, [], inside, tree.snapshot, false).catch(() => []);
  const files = await tree.snapshot.read(paths);
  tree.files = [...tree.files, ...files];
  return new Set(files.map((file) => file.path));
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
