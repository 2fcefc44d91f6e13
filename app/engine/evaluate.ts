import type { EnvironmentBasis } from "../estimate/basis.ts";
import { estimateResource } from "../estimate/estimate-resource.ts";
import { linkContained, parseContained } from "../iac/contained.ts";
import type { IacFormat } from "../iac/format.ts";
import { unrenderedTemplate } from "../iac/yaml/go-template.ts";
import type { Resource } from "../model/resource.ts";
import type { Diagnostic } from "../model/span.ts";
import type { SourceFile } from "../source/snapshot.ts";
import { attach } from "./applications.ts";
import { countedResources, countOnce } from "./counted-once.ts";
import { contextOf, type Environments, placementsOf } from "./environments.ts";
import { FORMATS } from "./formats.ts";
import type {
  EvaluatedResource,
  Evaluation,
  NotCounted,
  Parsed,
  ParsedFile,
  ProjectStage,
  Totals,
} from "./types.ts";

const HELM_TEMPLATE = /(^|\/)templates\/[^/]+$/;

/**
 * Parses, links the resources of each environment, and estimates every resource. Multi-file inputs
 * (Kustomize, Pulumi programs) were read before, in `projects`; the files they read are skipped.
 */
export function evaluate(
  files: SourceFile[],
  environments: Environments,
  onFile?: (done: number) => void,
  projects?: ProjectStage,
): Evaluation {
  return estimateParsed(parseRead(files, environments, { onFile, projects }));
}

/**
 * The parse of the files a side read: those parsed `before` (a review's touched files), then `files`,
 * then the projects; the files a project read are left to it.
 */
export function parseRead(
  files: SourceFile[],
  environments: Environments,
  options: {
    before?: Parsed;
    projects?: ProjectStage | undefined;
    onFile?: ((done: number) => void) | undefined;
  },
): Parsed {
  const { before, projects } = options;
  const mine = (path: string) => !projects?.consumed.has(path);
  const parsed = parseFiles(
    files.filter((file) => mine(file.path)),
    environments,
    options.onFile,
  );
  return joinParsed(
    ...(before
      ? [
          {
            parsed: before.parsed.filter((p) => mine(p.path)),
            diagnostics: before.diagnostics.filter((d) => mine(d.file)),
          },
        ]
      : []),
    parsed,
    ...(projects ? [inEnvironments(projects, environments)] : []),
  );
}

/**
 * The projects' files under the environments' settings as given: a fix's check that edits settings
 * reads them again, and the projects, read once before it, would keep the settings as read.
 */
function inEnvironments(projects: ProjectStage, environments: Environments): Parsed {
  const parsed = projects.parsed.map((file) => {
    const basis = environments.all.get(file.basis.environment);
    return basis && basis !== file.basis ? { ...file, basis } : file;
  });
  return { parsed, diagnostics: projects.diagnostics };
}

