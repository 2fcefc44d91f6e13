import {
  type ArgoApplication,
  ENVIRONMENT_LABEL,
  pinned,
  readApplications,
} from "../iac/argocd/applications.ts";
import { generatorFiles } from "../iac/argocd/generators.ts";
import { isRecord } from "../iac/cloud/attributes.ts";
import { YamlFile } from "../iac/yaml/yaml-file.ts";
import type { ApplicationRef, Resource } from "../model/resource.ts";
import type { Diagnostic } from "../model/span.ts";
import type { Snapshot, SourceFile } from "../source/snapshot.ts";
import { ENVIRONMENT_PATH, type Environments, type Placement } from "./environments.ts";

/**
 * ArgoCD Applications and ApplicationSets anywhere in the snapshot (files that mention
 * argoproj.io), with the Applications the sets generate from the snapshot's own directories.
 */
export async function loadApplications(
  snapshot: Snapshot,
  paths: string[],
  candidates?: string[],
): Promise<{ applications: ArgoApplication[]; diagnostics: Diagnostic[] }> {
  const read = candidates ?? applicationFiles(paths, await searchApplications(snapshot), []);
  const files = (await snapshot.read(read)).filter(
    (f): f is Extract<SourceFile, { text: string }> => "text" in f,
  );
  const generated = new Map<string, string>();
  for (const file of files.filter((f) => f.text.includes("ApplicationSet"))) {
    for (const set of applicationSets(file)) {
      for (const path of generatorFiles(set, paths)) generated.set(path, "");
    }
  }
  for (const file of await snapshot.read([...generated.keys()]))
    if ("text" in file) generated.set(file.path, file.text);
  const applications: ArgoApplication[] = [];
  const diagnostics: Diagnostic[] = [];
  for (const file of files) {
    if (!file.text.includes("argoproj.io")) continue;
    const read = readApplications(file.path, file.text, paths, generated);
    applications.push(...read.applications);
    diagnostics.push(...read.diagnostics);
  }
  return { applications, diagnostics };
}

/** The files that mention argoproj.io (one search), or undefined when the snapshot cannot be searched. */
export function searchApplications(snapshot: Snapshot): Promise<Set<string> | undefined> {
  return snapshot.grep(["argoproj.io"]).catch(() => undefined);
}

/**
 * The YAML files that may declare Applications: those `found` by {@link searchApplications} (every YAML
 * file when the snapshot could not be searched), and the touched ones, whose other side may.
 */
export function applicationFiles(
  paths: string[],
  found: Set<string> | undefined,
  touched: string[],
): string[] {
  const yaml = (list: string[]) => list.filter((p) => /\.ya?ml$/i.test(p));
  if (!found) return yaml(paths); // not a git work tree: no search, read them all
  return [...new Set([...yaml(paths).filter((p) => found.has(p)), ...yaml(touched)])];
}

function applicationSets(file: { path: string; text: string }): Record<string, unknown>[] {
  try {
    return new YamlFile(file.path, file.text).documents
      .map((d) => d.value)
      .filter((v): v is Record<string, unknown> => isRecord(v) && v.kind === "ApplicationSet");
  } catch {
    return [];
  }
}

/**
 * Deploys each file where the Applications whose source path holds it deploy it: one placement per
 * Application (the same manifests in two clusters cost twice), in the Application's environment
 * (its `greenops.dev/environment` label, else the environment of the folder that declares it, else
 * an environment named like its destination) with its destination namespace. A file under
 * `environments/<name>/`, or mapped to an environment by `.github/greenops.yml`, stays in that environment.
 */
export function placeByApplications(environments: Environments, applications: ArgoApplication[]): void {
  const deployments = applications.flatMap((application) =>
    application.sources.flatMap((source) =>
      source.path !== undefined && source.chart === undefined
        ? [{ application, source: source.path, revision: source.targetRevision }]
        : [],
    ),
  );
  if (deployments.length === 0) return;
  environments.placements = (path) => {
    // A file whose folder (or `.github/greenops.yml` paths) gives it an environment stays in it.
    const explicit = ENVIRONMENT_PATH.test(path) || environments.of(path).environment !== "";
    const matching = deployments.filter(
      (d) => d.source === "" || path === d.source || path.startsWith(`${d.source}/`),
    );
    if (matching.length === 0) return [{ basis: environments.of(path) }];
    const placements = matching.map(({ application, revision }): Placement => {
      const environment = explicit
        ? environments.of(path).environment
        : environmentOf(application, environments);
      const basis = environments.all.get(environment) ?? environments.of(path);
      return {
        basis,
        application: reference(application, revision),
        ...(application.namespace ? { defaultNamespace: application.namespace } : {}),
      };
    });
    return explicit ? placements.slice(0, 1) : placements;
  };
}

function environmentOf(application: ArgoApplication, environments: Environments): string {
  const candidates = [
    application.labels[ENVIRONMENT_LABEL],
    environments.of(application.file).environment || undefined,
    application.cluster,
    application.namespace,
  ];
  return candidates.find((name) => name !== undefined && environments.all.has(name)) ?? "";
}

function reference(application: ArgoApplication, revision: string): ApplicationRef {
  return {
    name: application.name,
    file: application.file,
    line: application.line,
    cluster: application.cluster,
    revision,
    ...(application.project ? { project: application.project } : {}),
    ...(application.namespace ? { namespace: application.namespace } : {}),
  };
}

/** Marks resources with the Application that deploys them, and says when it deploys a pinned revision. */
export function attach(resources: Resource[], placement: Placement): void {
  const application = placement.application;
  if (!application) return;
  const note = pinned(application.revision)
    ? `ArgoCD Application ${application.name} deploys revision ${application.revision}: this change reaches ${application.cluster} when that revision moves`
    : undefined;
  for (const resource of resources) {
    resource.application = application;
    if (note) resource.notes.push(note);
  }
}
