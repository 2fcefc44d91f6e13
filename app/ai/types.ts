/** What the AI advisor adds to a report (see README, AI advisor). Plain data: the report stages import it. */

/** A replacement of whole lines of one file: what a model may propose. */
export type LineEdit = { startLine: number; endLine: number; replacement: string };

/** A model's proposal, as asked for: one resource of one file, minimal line edits, and why. */
export type Proposal = {
  file: string;
  resource: string;
  title: string;
  rationale: string;
  edits: LineEdit[];
};

/** A proposal the engine applied to a copy, re-parsed, schema-checked, re-checked and re-estimated. */
export type VerifiedProposal = Proposal & {
  /** The monthly change if applied (negative saves), as the engine estimated it. */
  impact: { monthlyCost: number; monthlyCarbonKg: number };
  /** The edits as offsets in the file as read: what a suggestion shows. */
  textEdits: { file: string; start: number; end: number; text: string }[];
};

export type RejectedProposal = {
  file: string;
  resource: string;
  title: string;
  /** Why the engine refused it: invalid output, schema error, new finding, costs more, … */
  reason: string;
};

export type AiSection = {
  /** The model that answered (as the endpoint names it). */
  model?: string;
  /** The summary, when it was asked for and passed the number rule. */
  summary?: { text: string; model: string };
  /** Why the summary asked for is not shown. */
  omitted?: string;
  proposals: VerifiedProposal[];
  rejected: RejectedProposal[];
  /** Why proposals asked for could not be read at all (a refusal, output that is not the schema's). */
  proposalsOmitted?: string;
  /** Set when the AI part was skipped altogether (no provider, provider down, budget): the reason. */
  skipped?: string;
  /** Requests sent to the endpoint, answers read from the cache, tokens the endpoint counted. */
  requests: number;
  cached: number;
  tokens: number;
};
