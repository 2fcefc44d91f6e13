import { countedRows, notCounted } from "../engine/counted-once.ts";
import type { Report, ResourceChange } from "../engine/types.ts";
import type { ApplicationRef } from "../model/resource.ts";

export type Figures = {
  before: number | null;
  after: number | null;
  delta: number | null;
  deltaPercent: number | null;
};

export type Totals = {
  monthlyCost: Figures;
  monthlyCarbonKg: Figures;
  /** Rows by change; `notEstimated` and `notCounted` (copies of an object declared again) among them. */
  counts: {
    added: number;
    removed: number;
    changed: number;
    unchanged: number;
    notEstimated: number;
    notCounted: number;
  };
};

export type EnvironmentTotals = Totals & { environment: string };

type Measure = "monthlyCost" | "monthlyCarbonKg";

/**
 * A resource's figure before and after; in an estimate there is no before, except for resources read
 * from a change (a plan or a preview), which carry their own.
 */
export function figures(row: ResourceChange, measure: Measure, review: boolean): Figures {
  return withDelta(figure(row, measure, review, "before"), figure(row, measure, review, "after"));
}

/** One side of {@link figures}: what totals add up, row by row (a copy not counted adds 0). */
function figure(
  row: ResourceChange,
  measure: Measure,
  review: boolean,
  side: "before" | "after",
): number | null {
  const counted = !notCounted(row);
  if (side === "after") return row.after && counted ? row.after.estimate[measure] : 0;
  // A resource that did not exist costs 0 before; one that did but was not priced is null, never 0.
  return review || row.plan ? (row.before && counted ? row.before.estimate[measure] : 0) : null;
}

function withDelta(before: number | null, after: number | null): Figures {
  if (before === null || after === null) return { before, after, delta: null, deltaPercent: null };
  const delta = after - before;
  return { before, after, delta, deltaPercent: before === 0 ? null : (delta / before) * 100 };
}

/** True when the report compares two sides: a review, or an estimate of plans and previews only. */
export function isDiff(report: Report, rows: ResourceChange[] = report.rows): boolean {
  return report.mode === "review" || (rows.length > 0 && rows.every((row) => row.plan !== undefined));
}

/** Totals of the rows a report shows; resources that could not be estimated count as zero and are counted apart. */
export function totals(report: Report, rows: ResourceChange[] = report.rows): Totals {
  const review = isDiff(report, rows);
  const sum = (measure: Measure, side: "before" | "after") =>
    rows.reduce((total, row) => total + (figure(row, measure, review, side) ?? 0), 0);
  const counts = { added: 0, removed: 0, changed: 0, unchanged: 0, notEstimated: 0, notCounted: 0 };
  for (const row of rows) {
    counts[row.change]++;
    const side = row.after ?? row.before;
    if (notCounted(row)) counts.notCounted++;
    else if (side?.estimate.monthlyCost === null || side?.estimate.monthlyCarbonKg === null)
      counts.notEstimated++;
  }
  return {
    monthlyCost: withDelta(review ? sum("monthlyCost", "before") : null, sum("monthlyCost", "after")),
    monthlyCarbonKg: withDelta(
      review ? sum("monthlyCarbonKg", "before") : null,
      sum("monthlyCarbonKg", "after"),
    ),
    counts,
  };
}

/** Resources that may cost something (free ones, modifiers and launch templates cost nothing by themselves). */
export function costsSomething(row: ResourceChange): boolean {
  const type = (row.after ?? row.before)?.resource.demand.type;
  return type !== "free" && type !== "modifier" && type !== "launch-template" && type !== "task-definition";
}

/**
 * When more than half of the resources that may cost something could not be estimated (no requests, no
 * cost model, no price), how many: a total of the others would read as the whole.
 */
export function mostlyUnknown(
  rows: ResourceChange[],
): { notEstimated: number; of: number; text: string } | undefined {
  const counted = countedRows(rows).filter(costsSomething);
  const notEstimated = counted.filter((row) => {
    const side = row.after ?? row.before;
    return side?.estimate.monthlyCost === null || side?.estimate.monthlyCarbonKg === null;
  }).length;
  if (notEstimated * 2 <= counted.length) return undefined;
  const which = notEstimated === counted.length ? "any resource" : "most resources";
  const text = `not known for ${which} (${notEstimated} of ${counted.length} not estimated)`;
  return { notEstimated, of: counted.length, text };
}

/** Totals per environment, in the order environments are first met. */
export function environmentTotals(report: Report): EnvironmentTotals[] {
  const groups = new Map<string, ResourceChange[]>();
  for (const row of report.rows) {
    const environment = (row.after ?? row.before)?.resource.environment ?? "";
    const group = groups.get(environment);
    if (group) group.push(row);
    else groups.set(environment, [row]);
  }
  return [...groups].map(([environment, rows]) => ({ environment, ...totals(report, rows) }));
}

export type ApplicationTotals = Totals & {
  application: ApplicationRef;
  environment: string;
  /** Unsuppressed policy findings on the resources it deploys. */
  findings: number;
};

/** Totals per ArgoCD Application and environment, for the resources an Application deploys. */
export function applicationTotals(report: Report): ApplicationTotals[] {
  const groups = new Map<
    string,
    { application: ApplicationRef; environment: string; rows: ResourceChange[] }
  >();
  for (const row of report.rows) {
    const resource = (row.after ?? row.before)?.resource;
    if (!resource?.application) continue;
    const key = `${resource.application.name}\0${resource.environment}`;
    const group = groups.get(key) ?? {
      application: resource.application,
      environment: resource.environment,
      rows: [],
    };
    group.rows.push(row);
    groups.set(key, group);
  }
  return [...groups.values()]
    .sort(
      (a, b) =>
        a.application.name.localeCompare(b.application.name) || a.environment.localeCompare(b.environment),
    )
    .map(({ application, environment, rows }) => {
      const ids = new Set(rows.flatMap((row) => [(row.after ?? row.before)?.resource.id]));
      const findings = report.findings.filter(
        (f) => !f.suppressed && f.resource !== undefined && ids.has(f.resource.id),
      ).length;
      return { application, environment, findings, ...totals(report, rows) };
    });
}
