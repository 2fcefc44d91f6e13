import { posix } from "node:path";
import type { FieldSpan } from "../../model/resource.ts";
import type { Span } from "../../model/span.ts";
import { isRecord } from "../cloud/attributes.ts";
import { isNamespaced } from "../kubernetes/objects.ts";
import { YamlFile, YamlSyntaxError } from "../yaml/yaml-file.ts";
import {
  type Kustomization,
  type Problem,
  type Reference,
  readKustomization,
  references,
  spanOf,
  UNSUPPORTED,
} from "./kustomization.ts";
import { fieldAt, type LocatedObject, locatedDocument, setFields } from "./located.ts";
import { type JsonPatchOperation, jsonPatch, strategicMerge } from "./patch.ts";

/** What kustomize says when a kustomization includes one object twice. */
export const ALREADY_REGISTERED = "may not add resource with an already registered id";

/** `repeated`: each object included twice, once (by where its two copies are), what kustomize refuses. */
export type Rendered = {
  objects: LocatedObject[];
  problems: Problem[];
  unsupported: Problem[];
  repeated: Map<string, Problem>;
};

type Selector = {
  kind?: string;
  name?: string;
  namespace?: string;
  group?: string;
  version?: string;
  labelSelector?: string;
};

/**
 * GreenOps' own Kustomize subset, for when kubectl is not on PATH: resources and bases (files and
 * directories), components, patchesStrategicMerge, patches and patchesJson6902 (strategic merge or
 * RFC 6902, with targets), replicas, namespace, namePrefix and nameSuffix. Every other field is
 * reported as not applied. Each rendered field keeps where it was written.
 */
export function render(root: string, files: Map<string, string>, paths: Set<string>): Rendered {
  const rendered: Rendered = { objects: [], problems: [], unsupported: [], repeated: new Map() };
  rendered.objects = build(root, [], files, paths, rendered);
  return rendered;
}

/**
 * `line`: where the kustomization that includes this one names it. A component starts from the
 * objects of what includes it (`including`), and patches them as well as its own resources.
 */
function build(
  file: string,
  stack: string[],
  files: Map<string, string>,
  paths: Set<string>,
  out: Rendered,
  line = 1,
  including: LocatedObject[] = [],
): LocatedObject[] {
  const text = files.get(file);
  if (text === undefined || stack.includes(file)) {
    const message = stack.includes(file) ? `${file} includes itself; not rendered` : absent(file, paths);
    out.problems.push({ file: stack.at(-1) ?? file, line, message });
    return including;
  }
  const k = readKustomization(file, text);
  if ("message" in k) {
    out.problems.push(k);
    return including;
  }
  for (const field of UNSUPPORTED) {
    if (k.value[field] !== undefined) {
      const line = spanOf(k, [field]).startLine;
      out.unsupported.push({
        file,
        line,
        message: `${field} is not applied by GreenOps' Kustomize subset (install kubectl to render it)`,
      });
    }
  }
  let objects: LocatedObject[] = [...including];
  // Where this kustomization names each object it adds (those it patches as a component are not its own).
  const entries = new Map<LocatedObject, number>(including.map((object) => [object, -1]));
  const resourceEntries = new Set([...list(k.value.resources), ...list(k.value.bases)]);
  const componentEntries = new Set(list(k.value.components));
  const all = references(k, paths);
  // An entry written twice is included twice: each time at its own line.
  const occurrences = new Map<string, number>();
  // Resources first, then each component in turn, on everything so far (as Kustomize applies them).
  for (const reference of [
    ...all.filter((r) => resourceEntries.has(r.entry)),
    ...all.filter((r) => !resourceEntries.has(r.entry) && componentEntries.has(r.entry)),
  ]) {
    const occurrence = occurrences.get(reference.entry) ?? 0;
    occurrences.set(reference.entry, occurrence + 1);
    const line = entryLine(k, reference.entry, occurrence);
    const inner = [...stack, file];
    // What this entry adds is appended: a component returns the objects so far first, as they were.
    const known = objects.length;
    if (reference.kind === "kustomization" && componentEntries.has(reference.entry))
      objects = build(reference.path, inner, files, paths, out, line, objects);
    else if (reference.kind === "kustomization")
      objects.push(...build(reference.path, inner, files, paths, out, line));
    else if (reference.kind !== "file") out.problems.push(referenceProblem(k, reference));
    else if (files.has(reference.path)) objects.push(...documents(reference.path, files, out));
    else out.problems.push({ file, line, message: absent(reference.path, paths) });
    for (let i = known; i < objects.length; i++) entries.set(objects[i] as LocatedObject, line);
  }
  refuseRepeated(file, objects, entries, out);
  objects = applyPatches(k, objects, files, out);
  applyReplicas(k, objects);
  applyNames(k, objects);
  return objects;
}

