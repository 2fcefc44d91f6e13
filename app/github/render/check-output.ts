import { byHand } from "../../engine/by-hand.ts";
import { CONFIGURATION_POLICY, configurationErrors } from "../../engine/configuration.ts";
import { type Finding, type FixResult, findingKey, isBlocking } from "../../engine/finding.ts";
import type { Report } from "../../engine/types.ts";
import { counted } from "../../model/words.ts";
import { findingsSection, impactText } from "../../report/findings-markdown.ts";
import { joinSections, markdownSections } from "../../report/markdown-report.ts";
import { kg, percent, signed, usd } from "../../report/numbers.ts";
import { mostlyUnknown, totals } from "../../report/summary.ts";
import { type Unevaluated, unevaluatedCount } from "../../report/unevaluated.ts";
import {
  ACTION_DESCRIPTION_MAX,
  ACTION_LABEL_MAX,
  CHECK_OUTPUT_MAX,
  CHECK_TITLE_MAX,
  FINDINGS_TABLE_ROWS,
  FIXES_LEFT_OUT_ROWS,
} from "../limits.ts";
import type { CheckAction, CheckOutput, Completion, Conclusion } from "../write/checks.ts";
import { annotations } from "./annotations.ts";
import { fitMarkdown } from "./fit.ts";

/** The requested action a check run offers when verified fixes exist; the check run it is on names the pull request. */
export const APPLY_FIXES = "fix";

/** What a run found, ready to be shown: the report and what GitHub-side notes go with it. */
export type Outcome = {
  report: Report;
  /** The fixes verified for this head (committed on request), if any. */
  fixes: FixResult | undefined;
  /** Sentences for people: a refused command, a moved head, a refusal from GitHub. */
  notices: string[];
  /** Programs the change touches that were not run (their files), and why: missing from the figures. */
  unevaluated?: Unevaluated | undefined;
};

/**
 * failure: blocking findings (configuration errors among them: the figures would rest on defaults);
 * neutral: something could not be evaluated, or a touched program was not run (never "success" then);
 * success otherwise.
 */
export function conclusion(report: Report, unevaluated?: Unevaluated): Conclusion {
  if (isBlocking(report.findings)) return "failure";
  if (report.diagnostics.some((d) => d.severity === "error")) return "neutral";
  return unevaluated?.files.length ? "neutral" : "success";
}

/** The headline: `+$42.10/mo · +3.1 kgCO2e/mo · 2 errors`, after what was not evaluated. */
export function checkTitle(report: Report, unevaluated?: Unevaluated): string {
  const { monthlyCost, monthlyCarbonKg } = totals(report);
  const parts = [`${signed(monthlyCost.delta, usd)}/mo`, `${signed(monthlyCarbonKg.delta, kg)}CO2e/mo`];
  const unknown = mostlyUnknown(report.rows);
  if (unknown) parts.unshift(unknown.text);
  const programs = unevaluatedCount(unevaluated);
  if (programs) parts.unshift(programs);
  const counts = { error: 0, warning: 0 };
  for (const f of report.findings)
    if (!f.suppressed && f.severity !== "notice" && f.policy !== CONFIGURATION_POLICY) counts[f.severity]++;
  if (counts.error) parts.push(`${counts.error} error${counts.error > 1 ? "s" : ""}`);
  if (counts.warning) parts.push(`${counts.warning} warning${counts.warning > 1 ? "s" : ""}`);
  // Errors in configuration files fail the check: its figures would rest on defaults.
  const config = configurationErrors(report.findings).length;
  if (config) parts.push(`${config} configuration error${config > 1 ? "s" : ""}`);
  return parts.join(" · ").slice(0, CHECK_TITLE_MAX);
}

