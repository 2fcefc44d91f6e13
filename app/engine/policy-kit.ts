import { YamlEditor, type YamlValue } from "../iac/yaml/yaml-edits.ts";
import { YamlFile } from "../iac/yaml/yaml-file.ts";
import type { ContainerDemand, FieldSpan, Resource, WorkloadDemand } from "../model/resource.ts";
import { fileStart, type Span } from "../model/span.ts";
import type { TextEdit } from "./finding.ts";
import type { ReviewedResource } from "./policy.ts";

/** Helpers policies share: paths of fields, edits on the files that define resources. */

/** A JSON pointer as a YAML path (sequence indexes as numbers). */
export function pathOf(pointer: string): (string | number)[] {
  if (pointer === "") return [];
  return pointer
    .slice(1)
    .split("/")
    .map((segment) => segment.replaceAll("~1", "/").replaceAll("~0", "~"))
    .map((segment) => (/^\d+$/.test(segment) ? Number(segment) : segment));
}

/** The location of a field of a resource, when it is written. */
export function field(resource: Resource, path: (string | number)[]): FieldSpan | undefined {
  const pointer = path.map((s) => `/${String(s).replaceAll("~", "~0").replaceAll("/", "~1")}`).join("");
  return resource.source.fields[pointer];
}

export function workload(reviewed: ReviewedResource): WorkloadDemand | undefined {
  const demand = reviewed.resource.demand;
  return demand.type === "workload" ? demand : undefined;
}

/** Edits that set fields of a resource's object (creating missing maps), or undefined when it cannot. */
export function setFields(
  text: (file: string) => string | undefined,
  resource: Resource,
  changes: { path: (string | number)[]; value: YamlValue }[],
): TextEdit[] | undefined {
  const document = resource.source.document;
  if (!document) return undefined;
  return new YamlEditor(text).setAll(resource.source.span.file, document.index, document.path, changes);
}

/** Containers a resource runs, with their paths in its document. */
export function containers(
  reviewed: ReviewedResource,
): { container: ContainerDemand; path: (string | number)[] }[] {
  return (workload(reviewed)?.containers ?? []).map((container) => ({
    container,
    path: pathOf(container.pointer),
  }));
}

/** Where a key of a one-document YAML file is written (key to value); the file's start when it is not. */
export function configSpan(file: string, text: string | undefined, path: (string | number)[]): Span {
  const start = fileStart(file);
  if (text === undefined) return start;
  try {
    const node = new YamlFile(file, text).documents[0]?.locate(path);
    if (!node) return start;
    return node.key
      ? {
          ...node.value,
          startLine: node.key.startLine,
          startColumn: node.key.startColumn,
          startOffset: node.key.startOffset,
        }
      : node.value;
  } catch {
    return start;
  }
}
