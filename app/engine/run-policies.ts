import { kindOf } from "../config/environment-kind.ts";
import { optionsOf, type PolicySetting, severityOf } from "../config/policy-settings.ts";
import type { RepositoryConfig } from "../config/repository-config.ts";
import type { EnvironmentBasis } from "../estimate/basis.ts";
import type { FieldSpan } from "../model/resource.ts";
import { fileStart, type Span } from "../model/span.ts";
import { countedResources, countedRows } from "./counted-once.ts";
import type { Environments } from "./environments.ts";
import { type Finding, fixOf, type Severity } from "./finding.ts";
import { applyIgnores } from "./ignores.ts";
import type { HourlyIntensity } from "./intensity.ts";
import {
  MessageFormatter,
  type Policy,
  type PolicyContext,
  type ReportedFinding,
  type ReviewedResource,
  type TelemetryView,
  withDefaults,
} from "./policy.ts";
import { SharedPlaces } from "./shared-places.ts";
import type { EvaluatedResource, ResourceChange, Totals } from "./types.ts";

export type PolicyRun = {
  mode: "review" | "estimate";
  policies: readonly Policy[];
  /** The rows the report shows. */
  rows: readonly ResourceChange[];
  /** The head side's environments (settings, policy overrides). */
  environments: Environments;
  config: RepositoryConfig;
  /** Text of the files under review at the head (manifests and settings). */
  texts: ReadonlyMap<string, string>;
  /** Files the change touches (reviews); empty in an estimate. */
  touched: ReadonlySet<string>;
  /** Every resource read at the head (under review or for context). */
  head: readonly EvaluatedResource[];
  /** Whole-environment totals at the head, where a total budget asked for them. */
  environmentTotals?: ReadonlyMap<string, Totals>;
  /** Hourly grid intensity per environment, from telemetry. */
  intensity?: (environment: EnvironmentBasis) => HourlyIntensity | undefined;
  /** Live usage per environment, from telemetry. */
  telemetry?: (environment: EnvironmentBasis) => TelemetryView | undefined;
  /** Every policy id that exists (built-in and custom), for messages about ignores. */
  known: readonly string[];
};

const SEVERITY_ORDER: Record<Severity, number> = { error: 0, warning: 1, notice: 2 };

/**
 * Runs every enabled policy on the resources under review, environment by environment, then applies
 * the ignores. A policy that throws is contained: the run goes on and says which policy failed where.
 */
export function runPolicies(run: PolicyRun): Finding[] {
  const findings: Finding[] = [];
  const messages = new MessageFormatter();
  const places = new SharedPlaces(
    run.head.map((evaluated) => evaluated.resource),
    (file) => run.texts.get(file),
  );
  const headByEnvironment = Map.groupBy(countedResources(run.head), (r) => r.resource.environment);
  for (const [name, resources] of reviewedByEnvironment(run.rows)) {
    const environment = run.environments.all.get(name) ?? run.environments.of("");
    const all = headByEnvironment.get(environment.environment) ?? [];
    const shared = environmentContext(run, environment, resources, all);
    const active = run.policies.flatMap((policy) => {
      const { severity, options } = settingFor(policy, environment, run.config);
      if (severity === "off") return [];
      return [{ policy, severity, context: { ...shared, options: Object.freeze({ ...options }) } }];
    });
    const check = ({ policy, severity, context }: (typeof active)[number], target?: ReviewedResource) => {
      const subject = target ?? (resources[0] as ReviewedResource);
      // An environment policy's finding names a resource only when it reports one (a budget's largest
      // increase, an instance to change), never the environment's first resource it was handed.
      const report = (reported: ReportedFinding<string>) =>
        findings.push(
          toFinding(policy, severity, reported, { owner: target, near: subject }, messages, places),
        );
      try {
        policy.check({ ...context, resource: subject, report });
      } catch (error) {
        findings.push(crashed(policy, subject, error));
      }
    };
    for (const entry of active) if (entry.policy.meta.scope === "environment") check(entry);
    // Resource by resource, every policy: the fixes of one file follow each other, so it is parsed once.
    const resourcePolicies = active.filter((entry) => entry.policy.meta.scope === "resource");
    for (const target of resources) {
      if (target.change === "removed") continue;
      for (const entry of resourcePolicies) check(entry, target);
    }
  }
  const ran = new Set(run.policies.map((p) => p.meta.id));
  const scope = {
    checked: run.mode === "review" ? run.touched : new Set(run.texts.keys()),
    known: [...run.known],
    ran,
  };
  return sortFindings(applyIgnores(findings, run.texts, run.config.ignore ?? [], scope));
}

/** A policy's severity and options in one environment: the environment's settings over the repository's. */
function settingFor(
  policy: Policy,
  environment: EnvironmentBasis,
  config: RepositoryConfig,
): { severity: Severity | "off"; options: Record<string, unknown> } {
  const repository: PolicySetting | undefined = config.policies?.[policy.meta.id];
  const local: PolicySetting | undefined = environment.settings.policies?.[policy.meta.id];
  return {
    severity: severityOf(local) ?? severityOf(repository) ?? policy.meta.defaultSeverity,
    options: withDefaults(policy.meta.options, { ...optionsOf(repository), ...optionsOf(local) }),
  };
}

