import { kindOf } from "../config/environment-kind.ts";
import { byHand } from "../engine/by-hand.ts";
import { type Finding, type Fix, isBlocking } from "../engine/finding.ts";
import type { EvaluatedResource, Report, ResourceChange } from "../engine/types.ts";
import type { EnvironmentBasis } from "../estimate/basis.ts";
import { ageInDays, type Source, source } from "../estimate/catalog/sources.ts";
import { formatCpu, formatMemory } from "../iac/kubernetes/quantity.ts";
import { aiJson } from "./ai-report.ts";
import { cloudInputs } from "./cloud-inputs.ts";
import { LineTables } from "./json-lines.ts";
import { JsonStream } from "./json-stream.ts";
import { amount, quantity } from "./numbers.ts";
import { applicationTotals, environmentTotals, type Figures, figures, totals } from "./summary.ts";
import { telemetryJson } from "./telemetry-report.ts";

/** The version of docs/report-schema.json that this output follows. */
export const SCHEMA_VERSION = "2.10";

/**
 * Writes the report as JSON following docs/report-schema.json, streamed: resources, findings and
 * diagnostics one per line as they are turned into JSON, the unit prices and emission factors their
 * lines refer to once each, after the resources. A 30,000-resource report never exists as one string.
 */
export function writeJsonReport(report: Report, write: (chunk: string) => void): void {
  const review = report.mode === "review";
  const tables = new LineTables();
  const json = new JsonStream(write);
  json.member("schemaVersion", SCHEMA_VERSION);
  json.member("mode", report.mode);
  json.member("base", report.base);
  json.member("head", report.head);
  json.member("currency", "USD");
  json.member("summary", summaryJson(report));
  json.items("resources", report.rows, (row) => resourceJson(row, review, tables));
  json.member("unitPrices", tables.unitPrices);
  json.member("emissionFactors", tables.emissionFactors);
  computeEditsByFile(report.findings);
  json.items("findings", report.findings, findingJson);
  json.items("diagnostics", report.diagnostics, (diagnostic) => diagnostic);
  json.member("environments", report.environments.map(environmentJson));
  json.member(
    "sources",
    usedSources(report).map((id) => sourceJson(id, report)),
  );
  json.member("catalogs", report.catalogs);
  json.member("stats", report.stats);
  json.member("telemetry", telemetryJson(report));
  json.member("ai", report.ai ? aiJson(report.ai) : undefined);
  json.end();
}

export function jsonReportText(report: Report): string {
  const chunks: string[] = [];
  writeJsonReport(report, (chunk) => chunks.push(chunk));
  return chunks.join("");
}

function summaryJson(report: Report): object {
  const summary = totals(report);
  return {
    monthlyCost: figuresJson(summary.monthlyCost),
    monthlyCarbonKg: figuresJson(summary.monthlyCarbonKg),
    resources: summary.counts,
    unchangedResourcesNotShown: report.unchangedResources,
    findings: findingCounts(report.findings),
    environments: environmentTotals(report).map((e) => ({
      name: e.environment || null,
      monthlyCost: figuresJson(e.monthlyCost),
      monthlyCarbonKg: figuresJson(e.monthlyCarbonKg),
    })),
    ...applicationsJson(report),
  };
}

/**
 * Computes the findings' fix edits file by file: a fix edits its file as parsed again when first read
 * (fixOf), and the fixes of one file in a row parse it once, where the findings' order would parse it
 * once per policy.
 */
function computeEditsByFile(findings: readonly Finding[]): void {
  const fixed = findings.filter((finding) => finding.fix);
  const order = fixed.map((finding, index) => ({ file: finding.location.file, index }));
  order.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : a.index - b.index));
  for (const { index } of order) void fixed[index]?.fix?.edits;
}

function findingCounts(findings: readonly Finding[]): object {
  const active = findings.filter((f) => !f.suppressed);
  const count = (severity: Finding["severity"]) => active.filter((f) => f.severity === severity).length;
  return {
    error: count("error"),
    warning: count("warning"),
    notice: count("notice"),
    suppressed: findings.length - active.length,
    blocking: isBlocking(findings),
  };
}

