import type { PlanAction } from "../model/resource.ts";
import type { EvaluatedResource } from "./evaluate.ts";

export type ChangeKind = "added" | "removed" | "changed" | "unchanged";

export type ResourceChange = {
  change: ChangeKind;
  before?: EvaluatedResource;
  after?: EvaluatedResource;
  /** Set when the change comes from the input itself (a Terraform plan, a Pulumi preview). */
  plan?: PlanAction;
};

/**
 * Pairs the resources of two sides by environment and identity (a file may move without changing
 * what it deploys). A pair is "changed" when its demand or its estimate differs.
 */
export function compare(base: EvaluatedResource[], head: EvaluatedResource[]): ResourceChange[] {
  const before = keyed(base);
  const changes: ResourceChange[] = [];
  for (const [key, after] of keyed(head)) {
    const previous = before.get(key);
    before.delete(key);
    if (!previous) changes.push({ change: "added", after });
    else
      changes.push({ change: differs(previous, after) ? "changed" : "unchanged", before: previous, after });
  }
  for (const previous of before.values()) changes.push({ change: "removed", before: previous });
  return changes;
}

function keyed(resources: EvaluatedResource[]): Map<string, EvaluatedResource> {
  const map = new Map<string, EvaluatedResource>();
  for (const evaluated of resources) {
    const base = `${evaluated.resource.environment}\0${evaluated.resource.id}`;
    let key = base;
    for (let n = 2; map.has(key); n++) key = `${base}\0${n}`;
    map.set(key, evaluated);
  }
  return map;
}

function differs(a: EvaluatedResource, b: EvaluatedResource): boolean {
  return (
    a.estimate.monthlyCost !== b.estimate.monthlyCost ||
    a.estimate.monthlyCarbonKg !== b.estimate.monthlyCarbonKg ||
    JSON.stringify(a.resource.demand) !== JSON.stringify(b.resource.demand)
  );
}
