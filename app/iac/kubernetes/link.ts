import type { EnvironmentSettings } from "../../config/environment-settings.ts";
import {
  type Demand,
  type ModifierEffect,
  type Resource,
  requestsNothing,
  type VolumeDemand,
  type WorkloadDemand,
} from "../../model/resource.ts";
import type { Diagnostic } from "../../model/span.ts";
import { podAmounts } from "./pod-template.ts";

type Effect<K extends ModifierEffect["kind"]> = Extract<ModifierEffect, { kind: K }>;

/**
 * Resolves, within one environment, what autoscalers, LimitRanges, StorageClasses and node counts do.
 * The resources as parsed are left as they are: linked copies are returned, in the same order, so the
 * same parsed resources can be linked again (with one file changed by a fix, for instance). Those from
 * `counted` on are copies not counted (engine/counted-once.ts): linked as the environment would link
 * them, they link nothing, and an autoscaler scales its counted target.
 */
export function linkManifests(
  parsed: Resource[],
  settings: EnvironmentSettings,
  counted = parsed.length,
): { resources: Resource[]; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  const resources = parsed.map(copyForLink);
  const linking = resources.slice(0, counted);
  applyLimitRanges(linking, resources);
  applyAutoscalers(linking, resources.slice(counted), diagnostics);
  applyStorageClasses(linking, resources, settings);
  shareLoadBalancerGroups(linking);
  for (const resource of resources) {
    const demand = resource.demand;
    if (demand.type !== "workload") continue;
    if (demand.replicas.basis === "node-count") {
      demand.replicas.count = settings.nodeCount ?? 1;
      if (settings.nodeCount === undefined) {
        resource.notes.push("the environment sets no nodeCount: the DaemonSet is estimated on 1 node");
      }
    }
    noteMissingRequests(resource, demand);
  }
  return { resources, diagnostics };
}

/** A copy whose parts linking changes are new objects (demand, notes); the rest is shared. */
function copyForLink(resource: Resource): Resource {
  return { ...resource, notes: [...resource.notes], demand: copyDemand(resource.demand) };
}

function copyDemand(demand: Demand): Demand {
  switch (demand.type) {
    case "workload":
      return {
        ...demand,
        replicas: { ...demand.replicas },
        pod: { ...demand.pod },
        containers: demand.containers.map((c) => ({
          ...c,
          effective: { ...c.effective },
          basis: { ...c.basis },
        })),
        volumeClaims: demand.volumeClaims.map((claim) => ({ ...claim })),
      };
    case "volume":
    case "load-balancer":
      return { ...demand };
    default:
      return demand;
  }
}

function modifiers<K extends ModifierEffect["kind"]>(
  resources: Resource[],
  kind: K,
): [Resource, Effect<K>][] {
  const found: [Resource, Effect<K>][] = [];
  for (const resource of resources) {
    const demand = resource.demand;
    if (demand.type === "modifier" && demand.effect.kind === kind)
      found.push([resource, demand.effect as Effect<K>]);
  }
  return found;
}

/** LimitRanger admission: a container without a request gets the namespace's default request. */
function applyLimitRanges(linking: Resource[], resources: Resource[]): void {
  const byNamespace = new Map<string, [Resource, Effect<"limit-range">]>();
  for (const entry of modifiers(linking, "limit-range")) {
    const namespace = entry[0].namespace ?? "";
    if (!byNamespace.has(namespace)) byNamespace.set(namespace, entry);
  }
  if (byNamespace.size === 0) return;
  for (const resource of resources) {
    const demand = resource.demand;
    const limitRange = byNamespace.get(resource.namespace ?? "");
    if (demand.type !== "workload" || !limitRange) continue;
    const [range, effect] = limitRange;
    for (const container of demand.containers) {
      const cpu = effect.defaultRequest.cpuMillis;
      const memory = effect.defaultRequest.memoryBytes;
      if (container.basis.cpu === "none" && cpu !== undefined) {
        container.effective.cpuMillis = cpu;
        container.basis.cpu = "limit-range";
      }
      if (container.basis.memory === "none" && memory !== undefined) {
        container.effective.memoryBytes = memory;
        container.basis.memory = "limit-range";
      }
    }
    if (demand.containers.some((c) => c.basis.cpu === "limit-range" || c.basis.memory === "limit-range")) {
      resource.notes.push(`containers without requests get the defaults of ${range.id}`);
    }
    demand.pod = podAmounts(demand);
  }
}

