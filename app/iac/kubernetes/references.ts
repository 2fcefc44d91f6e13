import type { Resource } from "../../model/resource.ts";
import type { References } from "../format.ts";

/**
 * What a review must read beside touched Kubernetes resources: the autoscalers naming touched
 * workloads, the LimitRanges of their namespaces, the StorageClasses of their claims; and for
 * touched autoscalers, LimitRanges and StorageClasses, the resources they apply to; and where the
 * other copies of touched objects may be (files with their name).
 */
export function manifestReferences(resources: Resource[]): References {
  const names = new Set<string>();
  const namespaces = new Set<string>();
  const classes = new Set<string>();
  const affected = new Set<string>();
  const objects = new Set<string>();
  let unnamespaced = false;
  let everything = false;
  for (const resource of resources) {
    if (resource.apiVersion !== undefined && !resource.id.endsWith("*")) {
      objects.add(resource.name);
    }
    const demand = resource.demand;
    if (demand.type === "workload" || demand.type === "volume") {
      names.add(resource.name);
      if (resource.namespace) namespaces.add(resource.namespace);
      else unnamespaced = true;
      for (const claim of demand.type === "volume" ? [demand] : demand.volumeClaims) {
        classes.add(claim.storageClass ?? "is-default-class");
      }
    }
    if (demand.type !== "modifier") continue;
    const effect = demand.effect;
    if (effect.kind === "autoscaler") affected.add(effect.target.name);
    else if (effect.kind === "storage-class") {
      affected.add(effect.name);
      everything ||= effect.isDefault;
    } else if (resource.namespace) affected.add(resource.namespace);
    else everything = true;
  }
  const searches: string[][][] = [];
  // The touched objects' names (the workloads' among them): one `git grep -l` for the autoscalers'
  // search and the copies'.
  const named = [...new Set([...objects, ...names])];
  if (names.size > 0) searches.push([["HorizontalPodAutoscaler"], named]);
  if (unnamespaced) searches.push([["LimitRange"]]);
  else if (namespaces.size > 0) searches.push([["LimitRange"], [...namespaces]]);
  if (classes.size > 0) searches.push([["StorageClass"], [...classes]]);
  if (affected.size > 0) searches.push([[...affected]]);
  // Names alone (no kind: nearly every manifest names one, and one more grep costs a review more than
  // the few files it would spare).
  return { searches, everything, copies: objects.size > 0 ? [[[], named]] : [] };
}
