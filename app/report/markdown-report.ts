import { describeEnvironment, kindOf, kindReason, PRODUCTION_NAMES } from "../config/environment-kind.ts";
import type { EvaluatedResource, NotCounted, Report, ResourceChange } from "../engine/types.ts";
import type { EnvironmentBasis } from "../estimate/basis.ts";
import type { Source } from "../estimate/catalog/sources.ts";
import { formula } from "../estimate/lines.ts";
import type { Diagnostic } from "../model/span.ts";
import { counted } from "../model/words.ts";
import { aiProposalsMarkdown, aiSummaryMarkdown } from "./ai-report.ts";
import { findingsSection } from "./findings-markdown.ts";
import { sourceJson, usedSources } from "./json-report.ts";
import { codeCell, decimal, escapeCell, kg, percent, rate, signed, usd, whereCell } from "./numbers.ts";
import {
  applicationTotals,
  costsSomething,
  type Figures,
  figures,
  isDiff,
  mostlyUnknown,
  totals,
} from "./summary.ts";
import { telemetryMarkdown } from "./telemetry-report.ts";

/** Rows beyond this go to the JSON report: a table of thousands of rows helps nobody. */
export const MAX_TABLE_ROWS = 50;

const CHANGE_LABEL = {
  added: "➕ added",
  removed: "➖ removed",
  changed: "✏️ changed",
  unchanged: "unchanged",
};
const SEVERITY_ORDER = { error: 0, warning: 1, notice: 2 };

/** GitHub-flavoured markdown: totals first, then resources, diagnostics, and how it was computed. */
export function markdownReport(report: Report): string {
  return joinSections(markdownSections(report));
}

/** The report's markdown from its sections, in their order. */
export function joinSections(sections: Record<string, string>): string {
  return Object.values(sections).filter(Boolean).join("\n\n").concat("\n");
}

/**
 * The report's sections, in order ("" when empty), for surfaces that arrange them (the GitHub App's
 * comment); `findings` says how many findings the table shows and where the others are.
 */
export function markdownSections(
  report: Report,
  findings: { maxRows: number; more: string } = { maxRows: MAX_TABLE_ROWS, more: "see `--format json`" },
) {
  const review = isDiff(report);
  const summary = totals(report);
  return {
    heading: heading(report, summary.monthlyCost, summary.monthlyCarbonKg),
    ai: aiSummaryMarkdown(report.ai),
    totals: totalsTable(review, summary.monthlyCost, summary.monthlyCarbonKg),
    scope: scope(report, summary.counts),
    findings: findingsSection(report.findings, findings),
    aiProposals: aiProposalsMarkdown(report.ai),
    telemetry: telemetryMarkdown(report),
    resources: resourceTable(report),
    applications: applicationTable(report),
    diagnostics: diagnosticsSection(report.diagnostics),
    computed: computedSection(report),
  };
}

/** The figures, or, when most resources could not be estimated, that first: a total of the rest misleads. */
function heading(report: Report, cost: Figures, carbon: Figures): string {
  const review = isDiff(report);
  const what = !review ? "estimate" : report.mode === "review" ? "review" : "estimate of planned changes";
  const figures = review
    ? `${signed(cost.delta, usd)}/month, ${signed(carbon.delta, kg)}CO2e/month`
    : `${usd(cost.after)}/month, ${kg(carbon.after)}CO2e/month`;
  const unknown = mostlyUnknown(report.rows);
  if (!unknown) return `## GreenOps ${what}: ${figures}`;
  const rest = unknown.of - unknown.notEstimated;
  return `## GreenOps ${what}: ${unknown.text}${rest > 0 ? `; ${figures} for the other ${rest}` : ""}`;
}

function totalsTable(review: boolean, cost: Figures, carbon: Figures): string {
  if (!review) {
    return [
      "| | Monthly |",
      "|---|---:|",
      `| **Cost** | ${usd(cost.after)} |`,
      `| **Carbon** | ${kg(carbon.after)}CO2e |`,
    ].join("\n");
  }
  return [
    "| | Before | After | Change |",
    "|---|---:|---:|---:|",
    `| **Cost** | ${usd(cost.before)} | ${usd(cost.after)} | **${signed(cost.delta, usd)}${percent(cost.deltaPercent)}** |`,
    `| **Carbon** | ${kg(carbon.before)}CO2e | ${kg(carbon.after)}CO2e | **${signed(carbon.delta, kg)}CO2e${percent(carbon.deltaPercent)}** |`,
  ].join("\n");
}

