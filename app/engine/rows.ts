import { type PlanAction, type Resource, resourceKey } from "../model/resource.ts";
import type { ChangeKind, EvaluatedResource, Evaluation, ResourceChange } from "./types.ts";

/**
 * The rows of a review: the resources of both sides paired (see {@link compare}), and the planned
 * resources of the plans and previews the change touches (a plan is its own before and after). A
 * program, file or directory read on one side only (see {@link unknownOnOneSide}) has no rows.
 */
export function reviewRows(
  base: Evaluation,
  head: Evaluation,
  touched: ReadonlySet<string>,
): ResourceChange[] {
  const unknown = unknownOnOneSide(base, head);
  const compared = (e: EvaluatedResource) => !unknown.has(resourceKey(e.resource));
  const headResources = splitPlanned(head.resources);
  return [
    ...compare(splitPlanned(base.resources).current.filter(compared), headResources.current.filter(compared)),
    ...plannedRows(headResources.planned.filter((e) => touched.has(e.resource.source.span.file))),
  ];
}

/**
 * The resources (by key) of what was read on one side only: a program run that did not happen (refused,
 * or a stack the review's budget or its own limit stopped: diagnostics marked notRun), a file or a
 * Kustomize directory that could not be parsed (marked unread: a syntax error, a render that cannot
 * start). Their resources on the other side were unknown on this one, not absent: paired with nothing,
 * they would be "added" or "removed" (a saving nobody made) at their whole figures. (A file one side
 * cannot even read, not UTF-8 or too large, is left unread on both sides as it is read: read.ts.)
 */
function unknownOnOneSide(base: Evaluation, head: Evaluation): Set<string> {
  const marks = [base, head].flatMap((side) => side.diagnostics);
  const runs = marks.flatMap((d) => (d.notRun ? [d.notRun] : []));
  const unread = new Set(marks.flatMap((d) => (d.unread ? [d.unread] : [])));
  if (runs.length === 0 && unread.size === 0) return new Set();
  const unknown = (path: string, { environment }: Resource) =>
    unread.has(path) ||
    runs.some((run) => run.root === path && (run.environment ?? environment) === environment);
  return new Set(
    [base, head].flatMap((side) =>
      side.parsed.flatMap(({ path, result }) =>
        result.resources.filter((r) => unknown(path, r)).map(resourceKey),
      ),
    ),
  );
}

/** The rows of an estimate: every resource as it is, and the planned ones paired by plan. */
export function estimateRows(evaluation: Evaluation): ResourceChange[] {
  const { planned, current } = splitPlanned(evaluation.resources);
  return [
    ...current.map((after): ResourceChange => ({ change: "unchanged", after })),
    ...plannedRows(planned),
  ];
}

/** Whether a row is shown in a review: it changed, or a touched file declares it. */
export function isShown(row: ResourceChange, touched: ReadonlySet<string>): boolean {
  return (
    row.change !== "unchanged" ||
    [row.before, row.after].some((side) => side !== undefined && touched.has(side.resource.source.span.file))
  );
}

/**
 * Pairs the resources of two sides by environment and identity (a file may move without changing
 * what it deploys). A pair is "changed" when its demand or its estimate differs. The copies of an
 * object counted once (counted-once.ts) pair as one object, its counted copies, whichever file holds
 * them on each side; a copy not counted pairs with the other side's copy in the same file, and is a
 * row of its own only where it is not counted at the head, or was not at the base and is gone.
 */
export function compare(base: EvaluatedResource[], head: EvaluatedResource[]): ResourceChange[] {
  const before = keyed(base);
  const after = keyed(head);
  const changes: ResourceChange[] = [];
  for (const [key, resource] of after) {
    const previous = before.get(key) ?? (resource.notCounted ? countedInFile(before, resource) : undefined);
    if (!previous) changes.push({ change: "added", after: resource });
    else
      changes.push({
        change: differs(previous, resource) ? "changed" : "unchanged",
        before: previous,
        after: resource,
      });
  }
  for (const [key, previous] of before) {
    if (after.has(key) || (previous.notCounted && countedInFile(after, previous))) continue;
    changes.push({ change: "removed", before: previous });
  }
  return changes;
}

/** Counted resources by environment and identity; copies not counted by their file besides. */
function keyed(resources: EvaluatedResource[]): Map<string, EvaluatedResource> {
  const map = new Map<string, EvaluatedResource>();
  for (const evaluated of resources) {
    const { resource, notCounted } = evaluated;
    const base = resourceKey(resource) + (notCounted ? `\0${resource.source.span.file}` : "");
    let key = base;
    for (let n = 2; map.has(key); n++) key = `${base}\0${n}`;
    map.set(key, evaluated);
  }
  return map;
}

/** The counted copy of a copy's object on a side, when that side writes it in the same file. */
function countedInFile(
  side: Map<string, EvaluatedResource>,
  { resource }: EvaluatedResource,
): EvaluatedResource | undefined {
  const counted = side.get(resourceKey(resource));
  return counted?.resource.source.span.file === resource.source.span.file ? counted : undefined;
}

function differs(a: EvaluatedResource, b: EvaluatedResource): boolean {
  return (
    a.estimate.monthlyCost !== b.estimate.monthlyCost ||
    a.estimate.monthlyCarbonKg !== b.estimate.monthlyCarbonKg ||
    JSON.stringify(a.resource.demand) !== JSON.stringify(b.resource.demand)
  );
}

const CHANGE: Record<PlanAction, ChangeKind> = {
  create: "added",
  delete: "removed",
  update: "changed",
  replace: "changed",
  "no-op": "unchanged",
};

/** Resources read from a change (plans, previews) apart from those read as they are. */
function splitPlanned(resources: EvaluatedResource[]): {
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
function plannedRows(planned: EvaluatedResource[]): ResourceChange[] {
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
