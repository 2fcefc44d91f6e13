import type { Finding } from "../engine/finding.ts";
import type { Report, ResourceChange } from "../engine/types.ts";
import { formatCpu, formatMemory } from "../iac/kubernetes/quantity.ts";
import { fixText } from "../report/findings-markdown.ts";
import { kg, percent, signed, usd } from "../report/numbers.ts";
import { type Figures, figures, isDiff, totals } from "../report/summary.ts";
import { EngineNumbers } from "./number-rule.ts";
import { redactCredentials } from "./redact.ts";

/** Rows and findings sent at most: the largest changes first. */
export const MAX_RESOURCES = 40;
export const MAX_FINDINGS = 50;

/**
 * The engine's result as the model sees it: resources, figures, findings and observed usage, every
 * figure formatted as the reports format it (and recorded for the number rule), every string passed
 * through credential redaction. Deterministic: the same result gives the same text (and cache key).
 */
export function factsOf(report: Report): { facts: object; numbers: EngineNumbers } {
  const numbers = new EngineNumbers();
  const diff = isDiff(report);
  const summary = totals(report);
  const active = report.findings.filter((f) => !f.suppressed);
  const count = (severity: Finding["severity"]) =>
    numbers.add(active.filter((f) => f.severity === severity).length);
  const facts = {
    mode: report.mode,
    totals: {
      monthlyCost: figureText(summary.monthlyCost, usd, numbers),
      monthlyCarbon: figureText(summary.monthlyCarbonKg, (v) => `${kg(v)}CO2e`, numbers),
    },
    resourceCounts: Object.fromEntries(Object.entries(summary.counts).map(([k, v]) => [k, numbers.add(v)])),
    findingCounts: { error: count("error"), warning: count("warning"), notice: count("notice") },
    resources: [...report.rows]
      .sort((a, b) => weight(b, diff) - weight(a, diff))
      .slice(0, MAX_RESOURCES)
      .map((row) => resourceFacts(row, diff, numbers)),
    findings: active.slice(0, MAX_FINDINGS).map((finding) => findingFacts(finding, numbers)),
  };
  return { facts: redactStrings(facts) as object, numbers };
}

/** Every string of a value passed through credential redaction. */
function redactStrings(value: unknown): unknown {
  if (typeof value === "string") return redactCredentials(value);
  if (Array.isArray(value)) return value.map(redactStrings);
  if (value && typeof value === "object")
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, redactStrings(item)]));
  return value;
}

function figureText(f: Figures, format: (v: number) => string, numbers: EngineNumbers): object {
  const text = (v: number | null) => (v === null ? null : numbers.add(format(v)));
  if (f.before === null) return { monthly: text(f.after) };
  return {
    before: text(f.before),
    after: text(f.after),
    change: f.delta === null ? null : numbers.add(signed(f.delta, format)),
    changePercent: f.deltaPercent === null ? null : numbers.add(percent(f.deltaPercent).trim()),
  };
}

function resourceFacts(row: ResourceChange, diff: boolean, numbers: EngineNumbers): object {
  const side = row.after ?? row.before;
  const resource = side?.resource;
  const demand = resource?.demand;
  return {
    id: resource?.id,
    kind: resource?.kind,
    environment: resource?.environment || null,
    file: resource?.source.span.file,
    lines: resource ? `${resource.source.span.startLine}-${resource.source.span.endLine}` : null,
    change: row.change,
    monthlyCost: figureText(figures(row, "monthlyCost", diff), usd, numbers),
    monthlyCarbon: figureText(figures(row, "monthlyCarbonKg", diff), (v) => `${kg(v)}CO2e`, numbers),
    ...(demand?.type === "workload"
      ? {
          replicas: numbers.add(demand.replicas.count),
          containers: demand.containers.map((c) => ({
            name: c.name,
            cpuRequest: numbers.add(formatCpu(c.effective.cpuMillis)),
            memoryRequest: numbers.add(formatMemory(c.effective.memoryBytes)),
          })),
        }
      : {}),
    ...(demand?.type === "volume" ? { storage: numbers.add(formatMemory(demand.storageBytes)) } : {}),
  };
}

function findingFacts(finding: Finding, numbers: EngineNumbers): object {
  const { fix, recommendation } = finding;
  return {
    policy: finding.policy,
    severity: finding.severity,
    message: numbers.add(finding.message),
    resource: finding.resource?.id ?? null,
    where: `${finding.location.file}:${finding.location.startLine}`,
    ...(fix ? { fix: numbers.add(fixText(fix)) } : {}),
    ...(recommendation
      ? {
          observedUsage: {
            container: recommendation.container,
            cpuRequest: numbers.add(
              `${recommendation.cpuRequest.current ?? "none"} → ${recommendation.cpuRequest.recommended}`,
            ),
            memoryRequest: numbers.add(
              `${recommendation.memoryRequest.current ?? "none"} → ${recommendation.memoryRequest.recommended}`,
            ),
            basis: numbers.add(
              `p${recommendation.basis.percentile} over ${recommendation.basis.window}, ${recommendation.basis.samples} samples, ${recommendation.basis.source}`,
            ),
          },
        }
      : {}),
  };
}

/** Largest change first (largest cost in an estimate), as the resource table sorts. */
function weight(row: ResourceChange, diff: boolean): number {
  const cost = figures(row, "monthlyCost", diff);
  return Math.abs((diff ? cost.delta : cost.after) ?? 0);
}