/**
 * Objects a kustomization includes twice (the same apiVersion, kind, namespace and name): kustomize
 * refuses to build it ("may not add resource with an already registered id"). The subset says so, at
 * the entry that includes the second copy (`entries`: each object's entry line in `file`), once for the
 * innermost kustomization that repeats it, and renders both; the engine counts the object once where it
 * is one (in one environment).
 */
function refuseRepeated(
  file: string,
  objects: LocatedObject[],
  entries: ReadonlyMap<LocatedObject, number>,
  out: Rendered,
): void {
  const first = new Map<string, LocatedObject>();
  for (const object of objects) {
    const { apiVersion, kind, metadata } = object.value;
    const meta = isRecord(metadata) ? metadata : {};
    if (typeof meta.name !== "string") continue;
    const key = [apiVersion, kind, meta.namespace ?? "", meta.name].join("\0");
    const earlier = first.get(key);
    if (!earlier) {
      first.set(key, object);
      continue;
    }
    const [a, b] = [earlier.span, object.span];
    const pair = `${a.file}:${a.startOffset}\0${b.file}:${b.startOffset}`;
    const line = entries.get(object) ?? -1;
    if (line < 0 || out.repeated.has(pair)) continue;
    const id = `${String(kind)}/${typeof meta.namespace === "string" ? `${meta.namespace}/` : ""}${meta.name}`;
    out.repeated.set(pair, {
      file,
      line,
      message: `${id} is included twice (${a.file}:${a.startLine} and ${b.file}:${b.startLine}): kustomize build refuses it ("${ALREADY_REGISTERED}"); GreenOps' subset renders both`,
    });
  }
}

function list(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === "string") : [];
}

export function referenceProblem(k: Kustomization, reference: Reference): Problem {
  const message =
    reference.kind === "remote"
      ? `${reference.entry} is a remote resource: it cannot be fetched offline; not rendered`
      : `${reference.entry} points outside the repository; not rendered`;
  return { file: k.file, line: entryLine(k, reference.entry), message };
}

/** Each kustomization's entries of resources, bases and components: where each is written, in order. */
const ENTRY_PATHS = new WeakMap<Kustomization, Map<string, [string, number][]>>();

/**
 * The line of an entry of resources, bases or components (its `occurrence`-th, for an entry written
 * twice); else the kustomization's first. The entries are indexed once: a kustomization may name thousands.
 */
function entryLine(k: Kustomization, entry: string, occurrence = 0): number {
  let paths = ENTRY_PATHS.get(k);
  if (!paths) {
    paths = new Map();
    for (const field of ["resources", "bases", "components"]) {
      const items = Array.isArray(k.value[field]) ? (k.value[field] as unknown[]) : [];
      for (const [index, item] of items.entries()) {
        if (typeof item !== "string") continue;
        const written = paths.get(item) ?? [];
        written.push([field, index]);
        paths.set(item, written);
      }
    }
    ENTRY_PATHS.set(k, paths);
  }
  const written = paths.get(entry);
  return spanOf(k, written?.[occurrence] ?? written?.[0] ?? []).startLine;
}

/** Why a path a kustomization names is not there to render. */
function absent(path: string, paths: Set<string>): string {
  if (paths.has(path)) return `${path} is not read (see its warning); not rendered`;
  if ([...paths].some((p) => p.startsWith(`${path}/`)))
    return `${path} is a folder without a kustomization file; not rendered`;
  return `${path} is missing; not rendered`;
}

