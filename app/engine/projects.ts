import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import type { ArgoApplication } from "../iac/argocd/applications.ts";
import { evaluateContained } from "../iac/contained.ts";
import type {
  IacFormat,
  Materialized,
  ParseResult,
  Project,
  ProjectIo,
  ProjectOptions,
} from "../iac/format.ts";
import { ProgramRunner } from "../iac/sandbox/programs.ts";
import type { Resource } from "../model/resource.ts";
import { type Diagnostic, distinctDiagnostics } from "../model/span.ts";
import type { Snapshot } from "../source/snapshot.ts";
import { attach } from "./applications.ts";
import { contextOf, type Environments, type Placement, placementsOf } from "./environments.ts";
import { FORMATS } from "./formats.ts";
import type { ProjectStage } from "./types.ts";

/**
 * The files the resources of the programs a change touches are written in (a Pulumi program's source,
 * a CDKTF stack's synthesized path): a review shows such a program's resources whole, unchanged ones
 * included, as it shows a touched manifest's.
 */
export function touchedProgramFiles(stage: ProjectStage, changed: ReadonlySet<string>): string[] {
  return stage.parsed
    .filter((parsed) => stage.programs.get(parsed.path)?.some((file) => changed.has(file)))
    .flatMap((parsed) => parsed.result.resources.map((resource) => resource.source.span.file));
}

/**
 * GreenOps run in a checkout (the CLI): programs may use the packages the project installed there, and
 * the shell's AWS_REGION (or AWS_DEFAULT_REGION) applies to stacks that name no region.
 */
export function localCheckout(root: string, env = process.env): NonNullable<ProjectOptions["local"]> {
  const variable = ["AWS_REGION", "AWS_DEFAULT_REGION"].find((name) => env[name]);
  return { root, ...(variable ? { awsRegion: { region: env[variable] as string, variable } } : {}) };
}

/**
 * Programs run (sandboxed, with a budget of their own for this run), and kubectl is looked for on PATH
 * when needed, unless the caller says otherwise.
 */
export function defaultProjectOptions(overrides: Partial<ProjectOptions> = {}): ProjectOptions {
  return { runPrograms: true, programs: new ProgramRunner(), ...overrides };
}

/**
 * Finds the projects of every multi-file format (Kustomize directories, Pulumi programs, CDKTF
 * apps) in a snapshot and reads those `wanted` (under an estimate's path, or touched by a review).
 * Their resources join the files' in their environments; the files they read are not read again.
 */
