import type { Finding } from "../engine/finding.ts";
import type { AiSection, VerifiedProposal } from "./types.ts";

/** The pseudo-policy of AI proposals where they are shown like findings (review suggestions). */
export const AI_PROPOSAL = "ai-proposal";

/**
 * A verified proposal in the shape a review suggestion is made from: a `suggestion`, marked as the
 * model's and verified, with its saving. It is never among the report's findings, so no fix commit,
 * button or scan takes it without a person applying the suggestion.
 */
export function proposalFinding(proposal: VerifiedProposal, ai: AiSection | undefined): Finding {
  const line = Math.min(...proposal.edits.map((e) => e.startLine));
  const lastLine = Math.max(...proposal.edits.map((e) => e.endLine));
  const start = Math.min(...proposal.textEdits.map((e) => e.start));
  const end = Math.max(...proposal.textEdits.map((e) => e.end));
  return {
    policy: AI_PROPOSAL,
    severity: "notice",
    message: `AI proposal, verified (written by \`${ai?.model ?? "the model"}\`, checked and re-estimated by the engine): ${proposal.rationale}`,
    resource: { id: proposal.resource, environment: "" },
    location: {
      file: proposal.file,
      startLine: line,
      startColumn: 1,
      endLine: lastLine,
      endColumn: 1,
      startOffset: start,
      endOffset: end,
    },
    fix: { title: proposal.title, kind: "suggestion", edits: proposal.textEdits, impact: proposal.impact },
  };
}