/** The Kubernetes objects of a manifest file (items of a List included). */
function documents(path: string, files: Map<string, string>, out: Rendered): LocatedObject[] {
  const text = files.get(path) ?? "";
  try {
    return new YamlFile(path, text).documents.flatMap((document) => {
      const value = document.value;
      if (!isRecord(value) || typeof value.kind !== "string") return [];
      if (value.kind.endsWith("List") && Array.isArray(value.items)) {
        return value.items.flatMap((_, i) => locatedDocument(document, ["items", i]) ?? []);
      }
      return locatedDocument(document) ?? [];
    });
  } catch (error) {
    if (!(error instanceof YamlSyntaxError)) throw error;
    out.problems.push({ file: path, line: error.line, message: error.problem });
    return [];
  }
}

function applyPatches(
  k: Kustomization,
  objects: LocatedObject[],
  files: Map<string, string>,
  out: Rendered,
): LocatedObject[] {
  const entries: { patch: unknown; index: number; field: string; target?: Selector }[] = [];
  for (const [index, patch] of list(k.value.patchesStrategicMerge).entries()) {
    entries.push({ patch, index, field: "patchesStrategicMerge" });
  }
  for (const field of ["patches", "patchesJson6902"]) {
    const items = Array.isArray(k.value[field]) ? (k.value[field] as unknown[]) : [];
    items.forEach((item, index) => {
      if (!isRecord(item)) return;
      const patch = item.path ?? item.patch;
      entries.push({
        patch,
        index,
        field,
        ...(isRecord(item.target) ? { target: item.target as Selector } : {}),
      });
    });
  }
  for (const { patch, index, field, target } of entries) {
    const where = spanOf(k, [field, index]);
    const inline = typeof patch === "string" && (patch.includes("\n") || !files.has(join(k.dir, patch)));
    const path = inline ? k.file : join(k.dir, String(patch));
    const text = inline ? String(patch) : files.get(path);
    if (text === undefined) {
      out.problems.push({
        file: k.file,
        line: where.startLine,
        message: `patch ${String(patch)} is missing; not applied`,
      });
      continue;
    }
    for (const document of parsePatch(path, text, out)) {
      const value = document.value;
      const patchDocument = inline ? relocate(document, where) : document;
      const selector = target ?? (isRecord(value) ? selectorOf(value) : undefined);
      const targets = selector ? objects.filter((o) => matches(o.value, selector)) : [];
      if (targets.length === 0) {
        out.problems.push({
          file: k.file,
          line: where.startLine,
          message: `${field}[${index}] matches no resource; not applied`,
        });
        continue;
      }
      for (const object of targets) {
        if (Array.isArray(value)) {
          const located = (i: number): FieldSpan =>
            inline
              ? { value: where, inlinePatch: true }
              : (document.fields.get(`/${i}/value`) ?? { value: where });
          for (const problem of jsonPatch(object, value as JsonPatchOperation[], located)) {
            out.problems.push({
              file: k.file,
              line: where.startLine,
              message: `${field}[${index}]: ${problem}`,
            });
          }
        } else if (isRecord(patchDocument.value)) strategicMerge(object, patchDocument as LocatedObject);
      }
    }
  }
  return objects;
}

type PatchDocument = { value: unknown; fields: Map<string, FieldSpan>; span: Span };

function parsePatch(file: string, text: string, out: Rendered): PatchDocument[] {
  try {
    return new YamlFile(file, text).documents.flatMap((document): PatchDocument[] => {
      const located = locatedDocument(document);
      if (located) return [located];
      return Array.isArray(document.value)
        ? [{ value: document.value, fields: fieldsOf(document), span: document.span() }]
        : [];
    });
  } catch (error) {
    if (!(error instanceof YamlSyntaxError)) throw error;
    out.problems.push({ file, line: error.line, message: `a patch: ${error.problem}` });
    return [];
  }
}

function fieldsOf(document: YamlFile["documents"][number]): Map<string, FieldSpan> {
  const fields = new Map<string, FieldSpan>();
  const value = document.value;
  if (Array.isArray(value)) {
    value.forEach((_, i) => {
      const located = fieldAt(document, [i, "value"]);
      if (located) fields.set(`/${i}/value`, located);
    });
  }
  return fields;
}

