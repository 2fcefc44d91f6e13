import { countedResources } from "./counted-once.ts";
import type { Environments } from "./environments.ts";
import { evaluate } from "./evaluate.ts";
import { mayBeIac } from "./formats.ts";
import type { Side } from "./read.ts";
import type { ResourceChange, Totals } from "./types.ts";

/**
 * Whole-environment totals at the head, for the environments of the shown resources whose settings
 * set a total budget: the review reads and evaluates every file of those environments once more.
 */
export async function environmentTotals(
  head: Side,
  shown: ResourceChange[],
): Promise<Map<string, Totals> | undefined> {
  const { environments } = head.configuration;
  const budgeted = budgetedEnvironments(environments, shown);
  if (budgeted.length === 0) return undefined;
  const paths = (await head.snapshot.list()).filter(
    (path) => mayBeIac(path) && budgeted.includes(environments.of(path).environment),
  );
  const evaluation = evaluate(await head.snapshot.read(paths), environments, undefined, head.projects);
  const totals = new Map<string, Totals>(
    budgeted.map((name) => [name, { monthlyCost: 0, monthlyCarbonKg: 0 }]),
  );
  for (const { resource, estimate } of countedResources(evaluation.resources)) {
    const total = totals.get(resource.environment);
    if (!total || resource.planned?.side === "before") continue;
    total.monthlyCost += estimate.monthlyCost ?? 0;
    total.monthlyCarbonKg += estimate.monthlyCarbonKg ?? 0;
  }
  return totals;
}

function budgetedEnvironments(environments: Environments, shown: ResourceChange[]): string[] {
  const names = new Set(shown.flatMap((row) => [(row.after ?? row.before)?.resource.environment ?? ""]));
  return [...names].filter((name) => {
    const budgets = environments.all.get(name)?.settings.budgets;
    return budgets?.monthlyCost !== undefined || budgets?.monthlyCarbonKg !== undefined;
  });
}
