import type { EnvironmentKind } from "../config/environment-kind.ts";
import type { EnvironmentSettings } from "../config/environment-settings.ts";
import type { EnvironmentBasis } from "../estimate/basis.ts";
import type { FieldSpan, Resource } from "../model/resource.ts";
import type { Span } from "../model/span.ts";
import type { TelemetryWindow, WorkloadUsage } from "../telemetry/types.ts";
import type { Edits, Fix, Recommendation, Severity } from "./finding.ts";
import type { HourlyIntensity } from "./intensity.ts";
import type { EvaluatedResource, ResourceChange, Totals } from "./types.ts";

/** A JSON Schema for a policy's options, with a default for every option. */
export type OptionsSchema = {
  type: "object";
  properties: Record<string, object>;
  additionalProperties: false;
  required?: string[];
};

export type PolicyMeta<Messages extends string> = {
  /** Kebab-case; equals the file name in policies/. */
  id: string;
  title: string;
  /** One line: what the policy checks. */
  description: string;
  /** Why it matters, with the cost or carbon reasoning and its source. */
  rationale: string;
  category: "cost" | "carbon" | "reliability";
  /** resource: checked once per resource; environment: once per environment (budgets, totals). */
  scope: "resource" | "environment";
  defaultSeverity: Severity;
  /** The kind of fix the policy offers, if any. */
  fix?: Fix["kind"];
  options: OptionsSchema;
  /** Message templates with {{placeholders}}, keyed by message id. */
  messages: Record<Messages, string>;
  /** When a team would rather turn the policy off. */
  whenNotToUse: string;
  /** A sentence on what the fix does (policies with fixes). */
  fixDescription?: string;
  /** Shown on the policy's page, and run by the docs test: each invalid one must find something, each valid one nothing. */
  examples?: { invalid: PolicyExample[]; valid: PolicyExample[] };
};

/** What a policy is run on alone: a manifest at the head (`code`), at the base (`before`), in one environment. */
export type PolicyInput = {
  code: string;
  before?: string;
  options?: Record<string, unknown>;
  settings?: Partial<EnvironmentSettings>;
  environment?: string;
  mode?: "review" | "estimate";
  /** Other files of the head (an environment's settings file, …), read but not under review. */
  files?: Record<string, string>;
  /** Live usage of the case's workloads, as a 14-day telemetry window would give it. */
  telemetry?: WorkloadUsage[];
};

export type PolicyExample = PolicyInput & { title: string };

/** A resource under review, with its state before the change when it had one. */
export type ReviewedResource = EvaluatedResource & {
  change: ResourceChange["change"];
  before?: EvaluatedResource;
};

export type PolicyContext<Options, Messages extends string> = {
  options: Readonly<Options>;
  environment: EnvironmentBasis;
  /** Production, non-production, or unknown (neither: non-production policies stay silent). */
  kind: EnvironmentKind;
  /** A review of a change, or an estimate of a whole tree. */
  mode: "review" | "estimate";
  /** Set for resource-scoped policies: the resource being checked. */
  resource: ReviewedResource;
  /** Every resource under review in this environment (the resources a review shows). */
  resources: readonly ReviewedResource[];
  /** Every resource read at the head in this environment, under review or read for context. */
  all: readonly EvaluatedResource[];
  /** Environment-scoped policies: the reviewed resources' totals before and after the change. */
  totals: { before: Totals; after: Totals };
  /** The whole environment's totals at the head, when they were computed (a total budget is set). */
  environmentTotal?: Totals;
  /** The text of a file under review (for fixes), undefined for files not read. */
  text(file: string): string | undefined;
  /** Whether the change touches a file (always false in an estimate). */
  touched(file: string): boolean;
  /** Hourly grid intensity for the environment's region, when a provider supplies it. */
  intensity?: HourlyIntensity;
  /** Live usage of the environment's workloads, when a telemetry source answered. */
  telemetry?: TelemetryView;
  report(finding: ReportedFinding<Messages>): void;
};

