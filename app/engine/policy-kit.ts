import { attributeField } from "../iac/cloud/attributes.ts";
import { renderedEdits } from "../iac/kustomize/edits.ts";
import { literalEdits } from "../iac/pulumi/literal-edits.ts";
import { YamlEditor, type YamlValue } from "../iac/yaml/yaml-edits.ts";
import { YamlFile } from "../iac/yaml/yaml-file.ts";
import type { AttributePath } from "../model/cloud.ts";
import { pathOf, pointerOf } from "../model/pointer.ts";
import type { ContainerDemand, FieldSpan, Resource, WorkloadDemand } from "../model/resource.ts";
import { fileStart, type Span } from "../model/span.ts";
import type { Edits, Fix } from "./finding.ts";
import type { ReportedFinding, ReviewedResource } from "./policy.ts";

/** Helpers policies share: paths of fields, edits on the files that define resources. */

/** The location of a field of a resource, when it is written. */
export function field(resource: Resource, path: (string | number)[]): FieldSpan | undefined {
  return resource.source.fields[pointerOf(path)];
}

export function workload(reviewed: ReviewedResource): WorkloadDemand | undefined {
  const demand = reviewed.resource.demand;
  return demand.type === "workload" ? demand : undefined;
}

/**
 * Edits that set fields of a resource: in its YAML document (creating missing maps), in the bases and
 * patches a Kustomize render reads, or the literals and stack config values a Pulumi program writes
 * them with; why not when it cannot (made by hand).
 */
export function setFields(
  text: (file: string) => string | undefined,
  resource: Resource,
  changes: { path: (string | number)[]; value: YamlValue }[],
): Edits {
  const document = resource.source.document;
  if (resource.source.format === "kustomize") return renderedEdits(text, resource, changes);
  if (!document) return literalEdits(text, resource, changes);
  const { file } = resource.source.span;
  return new YamlEditor(text).setAll(file, document.index, document.path, changes, document);
}

/**
 * Where a finding on one attribute of a cloud resource (a path of Terraform names) is, and the fix that
 * sets it to `value`, when the attribute is written; `how` is the message's tail that says what to set
 * (`: set its <what> to <value>`) when it is not written or is written under another name, else empty.
 */
export function attributeFix(
  text: (file: string) => string | undefined,
  resource: Resource,
  path: AttributePath | undefined,
  change: { what: string; value: string | number; title: string; kind?: Fix["kind"] },
): { how: string } & Pick<ReportedFinding<string>, "at" | "fix"> {
  const { what, value, title, kind } = change;
  const at = path && attributeField(resource.source.fields, path);
  const how = at && !at.viaAlias && !at.computed ? "" : `: set its ${what} to ${value}`;
  if (!at || !path) return { how };
  const edits = () => setFields(text, resource, [{ path, value }]);
  return { how, at, fix: { title, edits, ...(kind ? { kind } : {}) } };
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
