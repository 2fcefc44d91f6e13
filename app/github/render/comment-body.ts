import { counted } from "../../model/words.ts";
import { impactText } from "../../report/findings-markdown.ts";
import { joinSections, markdownSections } from "../../report/markdown-report.ts";
import { COMMENT_BODY_BUDGET, FINDINGS_TABLE_ROWS } from "../limits.ts";
import { SUMMARY_MARKER } from "../read/pull-state.ts";
import { environmentChart } from "./chart.ts";
import type { Outcome } from "./check-output.ts";
import { fitMarkdown } from "./fit.ts";

export type CommentContext = {
  headSha: string;
  /** The check run's page: where the full report and every annotation are. */
  checkUrl: string | undefined;
  /** Fix commits are possible (not a fork, not Action mode); else the fixes are offered as suggestions. */
  commits: "yes" | "fork" | "action";
};

/** The hidden first line: finds the comment again and says which commit it describes. */
export function summaryMarker(headSha: string): string {
  return `${SUMMARY_MARKER} head=${headSha} -->`;
}

/**
 * The one summary comment: headline and totals, findings, a chart per environment, resources, and the
 * computation in a collapsed section, kept below GitHub's 65,536 characters (the computation goes
 * first, then the resource table, then the tail, each replaced by a pointer to the check run).
 */
export function commentBody(outcome: Outcome, context: CommentContext): string {
  const sections = markdownSections(outcome.report, {
    maxRows: FINDINGS_TABLE_ROWS,
    more: "see the check run",
  });
  const checkLink = context.checkUrl ? `[the check run](${context.checkUrl})` : "the check run";
  const parts = {
    marker: summaryMarker(context.headSha),
    heading: sections.heading,
    notices: outcome.notices.map((n) => `> ${n}`).join("\n>\n"),
    ai: sections.ai,
    totals: sections.totals,
    scope: sections.scope,
    findings: sections.findings,
    fixes: fixesParagraph(outcome, context),
    aiProposals: sections.aiProposals,
    telemetry: sections.telemetry,
    chart: environmentChart(outcome.report),
    resources: sections.resources,
    diagnostics: sections.diagnostics,
    computed: sections.computed,
    footer: footer(context, checkLink),
  };
  const join = () => joinSections(parts);
  let body = join();
  if (body.length > COMMENT_BODY_BUDGET) {
    parts.computed = `How this was computed: see ${checkLink} (too long for a comment).`;
    body = join();
  }
  if (body.length > COMMENT_BODY_BUDGET) {
    parts.resources = `Resources: see ${checkLink} (too many for a comment).`;
    body = join();
  }
  if (body.length <= COMMENT_BODY_BUDGET) return body;
  const footerText = `\n${parts.footer}\n`;
  return fitMarkdown(
    body.slice(0, body.length - footerText.length),
    COMMENT_BODY_BUDGET - footerText.length,
    `…truncated: the rest is in ${checkLink}.`,
  ).concat(footerText);
}

function fixesParagraph(outcome: Outcome, context: CommentContext): string {
  const fixes = outcome.fixes;
  if (!fixes || fixes.applied.length === 0) return "";
  const count = `${counted(fixes.applied.length, "verified fix", "verified fixes")}${impactText(fixes.impact)}.`;
  if (context.commits === "fork")
    return `${count} This pull request comes from a fork, where GreenOps never pushes: apply the suggestions in the review instead.`;
  if (context.commits === "action")
    return `${count} In the GitHub Action GreenOps does not commit (commits made with the workflow's token start no workflows): apply the suggestions in the review instead.`;
  return `${count} Comment \`/greenops fix\` or use **Apply fixes** on the check to commit them.`;
}

function footer(context: CommentContext, checkLink: string): string {
  const commands =
    context.commits === "yes"
      ? "`/greenops fix` commits the verified fixes · `/greenops recheck` reviews again"
      : "`/greenops recheck` reviews again";
  return `<sub>GreenOps reviewed ${context.headSha.slice(0, 7)} · details in ${checkLink} · ${commands}</sub>`;
}