/** Each autoscaler scales its target, and the target's copies not counted (`others`), to its minimum. */
function applyAutoscalers(linking: Resource[], others: Resource[], diagnostics: Diagnostic[]): void {
  const autoscalers = modifiers(linking, "autoscaler");
  if (autoscalers.length === 0) return;
  const byTarget = new ResourceIndex(linking);
  const otherCopies = Map.groupBy(others, (r) => objectName(r.kind, r.namespace ?? "", r.name));
  for (const [autoscaler, effect] of autoscalers) {
    const namespace = autoscaler.namespace ?? "";
    const target = byTarget.get(effect.target.kind, namespace, effect.target.name);
    if (target?.demand.type !== "workload") {
      diagnostics.push({
        file: autoscaler.source.span.file,
        line:
          autoscaler.source.fields["/spec/scaleTargetRef/name"]?.value.startLine ??
          autoscaler.source.span.startLine,
        severity: "notice",
        message: `${autoscaler.id} scales ${effect.target.kind}/${effect.target.name}, which is not in this environment's manifests`,
      });
      continue;
    }
    const copies = otherCopies.get(objectName(effect.target.kind, namespace, effect.target.name)) ?? [];
    for (const scaled of [target, ...copies]) {
      if (scaled.demand.type !== "workload") continue;
      const { minReplicas: min, maxReplicas: max } = effect;
      scaled.demand.replicas = { count: min, min, max, basis: "autoscaler", by: autoscaler.id };
      scaled.notes.push(
        `${autoscaler.id} scales it between ${min} and ${max} replicas: estimated at the minimum`,
      );
    }
  }
}

export function objectName(kind: string, namespace: string, name: string): string {
  return `${kind}\0${namespace}\0${name}`;
}

/**
 * Resources by kind, namespace and name; of two with the same, the later one. Maps of maps: a key
 * string per resource would be built, and hashed, for each of thousands of resources.
 */
class ResourceIndex {
  readonly #byKind = new Map<string, Map<string, Map<string, Resource>>>();

  constructor(resources: readonly Resource[]) {
    for (const resource of resources) {
      const namespace = resource.namespace ?? "";
      let byNamespace = this.#byKind.get(resource.kind);
      if (!byNamespace) {
        byNamespace = new Map();
        this.#byKind.set(resource.kind, byNamespace);
      }
      let byName = byNamespace.get(namespace);
      if (!byName) {
        byName = new Map();
        byNamespace.set(namespace, byName);
      }
      byName.set(resource.name, resource);
    }
  }

  get(kind: string, namespace: string, name: string): Resource | undefined {
    return this.#byKind.get(kind)?.get(namespace)?.get(name);
  }
}

const VOLUME_TYPES = new Set(["gp2", "gp3", "io1", "io2", "st1", "sc1", "standard"]);

function applyStorageClasses(
  linking: Resource[],
  resources: Resource[],
  settings: EnvironmentSettings,
): void {
  const classes = new Map<string, string | undefined>();
  let defaultClass: string | undefined;
  for (const [, effect] of modifiers(linking, "storage-class")) {
    classes.set(effect.name, effect.volumeType);
    if (effect.isDefault) defaultClass ??= effect.name;
  }
  for (const [name, type] of Object.entries(settings.storageClasses ?? {})) classes.set(name, type);
  defaultClass = settings.defaultStorageClass ?? defaultClass;
  for (const resource of resources) {
    for (const volume of volumesOf(resource)) {
      const className = volume.storageClass ?? defaultClass;
      if (volume.storageClass === undefined) {
        resource.notes.push(
          className
            ? `no storageClassName: the default class "${className}" is assumed`
            : "no storageClassName and no default StorageClass is known",
        );
      }
      if (className === undefined) continue;
      const type = classes.get(className) ?? (VOLUME_TYPES.has(className) ? className : undefined);
      if (type !== undefined) volume.volumeType = type;
    }
  }
}

function volumesOf(resource: Resource): VolumeDemand[] {
  const demand = resource.demand;
  if (demand.type === "volume") return [demand];
  return demand.type === "workload" ? demand.volumeClaims : [];
}

function shareLoadBalancerGroups(resources: Resource[]): void {
  const owners = new Map<string, string>();
  for (const resource of resources) {
    const demand = resource.demand;
    if (demand.type !== "load-balancer" || demand.group === undefined) continue;
    const owner = owners.get(demand.group);
    if (owner === undefined) owners.set(demand.group, resource.id);
    else demand.sharedWith = owner;
  }
}

/** Containers without a request count as 0, unless no container requests anything (not estimated then). */
function noteMissingRequests(resource: Resource, demand: WorkloadDemand): void {
  if (requestsNothing(demand)) return;
  for (const container of demand.containers) {
    const missing = (["cpu", "memory"] as const).filter((r) => container.basis[r] === "none");
    if (missing.length > 0) {
      resource.notes.push(`container "${container.name}" requests no ${missing.join(" or ")}: counted as 0`);
    }
  }
}
