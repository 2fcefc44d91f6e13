import type { PlanAction } from "../model/resource.ts";
import type { ChangeKind, ResourceChange } from "./compare.ts";
import type { EvaluatedResource } from "./evaluate.ts";

const CHANGE: Record<PlanAction, ChangeKind> = {
  create: "added",
  delete: "removed",
  update: "changed",
  replace: "changed",
  "no-op": "unchanged",
};

/** Resources read from a change (plans, previews) apart from those read as they are. */
export function splitPlanned(resources: EvaluatedResource[]): {
  planned: EvaluatedResource[];
  current: EvaluatedResource[];
} {
  const planned: EvaluatedResource[] = [];
  const current: EvaluatedResource[] = [];
  for (const evaluated of resources) (evaluated.resource.planned ? planned : current).push(evaluated);
  return { planned, current };
}

/**
 * One row per planned resource: its before and after sides (read from the same file and address)
 * paired, with the plan's action. A plan is its own before and after: `monthlyCost.before` comes
 * from `change.before`.
 */
export function plannedRows(planned: EvaluatedResource[]): ResourceChange[] {
  const rows = new Map<string, ResourceChange>();
  for (const evaluated of planned) {
    const { resource } = evaluated;
    const side = resource.planned;
    if (!side) continue;
    const key = `${resource.environment}\0${resource.source.span.file}\0${resource.id}`;
    let row = rows.get(key);
    if (!row) {
      row = { change: CHANGE[side.action], plan: side.action };
      rows.set(key, row);
    }
    row[side.side] = evaluated;
  }
  return [...rows.values()];
}
