import { posix } from "node:path";
import type { ApplicationRef } from "../../model/resource.ts";
import type { Diagnostic } from "../../model/span.ts";
import { isRecord } from "../cloud/attributes.ts";
import { type YamlDocument, YamlFile, YamlSyntaxError } from "../yaml/yaml-file.ts";
import { expandApplicationSet, type Generated } from "./generators.ts";

/** One source of an Application: a path of a git repository, or a Helm chart. */
export type ArgoSource = { repoURL: string; path?: string; chart?: string; targetRevision: string };

/** What an Application deploys, where: the destination cluster and namespace, and at which revision. */
export type ArgoApplication = Omit<ApplicationRef, "revision"> & {
  sources: ArgoSource[];
  labels: Record<string, string>;
  /** The ApplicationSet that generated it. */
  generatedBy?: string;
};

const ARGO = /^argoproj\.io\//;
/** A label on an Application naming the GreenOps environment it deploys to. */
export const ENVIRONMENT_LABEL = "greenops.dev/environment";

/**
 * The Applications a file declares: Applications as written, and those ApplicationSets generate
 * (list and git generators; `paths` are the repository's files, `files` the git generator's config
 * files). Other generators are reported, not guessed.
 */
export function readApplications(
  file: string,
  text: string,
  paths: string[],
  files: Map<string, string> = new Map(),
): { applications: ArgoApplication[]; diagnostics: Diagnostic[] } {
  const applications: ArgoApplication[] = [];
  const diagnostics: Diagnostic[] = [];
  let yaml: YamlFile;
  try {
    yaml = new YamlFile(file, text);
  } catch (error) {
    if (!(error instanceof YamlSyntaxError)) throw error;
    return { applications, diagnostics };
  }
  for (const document of yaml.documents) {
    const value = document.value;
    if (!isRecord(value) || !ARGO.test(String(value.apiVersion))) continue;
    const line = document.span().startLine;
    if (value.kind === "Application") {
      const application = applicationOf(value, file, line);
      if (application) applications.push(application);
    } else if (value.kind === "ApplicationSet") {
      const expanded = expandApplicationSet(value, paths, files);
      for (const generated of expanded.applications) {
        const application = applicationOf(generated, file, line, nameOf(value));
        if (application) applications.push(application);
      }
      for (const message of expanded.problems) diagnostics.push(at(document, line, message));
    }
  }
  return { applications, diagnostics };
}

function at(document: YamlDocument, line: number, message: string): Diagnostic {
  return { file: document.yaml.file, line, severity: "notice", message };
}

function nameOf(value: Record<string, unknown>): string {
  const metadata = isRecord(value.metadata) ? value.metadata : {};
  return typeof metadata.name === "string" ? metadata.name : "(unnamed)";
}

/** An Application as an object (a manifest's document, a generated one, or one ArgoCD serves). */
export function applicationOf(
  value: Generated,
  file: string,
  line: number,
  generatedBy?: string,
): ArgoApplication | undefined {
  const spec = isRecord(value.spec) ? value.spec : {};
  const metadata = isRecord(value.metadata) ? value.metadata : {};
  const destination = isRecord(spec.destination) ? spec.destination : {};
  const sources = [spec.source, ...(Array.isArray(spec.sources) ? spec.sources : [])].flatMap((source) =>
    isRecord(source) ? [sourceOf(source)] : [],
  );
  const cluster = String(destination.name ?? destination.server ?? "in-cluster");
  const labels = isRecord(metadata.labels)
    ? Object.fromEntries(Object.entries(metadata.labels).map(([k, v]) => [k, String(v)]))
    : {};
  return {
    name: nameOf(value),
    file,
    line,
    cluster,
    sources,
    labels,
    ...(typeof spec.project === "string" ? { project: spec.project } : {}),
    ...(typeof destination.namespace === "string" ? { namespace: destination.namespace } : {}),
    ...(generatedBy ? { generatedBy } : {}),
  };
}

function sourceOf(source: Record<string, unknown>): ArgoSource {
  const path =
    typeof source.path === "string" ? posix.normalize(source.path).replace(/^\.\/|\/$/g, "") : undefined;
  return {
    repoURL: String(source.repoURL ?? ""),
    targetRevision: String(source.targetRevision ?? "HEAD"),
    ...(path !== undefined ? { path } : {}),
    ...(typeof source.chart === "string" ? { chart: source.chart } : {}),
  };
}

/** A source's revision pins it (a tag or a commit) rather than tracking a branch. */
export function pinned(revision: string): boolean {
  return /^[0-9a-f]{40}$/.test(revision) || /^v?\d+\.\d+(\.\d+)?([-+].*)?$/.test(revision);
}
