import { isDeepStrictEqual } from "node:util";
import type { EnvironmentBasis } from "../estimate/basis.ts";
import { estimateResource } from "../estimate/estimate-resource.ts";
import { kubernetes } from "../iac/kubernetes/index.ts";
import { objectName } from "../iac/kubernetes/link.ts";
import type { ModifierEffect, Resource } from "../model/resource.ts";
import { objectKey } from "./counted-once.ts";
import { type LinkGroup, linkGroupsOf, sumEstimates } from "./evaluate.ts";
import type { Evaluation, ParsedFile, Totals } from "./types.ts";

/** Files parsed again with their fixed texts, by the file as the run parsed it. */
export type ReplacedFiles = ReadonlyMap<ParsedFile, ParsedFile>;

/** What replacing some parsed files changes in the monthly totals, or undefined when it cannot say. */
export type FilesMeter = (replaced: ReplacedFiles) => Totals | undefined;

/**
 * Measures a fix on the resources whose figures it can change, linked with what links them in their
 * environment, where those are known: else undefined, and the whole environment is measured.
 * Kubernetes linking (link.ts) changes a resource by its environment's settings and modifiers: the
 * first LimitRange of its namespace, the StorageClasses, the autoscalers naming it (found by kind,
 * namespace and name, the last one applied); load balancers of one group share by order. Counting once
 * (counted-once.ts) compares copies of one object. So an edit is measured here when it replaces one file
 * of the environment, that file keeps its objects (the same kinds, namespaces and names, in order), its
 * LimitRanges and StorageClasses as they were, holds no load balancer of a group before or after,
 * declares none of its objects twice, and no other object of the environment has the name of one of
 * them or of a workload its autoscalers scale (before or after). What it can change is then its own
 * resources and the targets of its autoscalers: those, the autoscalers naming them, the StorageClasses
 * and the LimitRanges of their namespaces are linked in the environment's order, before and after.
 */
export function localMeter(
  evaluation: Evaluation,
  adjust: (evaluation: Evaluation) => Evaluation,
): FilesMeter {
  const { linkGroups, copies } = linkGroupsOf(evaluation.parsed);
  const repeated = new Set<string | undefined>();
  for (const copy of copies.notCounted.keys()) repeated.add(objectKey(copy));
  const contexts = new Map<string, LinkContext>();
  for (const group of linkGroups) {
    if (group.format.link !== kubernetes.link) continue;
    contexts.set(group.basis.environment, linkContext(group, copies.notCounted, repeated));
  }
  const totalsOf = (context: LinkContext, resources: Resource[]) => {
    const linked = context.link(resources);
    if (!linked) return undefined;
    const evaluated = linked.map((resource) => ({
      resource,
      estimate: estimateResource(resource, context.basis),
    }));
    const estimated = { resources: evaluated, diagnostics: [], objects: 0, parsed: [], parseDiagnostics: [] };
    return sumEstimates(adjust(estimated).resources);
  };
  return (replaced) => {
    const delta = { monthlyCost: 0, monthlyCarbonKg: 0 };
    const environments = new Set([...replaced.keys()].map((file) => file.basis.environment));
    if (environments.size !== replaced.size) return undefined;
    for (const [file, edited] of replaced) {
      const context = contexts.get(file.basis.environment);
      if (file.format.link !== kubernetes.link || !context) return undefined;
      const linked = context.affected(file.result.resources, edited.result.resources);
      if (!linked) return undefined;
      const [was, is] = [totalsOf(context, linked.before), totalsOf(context, linked.after)];
      if (!was || !is) return undefined;
      delta.monthlyCost += is.monthlyCost - was.monthlyCost;
      delta.monthlyCarbonKg += is.monthlyCarbonKg - was.monthlyCarbonKg;
    }
    return delta;
  };
}

/** What links one environment's counted Kubernetes resources. */
type LinkContext = {
  basis: EnvironmentBasis;
  /**
   * The resources a file's change can change the figures of, with what links them, in the
   * environment's order, before and after the change; undefined when they are not known.
   */
  affected(before: Resource[], after: Resource[]): { before: Resource[]; after: Resource[] } | undefined;
  /** Resources linked alone as the whole environment links them; undefined if linking throws. */
  link(resources: Resource[]): Resource[] | undefined;
};