function findingJson(finding: Finding): object {
  const { location, fix, suppressed } = finding;
  const json: Record<string, unknown> = {
    policy: finding.policy,
    severity: finding.severity,
    message: finding.message,
    file: location.file,
    line: location.startLine,
    column: location.startColumn,
    endLine: location.endLine,
    endColumn: location.endColumn,
    resource: finding.resource ?? null,
  };
  if (finding.subject !== undefined) json.subject = finding.subject;
  json.fix = fix
    ? {
        title: fix.title,
        kind: fix.kind,
        edits: fix.edits,
        byHand: byHandJson(fix),
        impact: fix.impact
          ? { monthlyCost: round(fix.impact.monthlyCost), monthlyCarbonKg: round(fix.impact.monthlyCarbonKg) }
          : null,
      }
    : null;
  json.suppressed = suppressed
    ? { reason: suppressed.reason, file: suppressed.location.file, line: suppressed.location.startLine }
    : null;
  if (finding.recommendation) json.recommendation = finding.recommendation;
  return json;
}

function byHandJson(fix: Fix): object | null {
  const manual = byHand(fix);
  return manual ? { cause: manual.cause, reason: manual.reason } : null;
}

function resourceJson(row: ResourceChange, review: boolean, tables: LineTables): object {
  const side = (row.after ?? row.before) as EvaluatedResource;
  const { resource } = side;
  const json: Record<string, unknown> = { id: resource.id, kind: resource.kind, name: resource.name };
  if (resource.namespace) json.namespace = resource.namespace;
  json.environment = resource.environment || null;
  if (resource.application) json.application = resource.application;
  json.file = resource.source.span.file;
  json.line = resource.source.span.startLine;
  json.change = row.change;
  if (row.plan) json.planAction = row.plan;
  const sides = {
    before: row.before && (review || row.plan) ? breakdown(row.before, tables) : null,
    after: row.after ? breakdown(row.after, tables) : null,
  };
  // A copy not counted keeps its figures beside the copy counted, out of the breakdown that totals add up.
  if (side.notCounted) json.notCounted = { ...side.notCounted, breakdown: sides };
  json.monthlyCost = figuresJson(figures(row, "monthlyCost", review));
  json.monthlyCarbonKg = figuresJson(figures(row, "monthlyCarbonKg", review));
  json.breakdown = side.notCounted ? { before: null, after: null } : sides;
  return json;
}

/** One side's inputs (what its demand is), figures and lines, built as one object in the schema's order. */
function breakdown({ resource, estimate }: EvaluatedResource, tables: LineTables): object {
  const demand = resource.demand;
  const json: Record<string, unknown> = { demand: demand.type };
  if (demand.type === "workload") {
    json.replicas = demand.replicas;
    json.podRequests = {
      cpu: formatCpu(demand.pod.cpuMillis),
      memory: formatMemory(demand.pod.memoryBytes),
      gpus: demand.pod.gpus,
    };
    json.containers = demand.containers.map((c) => ({
      name: c.name,
      role: c.role,
      cpu: formatCpu(c.effective.cpuMillis),
      memory: formatMemory(c.effective.memoryBytes),
      basis: c.basis,
    }));
    if (demand.runs) json.runs = { ...demand.runs, runsPerMonth: quantity(demand.runs.runsPerMonth) };
  }
  if (demand.type === "volume") {
    json.storage = formatMemory(demand.storageBytes);
    if (demand.storageClass) json.storageClass = demand.storageClass;
    if (demand.volumeType) json.volumeType = demand.volumeType;
  }
  if (demand.type === "load-balancer") json.loadBalancer = demand.flavour;
  if ("location" in demand && demand.location) {
    const { cloud, region, regionBasis } = demand.location;
    json.location = { cloud, region: region ?? null, regionBasis };
  }
  Object.assign(json, cloudInputs(demand));
  json.monthlyCost = round(estimate.monthlyCost);
  json.monthlyCarbonKg = round(estimate.monthlyCarbonKg);
  if (estimate.atMaximum) {
    json.atMaximum = {
      monthlyCost: round(estimate.atMaximum.monthlyCost),
      monthlyCarbonKg: round(estimate.atMaximum.monthlyCarbonKg),
    };
  }
  json.cost = estimate.cost.map((line) => tables.cost(line));
  json.carbon = estimate.carbon.map((line) => tables.carbon(line));
  if (estimate.unestimated) json.unestimated = estimate.unestimated;
  json.notes = resource.notes.concat(estimate.assumptions);
  return json;
}

