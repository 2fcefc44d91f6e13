import { totalsChange } from "../engine/evaluate.ts";
import { type Finding, findingKey, type TextEdit } from "../engine/finding.ts";
import { applyEdits } from "../engine/fix-edits.ts";
import { beyondOneResource } from "../engine/other-resources.ts";
import type { Verification } from "../engine/types.ts";
import { newDiagnostics } from "../model/span.ts";
import { kg, signed, usd } from "../report/numbers.ts";
import type { Excerpts } from "./excerpts.ts";
import { REDACTED } from "./redact.ts";
import { markupProblem } from "./summary.ts";
import type { LineEdit, Proposal, VerifiedProposal } from "./types.ts";

/**
 * The engine's verified fix path, as far as proposals need it: the texts as read, and a run of the
 * engine on some of them replaced (re-parsed, schema-checked, policies run again, re-estimated),
 * compared with the run as it was.
 */
export type VerifyPort = {
  text(file: string): string | undefined;
  verify(texts: ReadonlyMap<string, string>): Promise<Verification>;
  baseline: Verification;
};

/** Cost and carbon changes smaller than this are no change (float noise of re-estimation). */
const EPSILON = 1e-9;

/**
 * Checks one proposal exactly as a built-in fix is checked, on a copy: it may only edit lines that
 * were sent (none redacted) of the resource it names, must keep every comment, and the edited file
 * must parse, keep its schema, raise no finding or diagnostic, change no other resource's figures nor
 * that resource's in two environments, and save money or carbon.
 */
export async function verifyProposal(
  proposal: Proposal,
  port: VerifyPort,
  excerpts: Excerpts,
): Promise<VerifiedProposal | { reason: string }> {
  const markup = markupProblem(`${proposal.title} ${proposal.rationale}`);
  if (markup) return { reason: `its text cannot be shown: ${markup}` };
  const sent = excerpts.sent.get(proposal.file);
  if (!sent) return { reason: "it edits a file that was not sent" };
  if (!sent.resources.has(proposal.resource))
    return { reason: `${proposal.resource} is not a resource of ${proposal.file} that was sent` };
  const original = port.text(proposal.file);
  if (original === undefined) return { reason: "it edits a file that was not read" };
  const problem = editProblem(proposal.edits, sent.lines, sent.redacted);
  if (problem) return { reason: problem };
  const edits = textEdits(proposal.file, original, proposal.edits);
  const lost = lostComment(original, edits);
  if (lost) return { reason: `it would remove the comment "${lost}"` };
  const fixed = applyEdits(original, edits);
  if (fixed === original) return { reason: "it changes nothing" };
  const verification = await port.verify(new Map([[proposal.file, fixed]]));
  const diagnostic = newDiagnostic(verification, port.baseline, proposal.file);
  if (diagnostic) return { reason: diagnostic };
  const finding = newFinding(verification.findings, port.baseline.findings);
  if (finding) return { reason: `new finding: ${finding.policy} reports "${finding.message}"` };
  const beyond = beyondOneResource(proposal.resource, verification, port.baseline);
  if (beyond) return { reason: beyond };
  const impact = totalsChange(verification.totals, port.baseline.totals);
  if (impact.monthlyCost > EPSILON) return { reason: `costs more: ${signed(impact.monthlyCost, usd)}/month` };
  if (impact.monthlyCarbonKg > EPSILON)
    return { reason: `emits more: ${signed(impact.monthlyCarbonKg, kg)}CO2e/month` };
  if (impact.monthlyCost > -EPSILON && impact.monthlyCarbonKg > -EPSILON)
    return { reason: "saves neither money nor carbon" };
  return { ...proposal, impact, textEdits: edits };
}

function editProblem(edits: LineEdit[], lines: Set<number>, redacted: Set<number>): string | undefined {
  const sorted = [...edits].sort((a, b) => a.startLine - b.startLine);
  for (const [i, edit] of sorted.entries()) {
    if (edit.endLine < edit.startLine) return `invalid output: lines ${edit.startLine}-${edit.endLine}`;
    const previous = sorted[i - 1];
    if (previous && edit.startLine <= previous.endLine) return "invalid output: its edits overlap";
    if (edit.replacement.includes(REDACTED)) return "it would write [redacted] into the file";
    for (let line = edit.startLine; line <= edit.endLine; line++) {
      if (!lines.has(line)) return `it edits line ${line}, outside the resource sent`;
      if (redacted.has(line)) return `it edits line ${line}, which was redacted`;
    }
  }
  return undefined;
}

/**
 * Whole lines as offsets: lines a–b become the replacement's lines (their last line break stays, so a
 * suggestion shows just those lines); an empty replacement removes the lines, breaks included.
 */
function textEdits(file: string, text: string, edits: LineEdit[]): TextEdit[] {
  const starts = [0];
  for (let i = text.indexOf("\n"); i !== -1; i = text.indexOf("\n", i + 1)) starts.push(i + 1);
  return edits.map((edit) => {
    const start = starts[edit.startLine - 1] ?? text.length;
    const next = starts[edit.endLine];
    const body = edit.replacement.replace(/\n$/, "");
    if (next === undefined) return { file, start, end: text.length, text: body };
    return body === "" ? { file, start, end: next, text: "" } : { file, start, end: next - 1, text: body };
  });
}

/** A YAML comment in a replaced line that the replacement does not keep. */
function lostComment(text: string, edits: TextEdit[]): string | undefined {
  for (const edit of edits) {
    for (const line of text.slice(edit.start, edit.end).split("\n")) {
      const comment = /(?:^|\s)(#.*)$/.exec(line)?.[1]?.trim();
      if (comment && !edit.text.includes(comment)) return comment;
    }
  }
  return undefined;
}

function newDiagnostic(after: Verification, before: Verification, file: string): string | undefined {
  const added = newDiagnostics(before.diagnostics, after.diagnostics).find((d) => d.file === file);
  if (!added) return undefined;
  return added.severity === "error"
    ? `schema error: ${added.message} (line ${added.line})`
    : `new diagnostic: ${added.message} (line ${added.line})`;
}

/** A finding the change adds: one whose policy, resource and subject were not reported before. */
function newFinding(after: readonly Finding[], before: readonly Finding[]): Finding | undefined {
  const known = new Set(before.filter((f) => !f.suppressed).map(findingKey));
  return after.find((f) => !f.suppressed && !known.has(findingKey(f)));
}
