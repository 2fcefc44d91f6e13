import { pointerOf } from "../../model/pointer.ts";
import type { FieldSpan } from "../../model/resource.ts";
import type { Span } from "../../model/span.ts";
import { isRecord } from "../cloud/attributes.ts";
import type { YamlDocument, YamlPath } from "../yaml/yaml-file.ts";

/**
 * A Kubernetes object as Kustomize renders it, with where each field was written: the base file for
 * what no overlay changed, the patch (or the kustomization line) for what one did.
 */
export type LocatedObject = {
  value: Record<string, unknown>;
  /** JSON pointer → where the field's value (and key) is written. */
  fields: Map<string, FieldSpan>;
  /** The document the object came from. */
  span: Span;
};

/** Every field of a YAML document with its location. */
export function locatedDocument(document: YamlDocument, root: YamlPath = []): LocatedObject | undefined {
  const value = root.length === 0 ? document.value : document.valueAt(root);
  if (!isRecord(value)) return undefined;
  const fields = new Map<string, FieldSpan>();
  const walk = (node: unknown, path: YamlPath) => {
    const located = fieldAt(document, [...root, ...path]);
    if (located) fields.set(pointerOf(path), located);
    if (Array.isArray(node)) {
      for (const [i, item] of node.entries()) walk(item, [...path, i]);
    } else if (isRecord(node)) for (const [key, item] of Object.entries(node)) walk(item, [...path, key]);
  };
  walk(value, []);
  const span = document.locate(root)?.value ?? document.span();
  return { value: structuredClone(value), fields, span };
}

/** Where a node of a document is written, with the document's index and the node's path in it (for an edit). */
export function fieldAt(document: YamlDocument, path: YamlPath): FieldSpan | undefined {
  const located = document.locate(path);
  if (!located) return undefined;
  const key = located.key ? { key: located.key } : {};
  return { value: located.value, ...key, yamlDocument: document.index, yamlPath: path };
}

/** Every location under `prefix` (a JSON pointer) of one object, re-rooted at `target` in another. */
export function copyFields(
  from: Map<string, FieldSpan>,
  prefix: string,
  into: Map<string, FieldSpan>,
  target: string,
): void {
  dropFields(into, target);
  for (const [path, span] of from) {
    if (path === prefix || path.startsWith(`${prefix}/`)) into.set(target + path.slice(prefix.length), span);
  }
}

/** Forgets the locations of a field and everything under it. */
export function dropFields(fields: Map<string, FieldSpan>, prefix: string): void {
  for (const path of [...fields.keys()]) {
    if (path === prefix || path.startsWith(`${prefix}/`)) fields.delete(path);
  }
}

/** Every location under `prefix` becomes `span` (a value set by a kustomization line). */
export function setFields(fields: Map<string, FieldSpan>, prefix: string, span: FieldSpan): void {
  dropFields(fields, prefix);
  fields.set(prefix, span);
}
