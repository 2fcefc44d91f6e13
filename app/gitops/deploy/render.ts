import { escapeCell, kg, signed, usd } from "../../report/numbers.ts";
import { unevaluatedNotice } from "../../report/unevaluated.ts";
import { formatDuration } from "../../telemetry/duration.ts";
import type { Delta } from "./costs.ts";
import type { DeployReport } from "./deploy.ts";
import type { DeployedSaving, DeployRow } from "./types.ts";

const MARK: Record<string, string> = {
  Synced: "✅",
  Healthy: "✅",
  OutOfSync: "⚠️",
  Progressing: "⏳",
  Degraded: "❌",
  Missing: "❌",
};

/** The report as markdown: the check run's summary, and `greenops deploy-status`' output under a heading. */
export function deployMarkdown(report: DeployReport): string {
  const lines = [
    `Revision \`${report.revision.slice(0, 7)}\` · ArgoCD ${report.server} · watched for up to ${formatDuration(report.timeoutSeconds)}`,
    "",
  ];
  if (report.unevaluated) lines.push(`> ${unevaluatedNotice(report.unevaluated)}`, "");
  if (report.problem) lines.push(report.problem, "");
  if (report.rows.length > 0) {
    lines.push(
      "| Application | Destination | Sync | Health | Revision | Trigger | Cost/month | Carbon/month |",
      "|---|---|---|---|---|---|---:|---:|",
      ...report.rows.map(tableRow),
      "",
    );
    for (const row of report.rows.filter((r) => r.message))
      lines.push(`- **${escapeCell(row.name)}**: ${row.message}`);
    if (report.rows.some((r) => r.message)) lines.push("");
    if (report.rows.some((r) => r.delta))
      lines.push(
        "Cost and carbon: the monthly change this push deployed through each Application, as GreenOps estimates it.",
        "",
      );
  }
  if (report.savings.length > 0) {
    lines.push("Savings of GreenOps commits in this push:", "", ...report.savings.map(savingLine), "");
  }
  return `${lines.join("\n").trimEnd()}\n`;
}

function tableRow(row: DeployRow): string {
  const destination = [row.cluster, row.namespace].filter(Boolean).join(" / ");
  const cells = [
    row.name,
    destination,
    `${MARK[row.sync] ?? "❔"} ${row.sync}`,
    `${MARK[row.health] ?? "❔"} ${row.health}`,
    row.revision ? `\`${row.revision.slice(0, 7)}\`` : "—",
    row.trigger,
    delta(row.delta, "monthlyCost"),
    delta(row.delta, "monthlyCarbonKg"),
  ];
  return `| ${cells.map(escapeCell).join(" | ")} |`;
}

function delta(value: Delta | undefined, key: keyof Delta): string {
  if (!value) return "not estimated";
  return signed(value[key], key === "monthlyCost" ? usd : kg);
}

function savingLine(saving: DeployedSaving): string {
  const amount = saving.saving
    ? `${usd(saving.saving.monthlyCost)}/month and ${kg(saving.saving.monthlyCarbonKg)}CO2e/month saved`
    : "saving not stated";
  const where =
    saving.reached === "yes"
      ? `reached the cluster (${saving.applications.join(", ")})`
      : saving.reached === "not yet"
        ? `not yet deployed (${saving.applications.join(", ")})`
        : "no Application deploys its files";
  return `- \`${saving.sha.slice(0, 7)}\` ${saving.policies.join(", ")}: ${amount} — ${where}`;
}
