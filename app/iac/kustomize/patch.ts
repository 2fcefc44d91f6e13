import type { FieldSpan } from "../../model/resource.ts";
import { isRecord } from "../cloud/attributes.ts";
import { copyFields, dropFields, type LocatedObject, setFields } from "./located.ts";

/** List fields merged by a key rather than replaced (k8s.io/api `patchMergeKey`), the common ones. */
const MERGE_KEYS: Record<string, string[]> = {
  containers: ["name"],
  initContainers: ["name"],
  ephemeralContainers: ["name"],
  volumes: ["name"],
  env: ["name"],
  volumeMounts: ["mountPath"],
  ports: ["containerPort", "port"],
  imagePullSecrets: ["name"],
  hostAliases: ["ip"],
};

/**
 * Whether a field of a strategic merge patch only names what it patches: the object's name and
 * namespace, a list item's merge key (a container's name).
 */
export function namesTarget(path: readonly (string | number)[]): boolean {
  if (path.length === 2 && path[0] === "metadata") return path[1] === "name" || path[1] === "namespace";
  const [list, index, key] = path.slice(-3);
  return (
    typeof index === "number" && typeof key === "string" && (MERGE_KEYS[String(list)] ?? []).includes(key)
  );
}

const DELETE = Symbol("delete");

/**
 * A strategic merge patch (kubectl's, as Kustomize applies it): maps merge, known lists merge by
 * their key, other lists and scalars are replaced, `null` and `$patch: delete` remove, `$patch:
 * replace` replaces. Locations of what the patch sets come from the patch.
 */
export function strategicMerge(target: LocatedObject, patch: LocatedObject): void {
  const merged = merge(target.value, patch.value, "", "", target.fields, patch.fields);
  if (merged !== DELETE && isRecord(merged)) target.value = merged;
}

function merge(
  base: unknown,
  patch: unknown,
  at: string,
  from: string,
  fields: Map<string, FieldSpan>,
  patchFields: Map<string, FieldSpan>,
): unknown {
  if (isRecord(patch)) {
    if (patch.$patch === "delete") return DELETE;
    if (patch.$patch === "replace" || !isRecord(base)) {
      const { $patch: _, ...rest } = patch;
      copyFields(patchFields, from, fields, at);
      return withoutDirectives(rest);
    }
    const result: Record<string, unknown> = { ...base };
    for (const [key, value] of Object.entries(patch)) {
      if (key.startsWith("$")) continue;
      const path = `${at}/${escapePointer(key)}`;
      const patchPath = `${from}/${escapePointer(key)}`;
      if (value === null) {
        delete result[key];
        dropFields(fields, path);
        continue;
      }
      const next = Array.isArray(value)
        ? mergeList(result[key], value, key, path, patchPath, fields, patchFields)
        : merge(result[key], value, path, patchPath, fields, patchFields);
      if (next === DELETE) {
        delete result[key];
        dropFields(fields, path);
      } else result[key] = next;
    }
    return result;
  }
  copyFields(patchFields, from, fields, at);
  return patch;
}

function mergeList(
  base: unknown,
  patch: unknown[],
  key: string,
  at: string,
  from: string,
  fields: Map<string, FieldSpan>,
  patchFields: Map<string, FieldSpan>,
): unknown[] {
  const mergeKey = (MERGE_KEYS[key] ?? []).find((k) => patch.every((item) => isRecord(item) && k in item));
  if (!Array.isArray(base) || mergeKey === undefined) {
    copyFields(patchFields, from, fields, at);
    return patch.map((item) => (isRecord(item) ? withoutDirectives(item) : item));
  }
  const result = [...base];
  patch.forEach((item, i) => {
    const record = item as Record<string, unknown>;
    const index = result.findIndex(
      (existing) => isRecord(existing) && existing[mergeKey] === record[mergeKey],
    );
    if (index === -1) {
      if (record.$patch === "delete") return;
      copyFields(patchFields, `${from}/${i}`, fields, `${at}/${result.length}`);
      result.push(withoutDirectives(record));
      return;
    }
    const merged = merge(result[index], record, `${at}/${index}`, `${from}/${i}`, fields, patchFields);
    if (merged === DELETE) {
      result.splice(index, 1);
      dropFields(fields, `${at}/${index}`);
    } else result[index] = merged;
  });
  return result;
}

function withoutDirectives(value: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(value).filter(([key]) => !key.startsWith("$")));
}

export type JsonPatchOperation = { op: string; path: string; value?: unknown; from?: string };

/**
 * RFC 6902 operations (add, replace, remove; Kustomize's JSON6902 patches). `located` says where the
 * operation is written. Returns the operations that could not be applied, with why.
 */
export function jsonPatch(
  target: LocatedObject,
  operations: JsonPatchOperation[],
  located: (index: number) => FieldSpan,
): string[] {
  const problems: string[] = [];
  operations.forEach((operation, index) => {
    const segments = operation.path.split("/").slice(1).map(unescapePointer);
    const last = segments.pop();
    const parent = segments.reduce<unknown>(
      (node, segment) =>
        isRecord(node) || Array.isArray(node) ? (node as Record<string, unknown>)[segment] : undefined,
      target.value,
    );
    if (last === undefined || (!isRecord(parent) && !Array.isArray(parent))) {
      problems.push(`${operation.op} ${operation.path}: the path does not exist`);
      return;
    }
    if (operation.op === "remove") {
      if (Array.isArray(parent)) parent.splice(Number(last), 1);
      else delete parent[last];
      dropFields(target.fields, operation.path);
      return;
    }
    if (operation.op !== "add" && operation.op !== "replace") {
      problems.push(`${operation.op} ${operation.path}: only add, replace and remove are applied`);
      return;
    }
    if (Array.isArray(parent)) {
      const position = last === "-" ? parent.length : Number(last);
      if (operation.op === "add") parent.splice(position, 0, operation.value);
      else parent[position] = operation.value;
      setFields(target.fields, `/${[...segments.map(escape), String(position)].join("/")}`, located(index));
    } else {
      parent[last] = operation.value;
      setFields(target.fields, operation.path, located(index));
    }
  });
  return problems;
}

function escapePointer(segment: string): string {
  return segment.replaceAll("~", "~0").replaceAll("/", "~1");
}

function unescapePointer(segment: string): string {
  return segment.replaceAll("~1", "/").replaceAll("~0", "~");
}
