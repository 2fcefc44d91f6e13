import { DEFAULT_JOB_RUN_MINUTES } from "../../config/environment-settings.ts";
import type { Demand, Resource } from "../../model/resource.ts";
import type { Diagnostic } from "../../model/span.ts";
import { unreadFile } from "../contained.ts";
import type { ParseContext, ParseResult } from "../format.ts";
import { type YamlDocument, YamlFile, type YamlPath, YamlSyntaxError } from "../yaml/yaml-file.ts";
import { ManifestReader } from "./manifest-reader.ts";
import {
  FREE_KINDS,
  isNamespaced,
  readAutoscaler,
  readIngress,
  readLimitRange,
  readService,
} from "./objects.ts";
import { readClaim, readStorageClass } from "./storage.ts";
import { readWorkload, WORKLOAD_KINDS } from "./workloads.ts";

/** API groups whose objects configure tools rather than run anything. */
const FREE_GROUPS = ["kustomize.config.k8s.io", "argoproj.io"];

export function parseManifests(file: string, text: string, context: ParseContext): ParseResult {
  const diagnostics: Diagnostic[] = [];
  let yaml: YamlFile;
  try {
    yaml = new YamlFile(file, text);
  } catch (error) {
    if (!(error instanceof YamlSyntaxError)) throw error;
    return unreadFile(file, error);
  }
  const resources: Resource[] = [];
  for (const document of yaml.documents) {
    for (const root of objectsOf(document, diagnostics)) {
      resources.push(readObject(new ManifestReader(document, root, diagnostics), context));
    }
  }
  return { resources, diagnostics };
}

/** Where the Kubernetes objects of a document are: the document itself, or the items of a List. */
function objectsOf(document: YamlDocument, diagnostics: Diagnostic[]): YamlPath[] {
  const kind = document.kindAt([]);
  if (kind === undefined || (kind === "scalar" && document.valueAt([]) === null)) return [];
  const objectKind = document.valueAt(["kind"]);
  if (
    kind !== "mapping" ||
    typeof objectKind !== "string" ||
    typeof document.valueAt(["apiVersion"]) !== "string"
  ) {
    diagnostics.push({
      file: document.yaml.file,
      line: document.span().startLine,
      severity: "warning",
      message: `document ${document.index + 1} is not a Kubernetes object (it needs apiVersion and kind); skipped`,
    });
    return [];
  }
  if (!objectKind.endsWith("List") || document.kindAt(["items"]) !== "sequence") return [[]];
  const items: YamlPath[] = [];
  const count = document.count(["items"]);
  for (let index = 0; index < count; index++) {
    if (typeof document.valueAt(["items", index, "kind"]) === "string") items.push(["items", index]);
  }
  return items;
}

function readObject(reader: ManifestReader, context: ParseContext): Resource {
  const kind = reader.string(["kind"]) ?? "";
  const apiVersion = reader.string(["apiVersion"]) ?? "";
  const name = reader.string(["metadata", "name"]) ?? unnamed(reader);
  const namespace =
    reader.string(["metadata", "namespace"]) ?? (isNamespaced(kind) ? context.defaultNamespace : undefined);
  const labels = reader.value(["metadata", "labels"]);
  const notes: string[] = [];
  const demand = readDemand(reader, kind, apiVersion, name, context, notes);
  const resource: Resource = {
    id: namespace ? `${kind}/${namespace}/${name}` : `${kind}/${name}`,
    kind,
    name,
    apiVersion,
    environment: context.environment,
    labels: isObject(labels)
      ? Object.fromEntries(Object.entries(labels).map(([k, v]) => [k, String(v)]))
      : {},
    source: reader.source(reader.document.locate(reader.root)?.value ?? reader.document.span()),
    demand,
    notes,
  };
  if (namespace) resource.namespace = namespace;
  return resource;
}

function readDemand(
  reader: ManifestReader,
  kind: string,
  apiVersion: string,
  name: string,
  context: ParseContext,
  notes: string[],
): Demand {
  const workload = WORKLOAD_KINDS[kind];
  if (workload && (kind !== "Rollout" || apiVersion.startsWith("argoproj.io/"))) {
    const jobRunSeconds = (context.settings.jobRunMinutes ?? DEFAULT_JOB_RUN_MINUTES) * 60;
    return readWorkload(reader, workload, jobRunSeconds, notes);
  }
  switch (kind) {
    case "PersistentVolumeClaim":
      return readClaim(reader, []) ?? { type: "unknown", reason: "the claim's size could not be read" };
    case "Service":
      return readService(reader);
    case "Ingress":
      return readIngress(reader);
    case "HorizontalPodAutoscaler":
      return readAutoscaler(reader) ?? { type: "unknown", reason: "the autoscaler could not be read" };
    case "LimitRange":
      return readLimitRange(reader);
    case "StorageClass":
      return readStorageClass(reader, name);
  }
  if (FREE_KINDS.has(kind) || FREE_GROUPS.some((group) => apiVersion.startsWith(`${group}/`)))
    return { type: "free" };
  const reason = `no cost model for ${kind} (${apiVersion})`;
  reader.report(["kind"], "notice", `${kind} "${name}": ${reason}; not estimated`);
  return { type: "unknown", reason };
}

function unnamed(reader: ManifestReader): string {
  const generateName = reader.string(["metadata", "generateName"]);
  if (generateName) return `${generateName}*`;
  reader.report(["metadata"], "warning", "metadata.name is missing");
  return `(unnamed, document ${reader.document.index + 1})`;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
