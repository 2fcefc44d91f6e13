import { isDeepStrictEqual } from "node:util";
import { lazy } from "../estimate/catalog/table.ts";
import { resourceKey } from "../model/resource.ts";
import type { Environments } from "./environments.ts";
import type { Finding } from "./finding.ts";
import type { EvaluatedResource, ResourceFigures, Verification } from "./types.ts";

/**
 * What a fix may change, checked on the figures themselves: a fix of one resource changes that
 * resource's monthly cost and carbon, and no other's. Shared places (shared-places.ts) keep a policy's
 * fix off another resource's text; this catches whatever they miss (a place not indexed, a fix made
 * some other way), so that a fix is never written, nor its saving counted, for a resource it is not for.
 */

/**
 * Each resource's monthly figures, by environment and id (a resource declared twice: both), computed
 * when first asked: only a fix's check compares them (an estimate would keep ~20 MB for nothing).
 */
export function figuresOf(
  resources: readonly EvaluatedResource[],
): () => ReadonlyMap<string, ResourceFigures> {
  return lazy(() => figureMap(resources));
}

function figureMap(resources: readonly EvaluatedResource[]): Map<string, ResourceFigures> {
  const figures = new Map<string, ResourceFigures>();
  for (const { resource, estimate } of resources) {
    if (resource.planned?.side === "before") continue;
    const key = resourceKey(resource);
    const entry = figures.get(key) ?? {
      environment: resource.environment,
      id: resource.id,
      modifier: resource.demand.type === "modifier",
      monthly: [],
    };
    entry.monthly.push([estimate.monthlyCost, estimate.monthlyCarbonKg]);
    figures.set(key, entry);
  }
  return figures;
}

/** Each environment's settings file, and the environment. */
export function settingsFiles(environments: Environments): Map<string, string> {
  const files = new Map<string, string>();
  for (const basis of environments.all.values())
    if (basis.settingsFile) files.set(basis.settingsFile, basis.environment);
  return files;
}

/**
 * The resources whose figures `fixes` change, applied together, though none of them is for that
 * resource. A fix is for its finding's resource; for every resource of its environment when that
 * resource changes others' (an autoscaler, a LimitRange, a StorageClass); for every resource of an
 * environment whose settings it edits (its node type); and for a resource whose own finding (same
 * policy and subject, unsuppressed) asks for the very same edits (a base two overlays of one
 * environment include). A fix of no resource is for none: it may change figures only through the
 * settings it edits, and any other change of figures fails it (an environment's own finding, such as
 * prefer-arm's node type, names no resource and edits the settings; nothing else says which
 * resources a fix without one is meant to change).
 */
export function otherResourcesChanged(
  fixes: readonly Finding[],
  after: Verification,
  before: Verification,
): ResourceFigures[] {
  const changed = changedFigures(after, before);
  if (changed.length === 0) return [];
  const owned = new Set<string>();
  const environments = new Set<string>();
  for (const { resource, fix } of fixes) {
    for (const edit of fix?.edits ?? []) {
      const environment = before.settings.get(edit.file);
      if (environment !== undefined) environments.add(environment);
    }
    if (!resource) continue;
    owned.add(resourceKey(resource));
    if (before.figures().get(resourceKey(resource))?.modifier) environments.add(resource.environment);
  }
  const others = changed.filter(
    (entry) => !owned.has(resourceKey(entry)) && !environments.has(entry.environment),
  );
  if (others.length === 0) return [];
  // From the few resources changed, not from each fix: a pass of n fixes would compare n × n findings.
  const changedOthers = new Set(others.map(resourceKey));
  for (const finding of before.findings) {
    const { resource } = finding;
    if (!resource || !changedOthers.has(resourceKey(resource))) continue;
    if (fixes.some((fix) => sameFix(fix, finding))) owned.add(resourceKey(resource));
  }
  return others.filter((entry) => !owned.has(resourceKey(entry)));
}

/**
 * Why a change meant for the resources named `id` (an AI proposal's) is not one resource's: it changes
 * another resource's figures, or that resource's in several environments (a file each of them reads).
 */
export function beyondOneResource(id: string, after: Verification, before: Verification): string | undefined {
  const changed = changedFigures(after, before);
  const others = changed.filter((entry) => entry.id !== id);
  if (others.length > 0) return otherResourcesReason(others);
  const environments = [...new Set(changed.map((entry) => entry.environment))].sort();
  if (environments.length < 2) return undefined;
  return `it would change ${id} in ${environments.join(" and in ")}, each environment that reads the file: make it by hand where it applies`;
}

/** The resources whose figures differ (or that one side lacks). */
function changedFigures(after: Verification, before: Verification): ResourceFigures[] {
  const changed: ResourceFigures[] = [];
  const [was, is] = [before.figures(), after.figures()];
  for (const [key, old] of was) {
    const now = is.get(key);
    if (!now || !sameMonthly(old.monthly, now.monthly)) changed.push(old);
  }
  for (const [key, now] of is) if (!was.has(key)) changed.push(now);
  return changed;
}

function sameMonthly(a: ResourceFigures["monthly"], b: ResourceFigures["monthly"]): boolean {
  return a.length === b.length && a.every(([cost, carbon], i) => cost === b[i]?.[0] && carbon === b[i]?.[1]);
}

/** Why a fix that changes other resources is not written: at most three of them named. */
export function otherResourcesReason(changed: readonly ResourceFigures[]): string {
  const named = changed
    .slice(0, 3)
    .map(({ id, environment }) => (environment ? `${id} in ${environment}` : id));
  const more = changed.length > 3 ? ` and ${changed.length - 3} more` : "";
  return `it would also change the figures of ${named.join(", ")}${more}, which it is not for: make it by hand`;
}

/** Whether another finding, unsuppressed, is of the same policy and subject and its fix makes the same edits. */
function sameFix(fix: Finding, other: Finding): boolean {
  return (
    !other.suppressed &&
    other.policy === fix.policy &&
    other.subject === fix.subject &&
    isDeepStrictEqual(other.fix?.edits, fix.fix?.edits ?? [])
  );
}
