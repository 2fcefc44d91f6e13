import { byHand } from "../engine/by-hand.ts";
import type { Finding, Fix } from "../engine/finding.ts";
import { counted } from "../model/words.ts";
import { escapeCell, kg, signed, usd, whereCell } from "./numbers.ts";

const ICON = { error: "❌ error", warning: "⚠️ warning", notice: "ℹ️ notice" };

/**
 * The findings section: what blocks, what informs, what a fix would change; suppressed ones apart.
 * Beyond `maxRows` active findings, a row says where the others are (`more`).
 */
export function findingsSection(
  findings: readonly Finding[],
  { maxRows, more }: { maxRows: number; more: string },
): string {
  const active = findings.filter((f) => !f.suppressed);
  const suppressed = findings.filter((f) => f.suppressed);
  if (findings.length === 0) return "";
  const counts = (["error", "warning", "notice"] as const)
    .map((severity) => [severity, active.filter((f) => f.severity === severity).length] as const)
    .filter(([, count]) => count > 0)
    .map(([severity, count]) => counted(count, severity));
  const parts = [`### Findings: ${counts.join(", ") || "none active"}`];
  if (active.length > 0) {
    const rows = active
      .slice(0, maxRows)
      .map(
        (f) =>
          `| ${ICON[f.severity]} | \`${f.policy}\` | ${whereCell(f.location.file, f.location.startLine)} | ${escapeCell(f.message)} | ${fixCell(f)} |`,
      );
    if (active.length > maxRows) rows.push(`| | | | …and ${active.length - maxRows} more: ${more} | |`);
    parts.push(["| | Policy | Where | Finding | Fix |", "|---|---|---|---|---|", ...rows].join("\n"));
  }
  if (suppressed.length > 0) {
    const rows = suppressed.map(
      (f) =>
        `| \`${f.policy}\` | ${whereCell(f.location.file, f.location.startLine)} | ${escapeCell(f.message)} | ${escapeCell(f.suppressed?.reason ?? "")} |`,
    );
    parts.push(
      `<details><summary>Suppressed (${suppressed.length})</summary>\n\n${["| Policy | Where | Finding | Reason |", "|---|---|---|---|", ...rows].join("\n")}\n\n</details>`,
    );
  }
  return parts.join("\n\n");
}

/** What a fix (or a fix commit) changes, as ": −$3.00/month, −0.10 kgCO2e/month"; "" when nothing. */
export function impactText(
  value: { monthlyCost: number | null; monthlyCarbonKg: number | null } | undefined,
): string {
  if (!value) return "";
  const parts = [
    value.monthlyCost ? `${signed(value.monthlyCost, usd)}/month` : undefined,
    value.monthlyCarbonKg ? `${signed(value.monthlyCarbonKg, kg)}CO2e/month` : undefined,
  ].filter(Boolean);
  return parts.length > 0 ? `: ${parts.join(", ")}` : "";
}

function fixCell(finding: Finding): string {
  return finding.fix ? escapeCell(fixText(finding.fix)) : "—";
}

/**
 * A fix in words, as the reports and the AI advisor's facts name it: what it does, its kind and
 * saving; or, when its edit cannot be written, what to change by hand and why.
 */
export function fixText(fix: Fix): string {
  return byHand(fix)?.change ?? `${fix.title} (${fix.kind})${impactText(fix.impact)}`;
}
