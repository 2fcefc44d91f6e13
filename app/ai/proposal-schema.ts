import { lazyValidator } from "../config/ajv.ts";
import type { Proposal } from "./types.ts";

/** Proposals read from one answer at most, and edits in one proposal. */
export const MAX_PROPOSALS = 20;
export const MAX_EDITS = 10;

const edit = {
  type: "object",
  properties: {
    startLine: { type: "integer", description: "First line replaced (1-based, as numbered in the excerpt)." },
    endLine: { type: "integer", description: "Last line replaced (inclusive)." },
    replacement: { type: "string", description: "The new text of those lines, with their indentation." },
  },
  required: ["startLine", "endLine", "replacement"],
  additionalProperties: false,
} as const;

const proposal = {
  type: "object",
  properties: {
    file: { type: "string", description: "The file, as named in the excerpt." },
    resource: { type: "string", description: "The resource id, as named in the excerpt." },
    title: { type: "string", description: "What the change does, in the imperative, one line." },
    rationale: { type: "string", description: "Why it saves money or carbon, from the data given." },
    edits: { type: "array", items: edit },
  },
  required: ["file", "resource", "title", "rationale", "edits"],
  additionalProperties: false,
} as const;

/**
 * The strict JSON schema the model must answer with (OpenAI's strict mode: an object root, every
 * property required, no additional properties).
 */
export const PROPOSALS_SCHEMA = {
  name: "greenops_proposals",
  schema: {
    type: "object",
    properties: { proposals: { type: "array", items: proposal } },
    required: ["proposals"],
    additionalProperties: false,
  },
} as const;

const validateAnswer = lazyValidator("ai-answer", {
  type: "object",
  properties: { proposals: { type: "array" } },
  required: ["proposals"],
  additionalProperties: false,
});
const validateProposal = lazyValidator<Proposal>("ai-proposal", {
  ...proposal,
  properties: {
    ...proposal.properties,
    title: { type: "string", minLength: 1, maxLength: 200 },
    edits: {
      type: "array",
      minItems: 1,
      maxItems: MAX_EDITS,
      items: {
        ...edit,
        properties: {
          ...edit.properties,
          startLine: { type: "integer", minimum: 1 },
          endLine: { type: "integer", minimum: 1 },
          replacement: { type: "string", maxLength: 4000 },
        },
      },
    },
  },
});

export type ReadProposal = { proposal: Proposal } | { invalid: unknown; reason: string };

/** The proposals of an answer, each valid or with why not; a string when the answer is not the envelope. */
export function readProposals(text: string): ReadProposal[] | string {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return `the answer is not JSON (${(error as Error).message.slice(0, 120)})`;
  }
  if (!validateAnswer(value))
    return `the answer is not {"proposals": [...]} (${errorText(validateAnswer.errors)})`;
  const items = (value as { proposals: unknown[] }).proposals.slice(0, MAX_PROPOSALS);
  return items.map((item) =>
    validateProposal(item)
      ? { proposal: item }
      : { invalid: item, reason: `invalid output: ${errorText(validateProposal.errors)}` },
  );
}

function errorText(errors: typeof validateProposal.errors): string {
  const first = errors?.[0];
  return first ? `${first.instancePath || "the proposal"} ${first.message ?? "is invalid"}` : "invalid";
}