/** An inline patch is text inside the kustomization: its fields point at the patch's entry there. */
function relocate(document: PatchDocument, where: Span): PatchDocument {
  const fields = new Map<string, FieldSpan>();
  for (const path of document.fields.keys()) fields.set(path, { value: where, inlinePatch: true });
  return { value: document.value, fields, span: where };
}

function selectorOf(value: Record<string, unknown>): Selector | undefined {
  const metadata = isRecord(value.metadata) ? value.metadata : {};
  if (typeof value.kind !== "string" || typeof metadata.name !== "string") return undefined;
  return {
    kind: value.kind,
    name: metadata.name,
    ...(typeof metadata.namespace === "string" ? { namespace: metadata.namespace } : {}),
  };
}

function matches(object: Record<string, unknown>, selector: Selector): boolean {
  const metadata = isRecord(object.metadata) ? object.metadata : {};
  const [group, version] = String(object.apiVersion ?? "").includes("/")
    ? String(object.apiVersion).split("/")
    : ["", String(object.apiVersion ?? "")];
  const labels = isRecord(metadata.labels) ? metadata.labels : {};
  const checks: [string | undefined, unknown][] = [
    [selector.kind, object.kind],
    [selector.name, metadata.name],
    [selector.namespace, metadata.namespace ?? ""],
    [selector.group, group],
    [selector.version, version],
  ];
  const selected = checks.every(
    ([wanted, actual]) => wanted === undefined || new RegExp(`^(?:${wanted})$`).test(String(actual ?? "")),
  );
  const labelled = (selector.labelSelector ?? "")
    .split(",")
    .filter(Boolean)
    .every((pair) => {
      const [key, value] = pair.split("=").map((s) => s.trim());
      return key !== undefined && labels[key] === value;
    });
  return selected && labelled;
}

const SCALABLE = new Set(["Deployment", "StatefulSet", "ReplicaSet", "ReplicationController", "Rollout"]);

/** `replicas: [{ name, count }]` sets spec.replicas of the workloads of that name. */
function applyReplicas(k: Kustomization, objects: LocatedObject[]): void {
  const entries = Array.isArray(k.value.replicas) ? (k.value.replicas as unknown[]) : [];
  entries.forEach((entry, index) => {
    if (!isRecord(entry) || typeof entry.name !== "string" || typeof entry.count !== "number") return;
    for (const object of objects) {
      const metadata = isRecord(object.value.metadata) ? object.value.metadata : {};
      if (!SCALABLE.has(String(object.value.kind)) || metadata.name !== entry.name) continue;
      const spec = isRecord(object.value.spec) ? object.value.spec : {};
      object.value.spec = { ...spec, replicas: entry.count };
      setFields(object.fields, "/spec/replicas", written(k, ["replicas", index, "count"]));
    }
  });
}

/** `namespace`, `namePrefix` and `nameSuffix`, set on every object (namespaced ones for namespace). */
function applyNames(k: Kustomization, objects: LocatedObject[]): void {
  const { namespace, namePrefix, nameSuffix } = k.value;
  for (const object of objects) {
    const metadata = { ...(isRecord(object.value.metadata) ? object.value.metadata : {}) };
    if (typeof namespace === "string" && isNamespaced(String(object.value.kind))) {
      metadata.namespace = namespace;
      setFields(object.fields, "/metadata/namespace", written(k, ["namespace"]));
    }
    if (
      (typeof namePrefix === "string" || typeof nameSuffix === "string") &&
      typeof metadata.name === "string"
    ) {
      metadata.name = `${typeof namePrefix === "string" ? namePrefix : ""}${metadata.name}${typeof nameSuffix === "string" ? nameSuffix : ""}`;
      setFields(object.fields, "/metadata/name", {
        value: spanOf(k, [typeof namePrefix === "string" ? "namePrefix" : "nameSuffix"]),
      });
    }
    object.value.metadata = metadata;
  }
}

/** A value the kustomization writes as it is rendered (not a name's prefix or suffix): a fix may edit it there. */
function written(k: Kustomization, path: (string | number)[]): FieldSpan {
  return { value: spanOf(k, path), yamlDocument: 0, yamlPath: path };
}

function join(dir: string, path: string): string {
  return posix.normalize(posix.join(dir, path));
}
