import type { Resource } from "../model/resource.ts";
import type { Diagnostic } from "../model/span.ts";
import type { EvaluatedResource, NotCounted, ResourceChange } from "./types.ts";

/**
 * Kubernetes objects one environment declares more than once (the same kind, namespace and name, in
 * one file or two, whatever format read them) are one object in its cluster: the copy applied last.
 * Each copy but that one is not counted, with the reason, and warned of at its line; linking and totals
 * leave it out, and the report still lists it. Which copy wins, by deploy path (docs/design-notes.md):
 * `kubectl apply` applies a file's documents in order, and a directory's files in the lexical order of
 * Go's filepath.Walk; ArgoCD keeps the last copy of an Application's manifests (RepeatedResourceWarning).
 * Where no path that applies both is known (two Applications, or plain files), the copy applied last in
 * that same order is assumed, and the warning says so. Objects named by `generateName` are new each time.
 * One map lookup per resource; only the copies of a repeated object are compared.
 */
export function countOnce(resources: readonly Resource[]): {
  notCounted: Map<Resource, NotCounted>;
  diagnostics: Diagnostic[];
} {
  const counted = new Map<string, number>();
  const dropped: { index: number; key: string }[] = [];
  for (let index = 0; index < resources.length; index++) {
    const resource = resources[index] as Resource;
    const key = objectKey(resource);
    if (key === undefined) continue;
    const earlier = counted.get(key);
    if (earlier === undefined) {
      counted.set(key, index);
      continue;
    }
    const later = appliedBefore(resources[earlier] as Resource, resource);
    dropped.push({ index: later ? earlier : index, key });
    if (later) counted.set(key, index);
  }
  dropped.sort((a, b) => a.index - b.index);
  const notCounted = new Map<Resource, NotCounted>();
  const diagnostics = dropped.map(({ index, key }): Diagnostic => {
    const copy = resources[index] as Resource;
    const kept = resources[counted.get(key) as number] as Resource;
    const { file, startLine: line } = kept.source.span;
    const reason = whyCounted(copy, kept);
    notCounted.set(copy, { counted: { file, line }, reason });
    const at = copy.source.span;
    return {
      file: at.file,
      line: at.startLine,
      severity: "warning",
      message: `${copy.id} is declared again at ${file}:${line}: applied to one cluster they are one object, counted once, as the copy at ${file}:${line} (${reason}); this copy is not counted`,
    };
  });
  return { notCounted, diagnostics };
}

/**
 * One object in one cluster: an environment's objects by identity. Files no environment claims may go
 * to any cluster: only one file's documents are surely applied together. Undefined for what is never
 * counted once: cloud resources, a plan's sides, objects named by `generateName`.
 */
export function objectKey(resource: Resource): string | undefined {
  if (resource.apiVersion === undefined || resource.planned || resource.id.endsWith("*")) return undefined;
  const file = resource.environment ? "" : resource.source.span.file;
  return `${resource.environment}\0${file}\0${resource.id}`;
}

/** Whether a row is left out of totals: its object is counted in another row (a copy not counted). */
export function notCounted(row: ResourceChange): boolean {
  return (row.after ?? row.before)?.notCounted !== undefined;
}

/** The resources that count: each object of an environment once, the copies not counted left out. */
export function countedResources<T extends EvaluatedResource>(resources: Iterable<T | undefined>): T[] {
  const counted: T[] = [];
  for (const resource of resources) if (resource && !resource.notCounted) counted.push(resource);
  return counted;
}

/** The rows that count: each object of an environment once, the copies not counted left out. */
export function countedRows(rows: readonly ResourceChange[]): ResourceChange[] {
  return rows.filter((row) => !notCounted(row));
}

/** Whether `a` is applied before `b`: earlier in one file, or in a file filepath.Walk reaches first. */
function appliedBefore(a: Resource, b: Resource): boolean {
  const [x, y] = [a.source.span, b.source.span];
  if (x.file === y.file) return x.startOffset < y.startOffset;
  return walkOrder(x.file, y.file) < 0;
}

/** Paths as filepath.Walk visits them: name by name, each directory's entries in lexical order. */
function walkOrder(a: string, b: string): number {
  const [x, y] = [a.split("/"), b.split("/")];
  for (let i = 0; i < Math.min(x.length, y.length); i++) {
    const [p, q] = [x[i] as string, y[i] as string];
    if (p !== q) return p < q ? -1 : 1;
  }
  return x.length - y.length;
}

function whyCounted(copy: Resource, kept: Resource): string {
  const [x, y] = [copy.source.span, kept.source.span];
  if (x.file === y.file && x.startOffset !== y.startOffset)
    return "later in the same file: kubectl and ArgoCD apply a file's documents in order, the last wins";
  const [a, b] = [copy.application, kept.application];
  if (x.file !== y.file && a && b && a.name === b.name && a.file === b.file)
    return `ArgoCD Application ${a.name} keeps the last copy of its manifests, files in path order`;
  return "assumed: the copy applied last, files in path order as kubectl apply -R reads them; no deploy path that applies both is known";
}
