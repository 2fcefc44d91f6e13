import type { Finding } from "../../engine/finding.ts";
import { kg, signed, usd } from "../../report/numbers.ts";

/** Findings beyond this are in the annotations and the JSON report, not in a table. */
export const FINDINGS_TABLE_ROWS = 30;

const MARK = { error: "🛑 error", warning: "⚠️ warning", notice: "ℹ️ notice" };

/** The findings as a markdown table, most severe first (the report's order); suppressed ones say why. */
export function findingsTable(findings: Finding[]): string {
  if (findings.length === 0) return "";
  const rows = findings.slice(0, FINDINGS_TABLE_ROWS).map((f) => {
    const severity = f.suppressed ? `suppressed (${cell(f.suppressed.reason)})` : MARK[f.severity];
    const where = `\`${f.location.file}:${f.location.startLine}\``;
    return `| ${severity} | \`${f.policy}\` | ${where} | ${cell(f.message)} | ${f.fix ? fixCell(f) : ""} |`;
  });
  if (findings.length > FINDINGS_TABLE_ROWS)
    rows.push(`\n…and ${findings.length - FINDINGS_TABLE_ROWS} more: see the check run's annotations.`);
  return [
    `### Findings (${findings.length})`,
    ["| Severity | Policy | Location | Finding | Fix |", "|---|---|---|---|---|", ...rows].join("\n"),
  ].join("\n\n");
}

function fixCell(finding: Finding): string {
  const fix = finding.fix;
  if (!fix) return "";
  return `${cell(fix.title)} (${fix.kind})${impact(fix.impact)}`;
}

/** "saves $3.00/month, 0.1 kgCO2e/month" style text for a fix's or a commit's effect. */
export function impact(
  value: { monthlyCost: number | null; monthlyCarbonKg: number | null } | undefined,
): string {
  if (!value || (value.monthlyCost === null && value.monthlyCarbonKg === null)) return "";
  const parts = [
    value.monthlyCost === null ? undefined : `${signed(value.monthlyCost, usd)}/month`,
    value.monthlyCarbonKg === null ? undefined : `${signed(value.monthlyCarbonKg, kg)}CO2e/month`,
  ].filter(Boolean);
  return `: ${parts.join(", ")}`;
}

function cell(text: string): string {
  return text.replaceAll("|", "\\|").replaceAll("\n", " ");
}
