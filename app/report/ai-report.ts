import type { AiSection } from "../ai/types.ts";
import { impactText } from "./findings-markdown.ts";
import { amount, codeCell, escapeCell, whereCell } from "./numbers.ts";

/**
 * The AI summary at the top of a report, labelled with its model; or the one line saying why the AI
 * part (or its summary) was skipped. "" without AI.
 */
export function aiSummaryMarkdown(ai: AiSection | undefined): string {
  if (!ai) return "";
  if (ai.skipped) return `_AI advisor skipped: ${ai.skipped}._`;
  const lines: string[] = [];
  if (ai.summary) {
    lines.push(
      `> **AI-written summary** by \`${ai.summary.model}\` (every number in it is one the engine computed)\n>\n> ${ai.summary.text}`,
    );
  } else if (ai.omitted) lines.push(`_AI summary omitted: ${ai.omitted}._`);
  return lines.join("\n\n");
}

/** Verified proposals as report rows, rejected ones in a collapsed table with the engine's reason. */
export function aiProposalsMarkdown(ai: AiSection | undefined): string {
  if (!ai || ai.skipped) return "";
  const parts: string[] = [];
  if (ai.proposals.length > 0) {
    const rows = ai.proposals.map((p) => {
      const first = Math.min(...p.edits.map((e) => e.startLine));
      return `| 🤖 AI proposal, verified | ${codeCell(p.resource)} | ${whereCell(p.file, first)} | ${escapeCell(`${p.title}: ${p.rationale}`)} | ${impactText(p.impact).replace(/^: /, "")} |`;
    });
    parts.push(
      `### AI proposals verified by the engine (${ai.proposals.length})`,
      ["| | Resource | Where | Proposal | Saving |", "|---|---|---|---|---|", ...rows].join("\n"),
      `Written by \`${ai.model ?? "the model"}\`, then applied to a copy, re-parsed, schema-checked, re-checked by the policies and re-estimated. Never committed without a person: apply one as a suggestion.`,
    );
  }
  if (ai.proposalsOmitted) parts.push(`_AI proposals omitted: ${ai.proposalsOmitted}._`);
  if (ai.rejected.length > 0) {
    const rows = ai.rejected.map(
      (r) =>
        `| ${r.resource ? codeCell(r.resource) : "—"} | ${escapeCell(r.title || "—")} | ${escapeCell(r.reason)} |`,
    );
    parts.push(
      `<details><summary>AI proposals rejected by the engine (${ai.rejected.length})</summary>\n\n${["| Resource | Proposal | Reason |", "|---|---|---|", ...rows].join("\n")}\n\n</details>`,
    );
  }
  return parts.join("\n\n");
}

/** The `ai` object of the JSON report (docs/report-schema.json). */
export function aiJson(ai: AiSection): object {
  return {
    model: ai.model ?? null,
    ...(ai.summary ? { summary: ai.summary } : {}),
    ...(ai.omitted ? { omitted: ai.omitted } : {}),
    proposals: ai.proposals.map(({ textEdits: _, impact, ...proposal }) => ({
      ...proposal,
      impact: { monthlyCost: amount(impact.monthlyCost), monthlyCarbonKg: amount(impact.monthlyCarbonKg) },
    })),
    rejected: ai.rejected,
    ...(ai.proposalsOmitted ? { proposalsOmitted: ai.proposalsOmitted } : {}),
    ...(ai.skipped ? { skipped: ai.skipped } : {}),
    requests: ai.requests,
    cached: ai.cached,
    tokens: ai.tokens,
  };
}