export async function readProjects(
  snapshot: Snapshot,
  paths: string[],
  environments: Environments,
  options: ProjectOptions,
  wanted: (project: Project) => boolean,
  extra: { revision?: string; applications?: ArgoApplication[] } = {},
): Promise<ProjectStage> {
  const stage: ProjectStage = {
    parsed: [],
    consumed: new Set(),
    diagnostics: [],
    programs: new Map(),
    texts: new Map(),
  };
  // Files a project reads that the snapshot refuses (links, FIFOs, too large) are said once each.
  const refused = new Map<string, string>();
  const read = async (list: string[]) => {
    const files = await snapshot.read(list);
    for (const file of files) if ("skipped" in file) refused.set(file.path, file.skipped);
    return files;
  };
  /** Each project's root → the files it read, and the diagnostics it gave (what a fix's check reads again). */
  const readBy = new Map<string, { files: Set<string>; diagnostics: Diagnostic[] }>();
  const io = (placement?: Placement): ProjectIo => ({
    paths,
    read,
    materialize: (list) => materialize(read, list),
    // A named environment (a Pulumi stack's) wins; else where the project is deployed.
    context: (path, environment) => {
      const named = environment === undefined ? undefined : environments.all.get(environment);
      return contextOf(
        environments,
        path,
        named ? { basis: named } : (placement ?? { basis: environments.of(path) }),
      );
    },
    options,
    applications: extra.applications ?? [],
    ...(extra.revision ? { revision: extra.revision } : {}),
  });
  // Started together (programs wait for the shared pool), merged in the order they were found.
  const started: {
    format: IacFormat;
    project: Project;
    placement: Placement;
    result: Promise<ParseResult>;
  }[] = [];
  for (const format of FORMATS) {
    if (!format.project) continue;
    for (const project of (await format.project.find(io())).filter(wanted)) {
      for (const file of project.consumes) stage.consumed.add(file);
      if (project.program) stage.programs.set(project.root, project.consumes);
      for (const placement of placementsOf(environments, project.root)) {
        const result = evaluateContained(format.project, project, io(placement));
        started.push({ format, project, placement, result });
      }
    }
  }
  for (const { format, project, placement, result } of started) {
    const { resources: all, diagnostics, sources = [] } = await result;
    stage.diagnostics.push(...diagnostics);
    for (const source of sources) stage.texts.set(source.path, source.text);
    const files = new Set([...project.files, ...sources.map((source) => source.path)]);
    readBy.set(project.root, { files, diagnostics });
    for (const [environment, resources] of byEnvironment(all)) {
      attach(resources, placement);
      const basis = environments.all.get(environment) ?? placement.basis;
      stage.parsed.push({
        path: project.root,
        format,
        basis,
        result: { resources, diagnostics: [] },
        project: true,
      });
    }
  }
  for (const [file, message] of refused)
    stage.diagnostics.push({ file, line: 1, severity: "warning", message });
  stage.diagnostics.splice(0, stage.diagnostics.length, ...distinctDiagnostics(stage.diagnostics));
  stage.reread = async (replaced) => {
    const roots = new Set(
      [...readBy].filter(([, r]) => [...replaced.keys()].some((f) => r.files.has(f))).map(([root]) => root),
    );
    if (roots.size === 0) return stage;
    const again = await readProjects(
      overlay(snapshot, replaced),
      paths,
      environments,
      options,
      (p) => roots.has(p.root),
      extra,
    );
    const kept = [...readBy].filter(([root]) => !roots.has(root)).flatMap(([, r]) => r.diagnostics);
    return {
      ...again,
      parsed: [...stage.parsed.filter((file) => !roots.has(file.path)), ...again.parsed],
      consumed: new Set([...stage.consumed, ...again.consumed]),
      programs: new Map([...stage.programs, ...again.programs]),
      diagnostics: distinctDiagnostics([...kept, ...again.diagnostics]),
      texts: new Map([...stage.texts, ...again.texts]),
    };
  };
  return stage;
}

/** A snapshot whose given files read as the given texts. */
export function overlay(snapshot: Snapshot, texts: ReadonlyMap<string, string>): Snapshot {
  return {
    ...snapshot,
    async read(paths) {
      const files = await snapshot.read(paths.filter((p) => !texts.has(p)));
      return [
        ...files,
        ...paths.flatMap((path) => (texts.has(path) ? [{ path, text: texts.get(path) ?? "" }] : [])),
      ];
    },
  };
}

function byEnvironment(resources: Resource[]): Map<string, Resource[]> {
  const groups = new Map<string, Resource[]>();
  for (const resource of resources) {
    const group = groups.get(resource.environment) ?? [];
    group.push(resource);
    groups.set(resource.environment, group);
  }
  return groups;
}

const MAX_COPY_BYTES = 100 * 1024 * 1024;

/**
 * Writes the files of a snapshot into a fresh temporary directory, for a sandbox or kubectl to read;
 * `add` writes more of them later (a program's imports), all within one size limit.
 */
async function materialize(read: Snapshot["read"], paths: string[]): Promise<Materialized> {
  const root = mkdtempSync(join(tmpdir(), "greenops-project-"));
  const dispose = () => rmSync(root, { recursive: true, force: true });
  let bytes = 0;
  const add = async (list: string[]) => {
    for (const file of await read(list)) {
      if ("skipped" in file) continue;
      bytes += file.text.length;
      if (bytes > MAX_COPY_BYTES)
        throw new Error(`the project is larger than ${MAX_COPY_BYTES / 1024 / 1024} MiB`);
      mkdirSync(dirname(join(root, file.path)), { recursive: true });
      writeFileSync(join(root, file.path), file.text);
    }
  };
  try {
    await add(paths);
  } catch (error) {
    dispose();
    throw error;
  }
  return { root, add, dispose };
}