/** What the scope line says of resources that cost nothing by themselves. */
function notListed(count: number): string {
  return count === 1
    ? "costs nothing by itself and is not listed"
    : "cost nothing by themselves and are not listed";
}

function scope(report: Report, counts: ReturnType<typeof totals>["counts"]): string {
  const parts: string[] = [];
  if (report.base) parts.push(`Base \`${report.base.ref}\` (${report.base.reason}) → ${report.head.ref}`);
  else if (report.head.path === undefined) parts.push(`Estimate of ${report.head.ref}`);
  else
    parts.push(
      `Estimate of ${codeCell(report.head.path)} in ${report.head.ref} (what the path declares: copies of its objects outside it are not looked for)`,
    );
  const changed = (["added", "removed", "changed"] as const)
    .filter((k) => counts[k] > 0)
    .map((k) => `${counts[k]} ${k}`);
  if (isDiff(report)) {
    parts.push(changed.length ? changed.join(", ") : "no resource changes cost or carbon");
    const free = report.rows.filter(hiddenPlanRow).length;
    if (free > 0) parts.push(`${counted(free, "planned resource")} ${notListed(free)}`);
  } else {
    const free = report.rows.filter((row) => !costsSomething(row)).length;
    const listed = free > 0 ? ` (${free} ${notListed(free)})` : "";
    parts.push(
      `${counted(report.rows.length, "resource")} in ${counted(report.stats.files, "file")}${listed}`,
    );
  }
  if (report.unchangedResources > 0)
    parts.push(`${counted(report.unchangedResources, "other resource")} read for context, unchanged`);
  if (counts.notEstimated > 0)
    parts.push(`${counts.notEstimated} not fully estimated (see how this was computed)`);
  if (counts.notCounted > 0)
    parts.push(
      `${counted(counts.notCounted, "copy", "copies")} of an object declared again, not counted (see the diagnostics)`,
    );
  const stale = usedSources(report).filter((id) => sourceJson(id, report).stale).length;
  if (stale > 0) {
    parts.push(
      `⚠️ ${counted(stale, "price or emission catalog")} ${stale === 1 ? "is" : "are"} older than ${report.catalogs.maxAgeDays} days (see the sources)`,
    );
  }
  const note = unknownKindNote(report);
  return note ? `${parts.join(" · ")}\n\n${note}` : parts.join(" · ");
}

/** Said once, when workloads belong to environments not known to be production or not. */
function unknownKindNote(report: Report): string {
  const names = report.environments
    .filter((basis) => kindOf(basis) === "unknown" && runsPods(report, basis.environment))
    .map((basis) => basis.environment)
    .sort();
  if (names.length === 0) return "";
  const unknown = [
    ...names.filter(Boolean).map((name) => `\`${name}\``),
    ...(names.includes("") ? ["files outside any environment"] : []),
  ];
  return `ℹ️ Not known to be production or non-production: ${unknown.join(", ")}. Policies meant for non-production only were not applied there. To say which an environment is, give it \`environments/<name>/greenops.yml\` (with \`production: true\` or \`false\` when its name is not ${PRODUCTION_NAMES.join(", ").replace(/, (\w+)$/, " or $1")}); files elsewhere join an environment through \`environments.<name>.paths\` in \`.github/greenops.yml\`.`;
}

function resourceTable(report: Report): string {
  const review = isDiff(report);
  const rows = report.rows
    .filter((row) => (review && !hiddenPlanRow(row)) || costsSomething(row))
    .sort((a, b) => weight(b, review) - weight(a, review));
  if (rows.length === 0) return "";
  const header = review
    ? [
        "| Change | Resource | Environment | Location | Cost/month | Δ cost | Carbon/month | Δ carbon |",
        "|---|---|---|---|---:|---:|---:|---:|",
      ]
    : ["| Resource | Environment | Location | Cost/month | Carbon/month |", "|---|---|---|---:|---:|"];
  const lines = rows.slice(0, MAX_TABLE_ROWS).map((row) => resourceLine(row, review));
  if (rows.length > MAX_TABLE_ROWS)
    lines.push(`\n…and ${rows.length - MAX_TABLE_ROWS} more resources: see \`--format json\`.`);
  return ["### Resources", [...header, ...lines].join("\n")].join("\n\n");
}