/** The CPU quantiles the policies enabled in an environment read from telemetry (fetched before they run). */
export function cpuQuantiles(
  policies: readonly Policy[],
  environment: EnvironmentBasis,
  config: RepositoryConfig,
): number[] {
  return policies.flatMap((policy) => {
    const { severity, options } = settingFor(policy, environment, config);
    return severity === "off" || !policy.needs ? [] : policy.needs(options).cpuQuantiles;
  });
}

function reviewedByEnvironment(rows: readonly ResourceChange[]): Map<string, ReviewedResource[]> {
  const groups = new Map<string, ReviewedResource[]>();
  // A copy not counted is not deployed as written (counted-once.ts): its object is checked once, as counted.
  for (const row of countedRows(rows)) {
    const side = row.after ?? row.before;
    if (!side) continue;
    const reviewed: ReviewedResource = row.before
      ? { ...side, change: row.change, before: row.before }
      : { ...side, change: row.change };
    const name = side.resource.environment;
    const group = groups.get(name);
    if (group) group.push(reviewed);
    else groups.set(name, [reviewed]);
  }
  return groups;
}

/** What every policy sees of one environment. */
function environmentContext(
  run: PolicyRun,
  environment: EnvironmentBasis,
  resources: ReviewedResource[],
  all: EvaluatedResource[],
): Omit<PolicyContext<Record<string, unknown>, string>, "resource" | "report" | "options"> {
  const sum = (side: "before" | "after"): Totals => ({
    monthlyCost: total(resources, side, "monthlyCost", run.mode),
    monthlyCarbonKg: total(resources, side, "monthlyCarbonKg", run.mode),
  });
  const context: Omit<PolicyContext<Record<string, unknown>, string>, "resource" | "report" | "options"> = {
    environment,
    kind: kindOf(environment),
    mode: run.mode,
    resources,
    all,
    totals: { before: sum("before"), after: sum("after") },
    text: (file) => run.texts.get(file),
    touched: (file) => run.touched.has(file),
  };
  const environmentTotal = run.environmentTotals?.get(environment.environment);
  if (environmentTotal) context.environmentTotal = environmentTotal;
  const intensity = run.intensity?.(environment);
  if (intensity) context.intensity = intensity;
  const telemetry = run.telemetry?.(environment);
  if (telemetry) context.telemetry = telemetry;
  return context;
}

function total(
  resources: ReviewedResource[],
  side: "before" | "after",
  measure: "monthlyCost" | "monthlyCarbonKg",
  mode: PolicyRun["mode"],
): number {
  let sum = 0;
  for (const r of resources) {
    const evaluated =
      side === "after" ? (r.change === "removed" ? undefined : r) : mode === "review" ? r.before : r;
    sum += evaluated?.estimate[measure] ?? 0;
  }
  return sum;
}

function toFinding(
  policy: Policy,
  severity: Severity,
  reported: ReportedFinding<string>,
  fallback: { owner: ReviewedResource | undefined; near: ReviewedResource | undefined },
  messages: MessageFormatter,
  places: SharedPlaces,
): Finding {
  const resource = reported.resource ?? fallback.owner?.resource;
  const location = spanOf(reported.at) ?? (resource ?? fallback.near?.resource)?.source.span;
  const lowered = reported.severity && SEVERITY_ORDER[reported.severity] > SEVERITY_ORDER[severity];
  const finding: Finding = {
    policy: policy.meta.id,
    severity: lowered && reported.severity ? reported.severity : severity,
    message: messages.format(policy.meta.messages[reported.messageId] ?? reported.messageId, reported.data),
    location: location ?? fileStart(""),
  };
  if (resource) finding.resource = { id: resource.id, environment: resource.environment };
  if (reported.subject !== undefined) finding.subject = reported.subject;
  if (reported.recommendation) finding.recommendation = reported.recommendation;
  const { fix } = reported;
  if (fix && policy.meta.fix && (!Array.isArray(fix.edits) || fix.edits.length > 0)) {
    const kind = policy.meta.fix === "suggestion" ? "suggestion" : (fix.kind ?? policy.meta.fix);
    finding.fix = fixOf(fix.title, kind, places.guarded(fix.edits, resource, finding));
  }
  return finding;
}

/** A field's span runs from its key (where a reader looks) to the end of its value. */
function spanOf(at: FieldSpan | Span | undefined): Span | undefined {
  if (!at) return undefined;
  if (!("value" in at)) return at;
  if (!at.key) return at.value;
  const { key, value } = at;
  return { ...value, startLine: key.startLine, startColumn: key.startColumn, startOffset: key.startOffset };
}

function crashed(policy: Policy, target: ReviewedResource | undefined, error: unknown): Finding {
  const span = target?.resource.source.span;
  const where = span ? ` on ${span.file}:${span.startLine}` : "";
  const finding: Finding = {
    policy: policy.meta.id,
    severity: "warning",
    message: `the policy failed${where} and was skipped: ${(error as Error).message ?? String(error)}`,
    location: span ?? fileStart(""),
  };
  if (target) finding.resource = { id: target.resource.id, environment: target.resource.environment };
  return finding;
}

export function sortFindings(findings: Finding[]): Finding[] {
  return findings.sort(
    (a, b) =>
      Number(Boolean(a.suppressed)) - Number(Boolean(b.suppressed)) ||
      SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity] ||
      a.location.file.localeCompare(b.location.file) ||
      a.location.startLine - b.location.startLine ||
      a.policy.localeCompare(b.policy),
  );
}
