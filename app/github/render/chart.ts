import type { Report } from "../../engine/types.ts";
import { environmentTotals } from "../../report/summary.ts";

/**
 * Cost and carbon per environment, before and after, as mermaid bar charts (GitHub renders mermaid
 * blocks in comments). One bar per environment and side, so no bar hides another.
 */
export function environmentChart(report: Report): string {
  const environments = environmentTotals(report);
  if (environments.length === 0) return "";
  const labels = environments.flatMap((e) => {
    const name = e.environment || "no environment";
    return [`${name} before`, `${name} after`];
  });
  const series = (measure: "monthlyCost" | "monthlyCarbonKg", digits: number) =>
    environments
      .flatMap((e) => [e[measure].before ?? 0, e[measure].after ?? 0])
      .map((v) => Number(v.toFixed(digits)));
  const chart = (title: string, axis: string, values: number[]) =>
    [
      "```mermaid",
      "xychart-beta",
      `  title "${title}"`,
      `  x-axis [${labels.map((l) => JSON.stringify(l)).join(", ")}]`,
      `  y-axis "${axis}"`,
      `  bar [${values.join(", ")}]`,
      "```",
    ].join("\n");
  return [
    "### Per environment",
    chart("Cost per month", "USD", series("monthlyCost", 2)),
    chart("Carbon per month", "kgCO2e", series("monthlyCarbonKg", 3)),
  ].join("\n\n");
}