/** Free resources of a plan or preview (IAM roles, routes, …) would crowd out the ones that cost. */
function hiddenPlanRow(row: ResourceChange): boolean {
  return row.plan !== undefined && !costsSomething(row);
}

/** Largest change first (largest cost in an estimate). */
function weight(row: ResourceChange, review: boolean): number {
  const cost = figures(row, "monthlyCost", review);
  return Math.abs((review ? cost.delta : cost.after) ?? 0);
}

function resourceLine(row: ResourceChange, review: boolean): string {
  const side = (row.after ?? row.before) as EvaluatedResource;
  const { resource, estimate } = side;
  const planned = row.plan && !review ? ` (plan: ${row.plan})` : "";
  const copy = side.notCounted
    ? ` (declared again: counted at ${whereCell(side.notCounted.counted.file, side.notCounted.counted.line)})`
    : "";
  const name = `${codeCell(resource.id)}${estimate.atMaximum ? " (autoscaled)" : ""}${planned}${copy}`;
  const where = whereCell(resource.source.span.file, resource.source.span.startLine);
  const environment = escapeCell(resource.environment || "—");
  if (side.notCounted) {
    const cells = review ? "not counted | — | not counted | —" : "not counted | not counted";
    return `| ${review ? `${CHANGE_LABEL[row.change]} | ` : ""}${name} | ${environment} | ${where} | ${cells} |`;
  }
  const cost = figures(row, "monthlyCost", review);
  const carbon = figures(row, "monthlyCarbonKg", review);
  if (!review) return `| ${name} | ${environment} | ${where} | ${usd(cost.after)} | ${kg(carbon.after)} |`;
  const span = (f: Figures, format: (v: number | null) => string) =>
    row.change === "changed"
      ? `${format(f.before)} → ${format(f.after)}`
      : format(row.change === "removed" ? f.before : f.after);
  const label = row.plan === "replace" ? "♻️ replaced" : CHANGE_LABEL[row.change];
  return `| ${label} | ${name} | ${environment} | ${where} | ${span(cost, usd)} | ${signed(cost.delta, usd)} | ${span(carbon, kg)} | ${signed(carbon.delta, kg)} |`;
}

/** The resources each ArgoCD Application deploys, by Application and environment. */
function applicationTable(report: Report): string {
  const applications = applicationTotals(report);
  if (applications.length === 0) return "";
  const review = isDiff(report);
  const header = review
    ? [
        "| Application | Environment | Destination | Revision | Cost/month | Δ cost | Δ carbon | Findings |",
        "|---|---|---|---|---:|---:|---:|---:|",
      ]
    : [
        "| Application | Environment | Destination | Revision | Cost/month | Carbon/month | Findings |",
        "|---|---|---|---|---:|---:|---:|",
      ];
  const lines = applications.map(
    ({ application: a, environment, monthlyCost, monthlyCarbonKg, findings }) => {
      const where = escapeCell(`${a.cluster}${a.namespace ? ` / ${a.namespace}` : ""}`);
      const first = `| ${codeCell(a.name)} | ${escapeCell(environment || "—")} | ${where} | ${escapeCell(a.revision)} | ${usd(monthlyCost.after)}`;
      return review
        ? `${first} | ${signed(monthlyCost.delta, usd)} | ${signed(monthlyCarbonKg.delta, kg)} | ${findings} |`
        : `${first} | ${kg(monthlyCarbonKg.after)} | ${findings} |`;
    },
  );
  return ["### By ArgoCD Application", [...header, ...lines].join("\n")].join("\n\n");
}

function diagnosticsSection(diagnostics: Diagnostic[]): string {
  if (diagnostics.length === 0) return "";
  const sorted = [...diagnostics].sort(
    (a, b) =>
      SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity] ||
      a.file.localeCompare(b.file) ||
      a.line - b.line,
  );
  const lines = sorted.map(
    (d) => `| ${d.severity} | ${whereCell(d.file, d.line)} | ${escapeCell(d.message)} |`,
  );
  return [
    `### Diagnostics (${diagnostics.length})`,
    ["| Severity | Location | Message |", "|---|---|---|", ...lines].join("\n"),
  ].join("\n\n");
}

function computedSection(report: Report): string {
  const parts = [
    `Monthly figures are for 730 hours. Costs are ${pricesUsed(report)} in USD; carbon follows Cloud Carbon Footprint's method (energy × PUE × the region's grid factor, plus embodied emissions).`,
    ...report.environments.map((basis) => environmentBasisText(basis, report)),
    perResourceDetails(report),
    sourcesTable(report),
  ];
  return `<details><summary>How this was computed</summary>\n\n${parts.filter(Boolean).join("\n\n")}\n\n</details>`;
}