/** What live telemetry says, for policies: usage by workload, over a window, from a named source. */
export type TelemetryView = {
  /** Where the figures come from, e.g. "Prometheus https://… (cAdvisor, kube-state-metrics) over 14d". */
  source: string;
  window: TelemetryWindow;
  /** The usage of a workload (by namespace, kind and name), when the source has it. */
  usage(resource: Resource): WorkloadUsage | undefined;
};

/** What a policy needs fetched before it runs (policies do no I/O). */
export type TelemetryNeeds = { cpuQuantiles: number[] };

export type ReportedFinding<Messages extends string> = {
  messageId: Messages;
  data?: Record<string, string | number>;
  /** Where: a field of the resource (preferred), or any span. Defaults to the resource. */
  at?: FieldSpan | Span;
  resource?: Resource;
  /**
   * What in the resource the finding is about, when the policy may report several findings on one
   * resource (`container/<name>`, `container/<name>/memory`, `claim/<name>`): stable across fixes.
   */
  subject?: string;
  /**
   * `edits`, or a function that computes them when they are first needed (once): an estimate's markdown
   * report never needs them, and computing them parses the file again; or why they cannot be written
   * (the fix is then made by hand). `kind` may only lower the policy's fix kind (safe → suggestion),
   * e.g. for a field Kubernetes will not update.
   */
  fix?: { title: string; edits: Edits | (() => Edits); kind?: Fix["kind"] };
  /** May only lower the configured severity (error → warning), for a milder case of the same policy. */
  severity?: Severity;
  recommendation?: Recommendation;
};

export type Policy<Options = Record<string, unknown>, Messages extends string = string> = {
  meta: PolicyMeta<Messages>;
  check(context: PolicyContext<Options, Messages>): void;
  /** The telemetry the policy reads, given its options: fetched before any policy runs. */
  needs?(options: Readonly<Options>): TelemetryNeeds;
};

/**
 * Declares a policy: `meta` says what it is (and is the source of its documentation); `check` reports
 * findings from the model it is given and does no I/O. Options arrive merged with the schema's defaults.
 */
export function definePolicy<Options, Messages extends string>(
  policy: Policy<Options, Messages>,
): Policy<Options, Messages> {
  return policy;
}

/** A {{placeholder}} of a message template: the whole of it, and its key. */
const PLACEHOLDER = /(\{\{\s*(\w+)\s*\}\})/;

/** A message template with its {{placeholders}} filled in; one the data has no value for stays as written. */
export function formatMessage(template: string, data?: Record<string, string | number>): string {
  return fill(template.split(PLACEHOLDER), data);
}

/**
 * Fills message templates, each split at its placeholders once: a run fills the same few templates
 * for thousands of findings.
 */
export class MessageFormatter {
  readonly #split = new Map<string, readonly string[]>();

  format(template: string, data?: Record<string, string | number>): string {
    let split = this.#split.get(template);
    if (!split) {
      split = template.split(PLACEHOLDER);
      this.#split.set(template, split);
    }
    return fill(split, data);
  }
}

/** A template split at its placeholders (its text, then each placeholder, its key and the text after it), filled. */
function fill(split: readonly string[], data: Record<string, string | number> = {}): string {
  let message = split[0] ?? "";
  for (let i = 1; i < split.length; i += 3) {
    const key = split[i + 1] as string;
    message += `${key in data ? String(data[key]) : split[i]}${split[i + 2]}`;
  }
  return message;
}

/** The options of a schema's defaults, overridden by the given ones. */
export function withDefaults(
  schema: OptionsSchema,
  options: Record<string, unknown> = {},
): Record<string, unknown> {
  const defaults = Object.fromEntries(
    Object.entries(schema.properties).flatMap(([key, property]) =>
      "default" in property ? [[key, (property as { default: unknown }).default]] : [],
    ),
  );
  return { ...defaults, ...options };
}