/** Reads each file with the first format that recognises it; files that cannot be read become diagnostics. */
export function parseFiles(
  files: SourceFile[],
  environments: Environments,
  onFile?: (done: number) => void,
): Parsed {
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
      const message = `${unrenderedTemplate("a Helm template", "the chart")}; not estimated`;
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

/** Several parses as one, in order. */
function joinParsed(...parses: Parsed[]): Parsed {
  return {
    parsed: parses.flatMap((p) => p.parsed),
    diagnostics: parses.flatMap((p) => p.diagnostics),
  };
}

/** A file parsed again with another text, as it was read the first time (its context and placement). */
export function reparse(file: ParsedFile, text: string): ParsedFile {
  const context = file.context ?? { environment: file.basis.environment, settings: file.basis.settings };
  const result = parseContained(file.format, file.path, text, context);
  if (file.placement) attach(result.resources, file.placement);
  return { ...file, result };
}

/**
 * Links the resources of each environment together, those of formats that link alike as one (manifests,
 * Kustomize and Helm renders, ArgoCD's), then estimates each. An object an environment declares twice
 * is counted once (counted-once.ts), before linking: a copy not counted links nothing (an autoscaler
 * declared twice scales its target as the counted copy says) and is linked as its environment would
 * link it, for its own figures.
 */
export function estimateParsed({ parsed, diagnostics }: Parsed): Evaluation {
  const all = [...diagnostics];
  let objects = 0;
  for (const { result } of parsed) {
    all.push(...result.diagnostics);
    objects += result.resources.length;
  }
  const { linkGroups, copies } = linkGroupsOf(parsed);
  const resources: EvaluatedResource[] = [];
  for (const group of linkGroups) {
    const linked = linkCounted(group, copies.notCounted);
    all.push(...linked.diagnostics);
    for (const resource of linked.resources) resources.push(resource);
  }
  all.push(...copies.diagnostics);
  return { resources, diagnostics: all, objects, parsed, parseDiagnostics: diagnostics };
}

/**
 * The parse's resources by environment, those of formats that link alike as one group, in the order
 * they are linked; and the copies of objects declared twice that are not counted (counted-once.ts).
 */
export function linkGroupsOf(parsed: readonly ParsedFile[]): {
  linkGroups: LinkGroup[];
  copies: ReturnType<typeof countOnce>;
} {
  const groups = new Map<IacFormat["link"], Map<string, LinkGroup>>();
  for (const { format, basis, result } of parsed) {
    const byEnvironment = groups.get(format.link) ?? new Map<string, LinkGroup>();
    groups.set(format.link, byEnvironment);
    let group = byEnvironment.get(basis.environment);
    if (!group) {
      group = { basis, format, resources: [] };
      byEnvironment.set(basis.environment, group);
    }
    for (const resource of result.resources) group.resources.push(resource);
  }
  const linkGroups = [...groups.values()].flatMap((byEnvironment) => [...byEnvironment.values()]);
  return { linkGroups, copies: countOnce(linkGroups.flatMap((group) => group.resources)) };
}

/** One environment's resources of formats that link alike, as read, with the first format's linker. */
export type LinkGroup = { basis: EnvironmentBasis; format: IacFormat; resources: Resource[] };

/** One environment's resources of formats that link alike linked (the copies not counted last: they link nothing) and estimated. */
function linkCounted(
  { basis, format, resources: group }: LinkGroup,
  notCounted: ReadonlyMap<Resource, NotCounted>,
): { resources: EvaluatedResource[]; diagnostics: Diagnostic[] } {
  const counted = group.filter((resource) => !notCounted.has(resource));
  const others = group.filter((resource) => notCounted.has(resource));
  const linked = linkContained(format, [...counted, ...others], basis.settings, counted.length);
  let [nextCounted, nextOther] = [0, counted.length];
  const resources = group.map((parsed): EvaluatedResource => {
    const copy = notCounted.get(parsed);
    const resource = linked.resources[copy ? nextOther++ : nextCounted++] as Resource;
    const estimate = estimateResource(resource, basis);
    return copy ? { resource, estimate, notCounted: copy } : { resource, estimate };
  });
  return { resources, diagnostics: linked.diagnostics };
}

/** The same parse estimated again: after the environments' prices changed (OpenCost's observed prices). */
export function estimateAgain(evaluation: Evaluation): Evaluation {
  return estimateParsed({ parsed: evaluation.parsed, diagnostics: evaluation.parseDiagnostics });
}

/** The monthly totals of some evaluated resources (unpriced ones count as zero, copies not counted not at all). */
export function sumEstimates(resources: Iterable<EvaluatedResource | undefined>): Totals {
  const totals = { monthlyCost: 0, monthlyCarbonKg: 0 };
  for (const { estimate } of countedResources(resources)) {
    totals.monthlyCost += estimate.monthlyCost ?? 0;
    totals.monthlyCarbonKg += estimate.monthlyCarbonKg ?? 0;
  }
  return totals;
}

/**
 * What a change does to monthly totals: after minus before, to a millionth. Two sums of the same
 * figures in another order differ in their last bits, and a change of nothing must read as none.
 */
export function totalsChange(after: Totals, before: Totals): Totals {
  const change = (a: number, b: number) => Math.round((a - b) * 1e6) / 1e6 || 0;
  return {
    monthlyCost: change(after.monthlyCost, before.monthlyCost),
    monthlyCarbonKg: change(after.monthlyCarbonKg, before.monthlyCarbonKg),
  };
}