function linkContext(
  group: LinkGroup,
  notCounted: ReadonlyMap<Resource, unknown>,
  repeated: ReadonlySet<string | undefined>,
): LinkContext {
  const counted = group.resources.filter((resource) => !notCounted.has(resource));
  const others = group.resources.filter((resource) => notCounted.has(resource));
  const position = new Map(counted.map((resource, index) => [resource, index]));
  const byName = Map.groupBy(counted, nameOf);
  const limitRanges = new Map<string, Resource>();
  const storageClasses: Resource[] = [];
  const autoscalers = new Map<string, Resource[]>();
  for (const resource of counted) {
    const effect = effectOf(resource);
    const namespace = resource.namespace ?? "";
    if (effect?.kind === "limit-range" && !limitRanges.has(namespace)) limitRanges.set(namespace, resource);
    if (effect?.kind === "storage-class") storageClasses.push(resource);
    if (effect?.kind === "autoscaler") {
      const target = targetOf(resource);
      autoscalers.set(target, [...(autoscalers.get(target) ?? []), resource]);
    }
  }
  const unique = (name: string) => (byName.get(name)?.length ?? 0) <= 1;
  let linksWhole: boolean | undefined;
  const linksWithoutError = (resources: Resource[], linking = resources.length) => {
    try {
      return group.format.link(resources, group.basis.settings, linking).resources;
    } catch {
      return undefined;
    }
  };
  return {
    basis: group.basis,
    affected: (before, after) => {
      if (before.length !== after.length) return undefined;
      const names = new Set<string>();
      for (const [index, was] of before.entries()) {
        const is = after[index] as Resource;
        if (!sameObject(was, is) || !linksAsBefore(was, is) || grouped(was) || grouped(is)) return undefined;
        if (repeated.has(objectKey(was)) || byName.get(nameOf(was))?.length !== 1) return undefined;
        names.add(nameOf(was));
        for (const autoscaler of [was, is])
          if (effectOf(autoscaler)?.kind === "autoscaler") names.add(targetOf(autoscaler));
      }
      const targets = [...names].flatMap((name) => byName.get(name) ?? []);
      if (![...names].every(unique)) return undefined;
      const linking = [...targets, ...[...names].flatMap((name) => autoscalers.get(name) ?? [])];
      const namespaces = new Set(linking.map((resource) => resource.namespace ?? ""));
      const all = new Set([
        ...before,
        ...linking,
        ...storageClasses,
        ...[...namespaces].flatMap((namespace) => limitRanges.get(namespace) ?? []),
      ]);
      const ordered = [...all].sort((a, b) => (position.get(a) as number) - (position.get(b) as number));
      const replace = new Map(before.map((was, index) => [was, after[index] as Resource]));
      return { before: ordered, after: ordered.map((resource) => replace.get(resource) ?? resource) };
    },
    link: (resources) => {
      linksWhole ??= linksWithoutError([...counted, ...others], counted.length) !== undefined;
      return linksWhole ? linksWithoutError(resources) : undefined;
    },
  };
}

/** Whether a resource is parsed again as the same object: to counting once (its key) and to linking (its name). */
function sameObject(was: Resource, is: Resource): boolean {
  return objectKey(was) === objectKey(is) && nameOf(was) === nameOf(is);
}

/**
 * Whether a resource parsed again links others as before, or only its targets: neither is a modifier,
 * both are autoscalers, or both the same modifier.
 */
function linksAsBefore(was: Resource, is: Resource): boolean {
  const [before, after] = [effectOf(was), effectOf(is)];
  if (!before && !after) return true;
  if (before?.kind === "autoscaler" && after?.kind === "autoscaler") return true;
  return isDeepStrictEqual(was.demand, is.demand);
}

function effectOf(resource: Resource): ModifierEffect | undefined {
  return resource.demand.type === "modifier" ? resource.demand.effect : undefined;
}

/** The name of what an autoscaler scales: a kind and name in its own namespace. */
function targetOf(autoscaler: Resource): string {
  const effect = effectOf(autoscaler) as Extract<ModifierEffect, { kind: "autoscaler" }>;
  return objectName(effect.target.kind, autoscaler.namespace ?? "", effect.target.name);
}

/** A load balancer of a group: the first of the environment's owns it, the others share it. */
function grouped(resource: Resource): boolean {
  return resource.demand.type === "load-balancer" && resource.demand.group !== undefined;
}

function nameOf(resource: Resource): string {
  return objectName(resource.kind, resource.namespace ?? "", resource.name);
}
