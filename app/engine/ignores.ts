import { matchesGlob } from "node:path";
import { didYouMean } from "../config/did-you-mean.ts";
import type { IgnoreRule } from "../config/repository-config.ts";
import { LineIndex } from "../iac/yaml/line-index.ts";
import type { Span } from "../model/span.ts";
import type { Finding } from "./finding.ts";

/** The policy id of findings about ignore comments themselves. */
export const IGNORE_POLICY = "greenops-ignore";

const DIRECTIVE = /#\s*greenops-ignore\b[ \t]*([^:\n]*?)[ \t]*(?::[ \t]*(.*?))?[ \t]*$/;
const COMMENT_ONLY = /^\s*#/;
const DOCUMENT_MARKER = /^---/;

/** An inline `# greenops-ignore <policy>[, <policy>]: <reason>` and the lines it covers. */
type Directive = {
  file: string;
  policies: string[];
  reason: string;
  span: Span;
  from: number;
  to: number;
  used: boolean;
};

export type IgnoreScope = {
  /** Files whose directives are checked for use (the files the policies fully covered). */
  checked: ReadonlySet<string>;
  /** Every policy id that exists, for "did you mean". */
  known: readonly string[];
  /** Policies that ran: a directive for a policy that is off is not "unused". */
  ran: ReadonlySet<string>;
};

/**
 * Marks the findings an inline comment or a configuration rule suppresses (they stay in the report,
 * with the reason), and reports ignore comments without a reason, for unknown policies, or that
 * suppress nothing — a comment on a line covers that line; on a line of its own, the next line, or the
 * whole document when that line starts one.
 */
export function applyIgnores(
  findings: Finding[],
  texts: ReadonlyMap<string, string>,
  rules: readonly IgnoreRule[],
  scope: IgnoreScope,
): Finding[] {
  const directives = [...texts].flatMap(([file, text]) =>
    text.includes("greenops-ignore") ? parseDirectives(file, text) : [],
  );
  const problems: Finding[] = [];
  const usable = directives.filter((directive) => {
    const complaint = complaintAbout(directive, scope.known);
    if (complaint) problems.push(complaint);
    return !complaint;
  });
  for (const finding of findings) {
    const directive = usable.find((d) => covers(d, finding));
    if (directive) {
      directive.used = true;
      finding.suppressed = { reason: directive.reason, location: directive.span };
      continue;
    }
    const rule = rules.find((r) => matches(r, finding));
    if (rule) finding.suppressed = { reason: rule.reason, location: finding.location };
  }
  for (const directive of usable) {
    if (
      directive.used ||
      !scope.checked.has(directive.file) ||
      !directive.policies.some((p) => scope.ran.has(p))
    )
      continue;
    problems.push(problem(directive, "this greenops-ignore suppresses nothing: remove it"));
  }
  return [...findings, ...problems];
}

function parseDirectives(file: string, text: string): Directive[] {
  const lines = text.split("\n");
  const index = new LineIndex(text);
  const starts: number[] = [];
  let offset = 0;
  for (const line of lines) {
    starts.push(offset);
    offset += line.length + 1;
  }
  const directives: Directive[] = [];
  lines.forEach((line, i) => {
    const match = DIRECTIVE.exec(line);
    if (!match) return;
    const start = (starts[i] ?? 0) + line.indexOf("#", match.index);
    const span = index.span(file, start, (starts[i] ?? 0) + line.length);
    const [from, to] = COMMENT_ONLY.test(line) ? coveredAfter(lines, i) : [i + 1, i + 1];
    const policies = (match[1] ?? "")
      .split(",")
      .map((p) => p.trim())
      .filter(Boolean);
    directives.push({ file, policies, reason: match[2] ?? "", span, from, to, used: false });
  });
  return directives;
}

/** The 1-based lines a comment-only directive covers: the next code line, or its whole document. */
function coveredAfter(lines: string[], i: number): [number, number] {
  let next = i + 1;
  while (next < lines.length && (/^\s*$/.test(lines[next] ?? "") || COMMENT_ONLY.test(lines[next] ?? "")))
    next++;
  let previous = i - 1;
  while (previous >= 0 && (/^\s*$/.test(lines[previous] ?? "") || COMMENT_ONLY.test(lines[previous] ?? "")))
    previous--;
  const startsDocument = previous < 0 || DOCUMENT_MARKER.test(lines[previous] ?? "");
  if (!startsDocument) return [next + 1, next + 1];
  let end = next;
  while (end < lines.length && !DOCUMENT_MARKER.test(lines[end] ?? "")) end++;
  return [next + 1, end];
}

function complaintAbout(directive: Directive, known: readonly string[]): Finding | undefined {
  if (directive.policies.length === 0) {
    return problem(
      directive,
      "greenops-ignore names no policy: write `# greenops-ignore <policy-id>: <reason>`",
    );
  }
  const unknown = directive.policies.find((p) => !known.includes(p));
  if (unknown) {
    const hint = didYouMean(unknown, known);
    return problem(
      directive,
      `greenops-ignore names an unknown policy "${unknown}"${hint ? `: did you mean "${hint}"?` : ""}`,
    );
  }
  if (directive.reason.trim() === "") {
    return problem(
      directive,
      "greenops-ignore needs a reason after the policy id (`: why`); nothing is suppressed",
    );
  }
  return undefined;
}

function problem(directive: Directive, message: string): Finding {
  return { policy: IGNORE_POLICY, severity: "warning", message, location: directive.span };
}

function covers(directive: Directive, finding: Finding): boolean {
  return (
    directive.file === finding.location.file &&
    finding.location.startLine >= directive.from &&
    finding.location.startLine <= directive.to &&
    directive.policies.includes(finding.policy)
  );
}

function matches(rule: IgnoreRule, finding: Finding): boolean {
  if (rule.policies && !rule.policies.includes(finding.policy)) return false;
  if (rule.paths && !rule.paths.some((glob) => matchesGlob(finding.location.file, glob))) return false;
  const id = finding.resource?.id;
  if (rule.resources && !(id && rule.resources.some((glob) => id === glob || matchesGlob(id, glob))))
    return false;
  return true;
}
