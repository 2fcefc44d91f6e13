import type { Finding } from "../engine/finding.ts";
import { kg, signed, usd } from "./numbers.ts";

const ICON = { error: "❌ error", warning: "⚠️ warning", notice: "ℹ️ notice" };

/** The findings section: what blocks, what informs, what a fix would change; suppressed ones apart. */
export function findingsSection(findings: readonly Finding[], maxRows: number): string {
  const active = findings.filter((f) => !f.suppressed);
  const suppressed = findings.filter((f) => f.suppressed);
  if (findings.length === 0) return "";
  const counts = (["error", "warning", "notice"] as const)
    .map((severity) => [severity, active.filter((f) => f.severity === severity).length] as const)
    .filter(([, count]) => count > 0)
    .map(([severity, count]) => `${count} ${severity}${count === 1 ? "" : "s"}`);
  const parts = [`### Findings: ${counts.join(", ") || "none active"}`];
  if (active.length > 0) {
    const rows = active
      .slice(0, maxRows)
      .map(
        (f) =>
          `| ${ICON[f.severity]} | \`${f.policy}\` | \`${f.location.file}:${f.location.startLine}\` | ${cell(f.message)} | ${fixCell(f)} |`,
      );
    if (active.length > maxRows)
      rows.push(`| | | | …and ${active.length - maxRows} more: see \`--format json\` | |`);
    parts.push(["| | Policy | Where | Finding | Fix |", "|---|---|---|---|---|", ...rows].join("\n"));
  }
  if (suppressed.length > 0) {
    const rows = suppressed.map(
      (f) =>
        `| \`${f.policy}\` | \`${f.location.file}:${f.location.startLine}\` | ${cell(f.message)} | ${cell(f.suppressed?.reason ?? "")} |`,
    );
    parts.push(
      `<details><summary>Suppressed (${suppressed.length})</summary>\n\n${["| Policy | Where | Finding | Reason |", "|---|---|---|---|", ...rows].join("\n")}\n\n</details>`,
    );
  }
  return parts.join("\n\n");
}

function fixCell(finding: Finding): string {
  if (!finding.fix) return "—";
  const impact = finding.fix.impact;
  const saving =
    impact && (impact.monthlyCost !== 0 || impact.monthlyCarbonKg !== 0)
      ? ` · ${signed(impact.monthlyCost, usd)}/month, ${signed(impact.monthlyCarbonKg, kg)}CO2e`
      : "";
  return `${cell(finding.fix.title)} (${finding.fix.kind})${saving}`;
}

function cell(text: string): string {
  return text.replaceAll("|", "\\|").replaceAll("\n", " ");
}