/** Which prices the costs are: the cluster's from OpenCost where it answered, list prices elsewhere. */
function pricesUsed(report: Report): string {
  const observed = report.environments.filter(
    (basis) => basis.compute.method === "opencost-observed" && runsPods(report, basis.environment),
  );
  if (observed.length === 0) return "on-demand list prices";
  const fromOpenCost = "the cluster's prices from OpenCost";
  if (observed.length === report.environments.length) return fromOpenCost;
  const names = observed.map((basis) => describeEnvironment(basis.environment)).join(", ");
  return `${fromOpenCost} (${names}) and on-demand list prices elsewhere`;
}

function environmentBasisText(basis: EnvironmentBasis, report: Report): string {
  const { settings, compute, carbon } = basis;
  const name = basis.environment ? `Environment \`${basis.environment}\`` : "Files outside any environment";
  if (!runsPods(report, basis.environment)) {
    const note = purchaseNote(basis);
    return `**${name}**: cloud resources only, each priced and estimated in its own region (below)${note ? `. ${note}` : ""}`;
  }
  const from = basis.settingsFile
    ? ` (${basis.settingsFile}; ${kindReason(basis)})`
    : ` (built-in defaults: no environment settings; ${kindReason(basis)})`;
  const nodes = settings.nodeInstanceType
    ? `, nodes ${settings.nodeInstanceType}${settings.nodeCount ? ` × ${settings.nodeCount}` : ""}`
    : "";
  const prices =
    compute.method === "node-price-split" && compute.node
      ? `${compute.node.type} at ${rate(compute.node.usdPerHour)}/hour (${compute.node.vcpus} vCPU, ${compute.node.memoryGiB} GiB), split by OpenCost's CPU:RAM price ratio`
      : compute.method === "opencost-observed"
        ? `${compute.reason}`
        : `OpenCost's default prices (${compute.reason})`;
  const grid = `${carbon.grid.gPerKWh} gCO2e/kWh (${carbon.grid.source}${carbon.grid.year ? `, ${carbon.grid.year}` : ""}${carbon.grid.regionKnown ? "" : `; ${settings.region} is not in CCF's table, so CCF's ${settings.cloud} average is used`})`;
  const embodied =
    carbon.embodiedKgPerVcpuHour === undefined
      ? "not estimated (no node instance type with CCF embodied data)"
      : `${carbon.embodiedKgPerVcpuHour.toPrecision(4)} kgCO2e per vCPU-hour (${carbon.embodiedBasis})`;
  return [
    `**${name}**${from}: ${settings.cloud} ${settings.region}${nodes}`,
    `- Compute: ${prices} → ${rate(compute.cpu)}/vCPU-hour, ${rate(compute.ram)}/GiB-hour${gpuPrice(basis)}`,
    `- Power: ${carbon.minWatts}–${carbon.maxWatts} W per vCPU (${carbon.wattsBasis}) at ${carbon.utilisation}% CPU (${carbon.utilisationBasis}); memory ${carbon.memoryKWhPerGiBHour} kWh per GiB-hour; PUE ${carbon.pue}`,
    `- Grid: ${grid}`,
    `- Embodied: ${embodied}`,
    ...(purchaseNote(basis) ? [`- ${purchaseNote(basis)}`] : []),
  ].join("\n");
}

/** The GPU-hour's price, and where it comes from when OpenCost gave the CPU and RAM prices but none for GPUs. */
function gpuPrice({ compute }: EnvironmentBasis): string {
  if (!compute.gpuFrom) return `, ${rate(compute.gpu)}/GPU-hour`;
  const from =
    compute.gpuFrom.method === "node-price-split" && compute.node
      ? `${compute.node.type}'s list price split by OpenCost's price ratios`
      : "OpenCost's default price";
  return `; ${rate(compute.gpu)}/GPU-hour from ${from} (OpenCost's allocations give no GPU price)`;
}

/** Whether Kubernetes workloads or volumes of this environment are shown: only they use its prices. */
function runsPods(report: Report, environment: string): boolean {
  return report.rows.some((row) =>
    [row.before, row.after].some((side) => {
      const demand = side?.resource.demand;
      return (
        side?.resource.environment === environment &&
        (demand?.type === "workload" || demand?.type === "volume")
      );
    }),
  );
}