/** The completed check; `offerFixes`: a commit is possible here (not a fork, not the Action). */
export function completion(outcome: Outcome, offerFixes: boolean): Completion {
  const { report } = outcome;
  const sections = markdownSections(report);
  const { monthlyCost, monthlyCarbonKg } = totals(report);
  const unknown = mostlyUnknown(report.rows);
  const headline = `**${unknown ? `${unknown.text}; the rest: ` : ""}${signed(monthlyCost.delta, usd)}/month${percent(monthlyCost.deltaPercent)} · ${signed(monthlyCarbonKg.delta, kg)}CO2e/month${percent(monthlyCarbonKg.deltaPercent)}**`;
  const summary = [
    ...outcome.notices.map((n) => `> ${n}`),
    headline,
    sections.ai,
    sections.scope,
    findingsSection(report.findings, { maxRows: FINDINGS_TABLE_ROWS, more: "see the annotations" }),
    fixesLine(report, outcome.fixes, offerFixes),
  ]
    .filter(Boolean)
    .join("\n\n");
  const output: CheckOutput = {
    title: checkTitle(report, outcome.unevaluated),
    summary: fitMarkdown(summary, CHECK_OUTPUT_MAX, "…truncated: the full report is in the check's details."),
    text: fitMarkdown(
      joinSections(sections),
      CHECK_OUTPUT_MAX,
      "…truncated: run `greenops review` for the whole report.",
    ),
    annotations: annotations(report),
  };
  return {
    conclusion: conclusion(report, outcome.unevaluated),
    output,
    actions: offerFixes ? actions(outcome.fixes) : [],
  };
}

/** The quick answer for a pull request that changes no IaC: neutral, with nothing to annotate. */
export function noIacCompletion(changed: number): Completion {
  return {
    conclusion: "neutral",
    output: {
      title: "No infrastructure changes",
      summary: `None of the ${changed} changed files is an IaC file GreenOps reads (Kubernetes manifests, environment settings): nothing to estimate.`,
      annotations: [],
    },
    actions: [],
  };
}

function actions(fixes: FixResult | undefined): CheckAction[] {
  if (!fixes || fixes.applied.length === 0) return [];
  const count = fixes.applied.length;
  return [
    {
      label: "Apply fixes".slice(0, ACTION_LABEL_MAX),
      description: `Commit ${count} verified fix${count > 1 ? "es" : ""}`.slice(0, ACTION_DESCRIPTION_MAX),
      identifier: APPLY_FIXES,
    },
  ];
}

/**
 * What a fix commit would hold (where one is possible, `offerFixes`), and every fix left out with its
 * reason: each the review makes by hand (see leftOut), whatever its kind.
 */
function fixesLine(report: Report, fixes: FixResult | undefined, offerFixes: boolean): string {
  const count = offerFixes ? (fixes?.applied.length ?? 0) : 0;
  const lines =
    count === 0
      ? []
      : [
          `${count} verified fix${count > 1 ? "es" : ""} can be committed${impactText(fixes?.impact)} — **Apply fixes** above, or comment \`/greenops fix\`.`,
        ];
  const left = leftOut(report.findings, offerFixes ? fixes : undefined);
  if (left.length === 0) return lines.join("\n");
  lines.push(
    `${counted(left.length, "fix", "fixes")} ${left.length === 1 ? "is" : "are"} left out:`,
    ...left
      .slice(0, FIXES_LEFT_OUT_ROWS)
      .map(
        ({ finding: { location, policy }, reason }) =>
          `- \`${location.file}:${location.startLine}\` ${policy}: ${reason}`,
      ),
  );
  if (left.length > FIXES_LEFT_OUT_ROWS) lines.push(`- and ${left.length - FIXES_LEFT_OUT_ROWS} more`);
  return lines.join("\n");
}

/**
 * The fixes neither suggested nor committed: each active finding's fix the review made by hand (its
 * edit cannot be written, or failed the check: byHand says why), then those a fix commit leaves out
 * for its own reasons (an overlap, a failure together with another fix).
 */
function leftOut(findings: readonly Finding[], fixes: FixResult | undefined): FixResult["skipped"] {
  const manual = findings.flatMap((finding) => {
    const made = finding.suppressed ? undefined : byHand(finding.fix);
    return made ? [{ finding, reason: made.change }] : [];
  });
  const listed = new Set(manual.map(({ finding }) => findingKey(finding)));
  return [...manual, ...(fixes?.skipped ?? []).filter(({ finding }) => !listed.has(findingKey(finding)))];
}
