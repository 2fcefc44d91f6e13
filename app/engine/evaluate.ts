import type { EnvironmentBasis } from "../estimate/basis.ts";
import { estimateResource, type ResourceEstimate } from "../estimate/estimate-resource.ts";
import { linkContained, parseContained } from "../iac/contained.ts";
import type { IacFormat, ParseContext, ParseResult } from "../iac/format.ts";
import type { Resource } from "../model/resource.ts";
import type { Diagnostic } from "../model/span.ts";
import type { SourceFile } from "../source/snapshot.ts";
import { attach } from "./applications.ts";
import { contextOf, type Environments, type Placement, placementsOf } from "./environments.ts";
import { FORMATS } from "./formats.ts";
import type { Totals } from "./policy.ts";
import { EMPTY_STAGE, type ProjectStage } from "./projects.ts";

export type EvaluatedResource = { resource: Resource; estimate: ResourceEstimate };

export type Evaluation = {
  resources: EvaluatedResource[];
  diagnostics: Diagnostic[];
  objects: number;
  /** Every file as parsed, before linking: what fixes are re-estimated from. */
  parsed: ParsedFile[];
};

/**
 * One file read by its format, in its environment; or one project (a Kustomize root, a Pulumi program),
 * whose `path` is its directory. `context` and `placement` say how it was read, to read it again.
 */
export type ParsedFile = {
  path: string;
  format: IacFormat;
  basis: EnvironmentBasis;
  result: ParseResult;
  context?: ParseContext;
  placement?: Placement;
};

const HELM_TEMPLATE = /(^|\/)templates\/[^/]+$/;

/**
 * Parses, links the resources of each environment, and estimates every resource. Multi-file inputs
 * (Kustomize, Pulumi programs) were read before, in `projects`; the files they read are skipped.
 */
export function evaluate(
  files: SourceFile[],
  environments: Environments,
  onFile?: (done: number) => void,
  projects: ProjectStage = EMPTY_STAGE,
): Evaluation {
  const single = parseFiles(
    files.filter((file) => !projects.consumed.has(file.path)),
    environments,
    onFile,
  );
  return estimateParsed({
    parsed: [...single.parsed, ...projects.parsed],
    diagnostics: [...single.diagnostics, ...projects.diagnostics],
  });
}

/** Reads each file with the first format that recognises it; files that cannot be read become diagnostics. */
export function parseFiles(
  files: SourceFile[],
  environments: Environments,
  onFile?: (done: number) => void,
): { parsed: ParsedFile[]; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  const parsed: ParsedFile[] = [];
  files.forEach((file, index) => {
    onFile?.(index + 1);
    if ("skipped" in file) {
      diagnostics.push({ file: file.path, line: 1, severity: "warning", message: file.skipped });
      return;
    }
    const format = FORMATS.find((f) => f.detect(file.path, file.text));
    if (!format) return;
    if (HELM_TEMPLATE.test(file.path) && file.text.includes("{{")) {
      const message =
        "a Helm template: render the chart (helm template) and review the output; not estimated";
      diagnostics.push({ file: file.path, line: 1, severity: "notice", message });
      return;
    }
    for (const placement of placementsOf(environments, file.path)) {
      const context = contextOf(environments, file.path, placement);
      const result = parseContained(format, file.path, file.text, context);
      attach(result.resources, placement);
      parsed.push({ path: file.path, format, basis: placement.basis, result, context, placement });
    }
  });
  return { parsed, diagnostics };
}

/** A file parsed again with another text, as it was read the first time (its context and placement). */
export function reparse(file: ParsedFile, text: string): ParsedFile {
  const context = file.context ?? { environment: file.basis.environment, settings: file.basis.settings };
  const result = parseContained(file.format, file.path, text, context);
  if (file.placement) attach(result.resources, file.placement);
  return { ...file, result };
}

/** Links the resources of each environment and format together, then estimates each. */
export function estimateParsed({
  parsed,
  diagnostics,
}: {
  parsed: ParsedFile[];
  diagnostics: Diagnostic[];
}): Evaluation {
  const all = [...diagnostics];
  const groups = new Map<string, { basis: EnvironmentBasis; format: IacFormat; resources: Resource[] }>();
  let objects = 0;
  for (const { format, basis, result } of parsed) {
    all.push(...result.diagnostics);
    objects += result.resources.length;
    const key = `${format.id}\0${basis.environment}`;
    let group = groups.get(key);
    if (!group) {
      group = { basis, format, resources: [] };
      groups.set(key, group);
    }
    for (const resource of result.resources) group.resources.push(resource);
  }
  const resources: EvaluatedResource[] = [];
  for (const { basis, format, resources: group } of groups.values()) {
    const linked = linkContained(format, group, basis.settings);
    all.push(...linked.diagnostics);
    for (const resource of linked.resources)
      resources.push({ resource, estimate: estimateResource(resource, basis) });
  }
  return { resources, diagnostics: all, objects, parsed };
}

/** The monthly totals of some evaluated resources (unpriced ones count as zero). */
export function sumEstimates(resources: Iterable<EvaluatedResource | undefined>): Totals {
  const totals = { monthlyCost: 0, monthlyCarbonKg: 0 };
  for (const resource of resources) {
    totals.monthlyCost += resource?.estimate.monthlyCost ?? 0;
    totals.monthlyCarbonKg += resource?.estimate.monthlyCarbonKg ?? 0;
  }
  return totals;
}