/** Said when an environment buys compute other than on-demand, which no catalog prices. */
function purchaseNote(basis: EnvironmentBasis): string | undefined {
  const option = basis.settings.purchaseOption;
  return option && option !== "on-demand"
    ? `Purchase option ${option}: compute is not priced (the catalogs hold on-demand list prices only)`
    : undefined;
}

function perResourceDetails(report: Report): string {
  const rows = report.rows
    .filter((row) => row.change !== "unchanged" || report.mode === "estimate")
    .slice(0, MAX_TABLE_ROWS);
  return rows
    .map((row) => resourceDetails(row))
    .filter(Boolean)
    .join("\n\n");
}

/**
 * A resource's figures, line by line. A copy not counted says so first, and its tables are marked:
 * its figures are what it would cost were it the copy applied, in no total.
 */
function resourceDetails(row: ResourceChange): string {
  const side = (row.after ?? row.before) as EvaluatedResource;
  const { estimate, resource } = side;
  const notes = [
    ...resource.notes,
    ...estimate.assumptions,
    ...(estimate.unestimated ? [estimate.unestimated] : []),
  ];
  if (estimate.cost.length === 0 && estimate.carbon.length === 0 && notes.length === 0 && !side.notCounted)
    return "";
  const demand = resource.demand;
  const location = "location" in demand && demand.location ? demand.location : undefined;
  const region = location ? ` · ${location.cloud} ${location.region ?? "(region unknown)"}` : "";
  const where = `${resource.environment ? ` in ${resource.environment}` : ""}${region}`;
  const label = row.after ? (row.change === "changed" ? ", after the change" : "") : ", removed (as it was)";
  const lines = [`**\`${resource.id}\`**${where}${label}`];
  const marked = side.notCounted ? " (not counted)" : "";
  if (side.notCounted) {
    const { file, startLine } = resource.source.span;
    lines[0] += ` at ${whereCell(file, startLine)}: **not counted**`;
    lines.push("", notCountedNote(side.notCounted));
  }
  if (estimate.cost.length > 0) {
    lines.push("", `| Cost component${marked} | Quantity | Unit price | Monthly |`, "|---|---:|---:|---:|");
    for (const c of estimate.cost) {
      lines.push(
        `| ${c.component} | ${decimal(c.quantity)} ${c.unit} | ${rate(c.unitPrice)} | ${usd(c.monthlyCost)} |`,
      );
    }
  }
  if (estimate.carbon.length > 0) {
    lines.push("", `| Carbon component${marked} | How | kgCO2e |`, "|---|---|---:|");
    for (const c of estimate.carbon) {
      const label = c.basis ? `${c.component} (${c.basis})` : c.component;
      const beside = c.modelledKWh === undefined ? "" : ` (modelled: ${decimal(c.modelledKWh)} kWh)`;
      lines.push(`| ${label} | ${escapeCell(formula(c) + beside)} | ${decimal(c.kgCO2e)} |`);
    }
  }
  if (estimate.atMaximum) {
    lines.push(
      "",
      `At the autoscaler's maximum${marked}: ${usd(estimate.atMaximum.monthlyCost)}/month, ${kg(estimate.atMaximum.monthlyCarbonKg)}CO2e/month.`,
    );
  }
  if (notes.length > 0) lines.push("", ...notes.map((n) => `- ${n}`));
  return lines.join("\n");
}

function notCountedNote({ counted, reason }: NotCounted): string {
  return `Not counted: the same object is declared at ${whereCell(counted.file, counted.line)}, the copy counted (${reason}). The figures below are what this copy would cost were it the one applied; no total includes them.`;
}

function sourcesTable(report: Report): string {
  const rows = usedSources(report)
    .map((id) => sourceJson(id, report))
    .map(
      (s) =>
        `| ${s.id} | ${s.title} | ${s.asOf}${s.stale ? ` ⚠️ ${s.ageDays} days old` : ""} | ${escapeCell(catalogOrigin(s))} |`,
    );
  return ["| Source | What | As of | Origin |", "|---|---|---|---|", ...rows].join("\n");
}

/** Where a catalog came from: bundled with GreenOps, or refreshed from a public price list on a date. */
function catalogOrigin(s: Source): string {
  if (s.catalog === "bundled") return `bundled: ${s.origin}`;
  return `refreshed ${s.retrievedAt?.slice(0, 10)} from ${s.url}: ${s.origin}`;
}
