import { configurationErrors, whereAs } from "../engine/configuration.ts";
import type { FixOutcome } from "../engine/fix.ts";
import { counted } from "../model/words.ts";
import { kg, signed, usd } from "../report/numbers.ts";
import { quotePath } from "../source/quote-path.ts";
import { misconfiguredText } from "./misconfigured.ts";
import { unifiedDiff } from "./unified-diff.ts";

/**
 * The diff of every fixed file, then what was applied, what was not and why, and the saving; or, while
 * a configuration file has errors, why nothing was applied and each error where it is. Every path is
 * written as git writes it (quotePath).
 */
export function fixSummary({ report, result, before }: FixOutcome, dryRun: boolean): string {
  const errors = configurationErrors(report.findings);
  if (errors.length > 0)
    return misconfiguredText("greenops fix: no fix applied", errors.map(whereAs(quotePath)));
  const lines = result.files.map((file) => unifiedDiff(file.path, before.get(file.path) ?? "", file.edits));
  const verb = dryRun ? "would apply" : "applied";
  lines.push(
    `greenops fix: ${verb} ${counted(result.applied.length, "fix", "fixes")} in ${counted(result.files.length, "file")}`,
  );
  const at = ({ location }: { location: { file: string; startLine: number } }) =>
    `${quotePath(location.file)}:${location.startLine}`;
  for (const finding of result.applied) {
    lines.push(`  ${at(finding)} ${finding.policy}: ${finding.fix?.title ?? ""}`);
  }
  for (const { finding, reason } of result.skipped) {
    lines.push(`  skipped ${at(finding)} ${finding.policy}: ${reason}`);
  }
  if (result.applied.length > 0) {
    lines.push(
      `monthly change: ${signed(result.impact.monthlyCost, usd)}, ${signed(result.impact.monthlyCarbonKg, kg)}CO2e${dryRun ? " (dry run: nothing written)" : ""}`,
    );
  }
  return `${lines.join("\n")}\n`;
}