function environmentJson(basis: EnvironmentBasis): object {
  const { settings, compute, carbon } = basis;
  return {
    name: basis.environment || null,
    settingsFile: basis.settingsFile ?? null,
    kind: kindOf(basis),
    cloud: settings.cloud,
    region: settings.region,
    nodeInstanceType: settings.nodeInstanceType ?? null,
    nodeCount: settings.nodeCount ?? null,
    purchaseOption: settings.purchaseOption ?? "on-demand",
    prices: {
      method: compute.method,
      ...(compute.reason ? { reason: compute.reason } : {}),
      usdPerVcpuHour: quantity(compute.cpu),
      usdPerGiBHour: quantity(compute.ram),
      usdPerGpuHour: quantity(compute.gpu),
      ...(compute.node ? { nodeUsdPerHour: compute.node.usdPerHour } : {}),
      ...(compute.gpuFrom ? { gpu: compute.gpuFrom } : {}),
      sources: compute.sources,
    },
    carbon: {
      pue: carbon.pue,
      minWattsPerVcpu: carbon.minWatts,
      maxWattsPerVcpu: carbon.maxWatts,
      wattsBasis: carbon.wattsBasis,
      cpuUtilisationPercent: carbon.utilisation,
      utilisationBasis: carbon.utilisationBasis,
      memoryKWhPerGiBHour: carbon.memoryKWhPerGiBHour,
      gridGramsPerKWh: carbon.grid.gPerKWh,
      gridSource: carbon.grid.source,
      gridYear: carbon.grid.year ?? null,
      gridRegionKnown: carbon.grid.regionKnown,
      embodiedKgPerVcpuHour:
        carbon.embodiedKgPerVcpuHour === undefined ? null : quantity(carbon.embodiedKgPerVcpuHour),
      sources: carbon.sources,
    },
  };
}

/** A catalog with its age on the report's date, and whether it is older than allowed. */
export function sourceJson(id: string, report: Report): Source & { ageDays: number; stale: boolean } {
  const catalog = source(id);
  const ageDays = ageInDays(catalog.asOf, report.catalogs.today);
  return { ...catalog, ageDays, stale: ageDays > report.catalogs.maxAgeDays };
}

/** Every data source a report's figures came from, sorted. */
export function usedSources(report: Report): string[] {
  const ids = new Set<string>();
  for (const basis of report.environments) for (const id of basis.carbon.sources) ids.add(id);
  for (const row of report.rows) {
    for (const side of [row.before, row.after]) {
      for (const line of side?.estimate.cost ?? []) for (const id of line.sources) ids.add(id);
    }
  }
  return [...ids].sort();
}

/** Totals per ArgoCD Application, when Applications deploy the resources shown. */
function applicationsJson(report: Report): object {
  const applications = applicationTotals(report);
  if (applications.length === 0) return {};
  return {
    applications: applications.map((a) => ({
      application: a.application,
      environment: a.environment || null,
      monthlyCost: figuresJson(a.monthlyCost),
      monthlyCarbonKg: figuresJson(a.monthlyCarbonKg),
      findings: a.findings,
    })),
  };
}

function figuresJson(f: Figures): object {
  return {
    before: round(f.before),
    after: round(f.after),
    delta: round(f.delta),
    deltaPercent: f.deltaPercent === null ? null : Number(f.deltaPercent.toFixed(2)),
  };
}

function round(value: number | null): number | null {
  return value === null ? null : amount(value);
}
