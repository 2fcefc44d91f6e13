import type { ResourceChange } from "../../engine/types.ts";
import { holds, type Target } from "./targets.ts";

/** The monthly change a push deployed; null where a resource could not be priced or estimated. */
export type Delta = { monthlyCost: number | null; monthlyCarbonKg: number | null };

/**
 * The change each Application deploys, from the review of the push (before → after): the resources the
 * review placed in that Application (the repository's own Applications, as a pull request's review
 * maps them), else the resources whose file lies under its source paths.
 */
export function applicationDeltas(rows: ResourceChange[]): (target: Target) => Delta {
  const changed = rows.filter((row) => row.change !== "unchanged");
  return (target) => {
    const name = target.application.name;
    const placed = changed.filter((row) => resourceOf(row)?.application?.name === name);
    const underPaths = (row: ResourceChange) => {
      const file = resourceOf(row)?.source.span.file;
      return file !== undefined && target.paths.some((path) => holds(path, file));
    };
    return sum(placed.length > 0 ? placed : changed.filter(underPaths));
  };
}

function resourceOf(row: ResourceChange) {
  return (row.after ?? row.before)?.resource;
}

function sum(rows: ResourceChange[]): Delta {
  const total: Delta = { monthlyCost: 0, monthlyCarbonKg: 0 };
  for (const row of rows) {
    for (const key of ["monthlyCost", "monthlyCarbonKg"] as const) {
      const before = row.before ? row.before.estimate[key] : 0;
      const after = row.after ? row.after.estimate[key] : 0;
      const current = total[key];
      total[key] = before === null || after === null || current === null ? null : current + after - before;
    }
  }
  return total;
}
