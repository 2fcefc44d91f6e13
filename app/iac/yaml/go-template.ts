import type { LineIndex } from "./line-index.ts";

/** A Go template action (`{{ .Values.x }}`, `{{- if … }}`), as Helm and similar tools write them. */
const ACTION = /\{\{[\s\S]*?\}\}/g;
/** Before an action on its line, what makes YAML read its `{` as a flow mapping: nothing, `key: ` or `- `. */
const AS_FLOW_MAPPING = /(?:^|[:-]\s)\s*$/;
/** Longer actions are cut in the message. */
const SHOWN = 40;

/** What GreenOps says of a template it does not render: a chart's template file, or a file that is one. */
export function unrenderedTemplate(what: string, subject = "it"): string {
  return `${what}, which GreenOps does not evaluate: render ${subject} (helm template) and review the output`;
}

/**
 * Whether a text that YAML refused is an unrendered Go template, decided by `parses` on the text with
 * every action blanked out: only then is the template syntax what YAML refused. Answers where the
 * first action YAML reads as a flow mapping is (else the first one), and the problem in words.
 */
export function templateRefused(
  text: string,
  lines: LineIndex,
  parses: (text: string) => boolean,
): { line: number; column: number; problem: string } | undefined {
  const actions = [...text.matchAll(ACTION)];
  if (actions.length === 0) return undefined;
  const blanked = text.replace(ACTION, (action) => action.replace(/[^\n]/g, " "));
  if (blanked.includes("{{") || !parses(blanked)) return undefined;
  const lineStart = (index: number) => text.lastIndexOf("\n", index - 1) + 1;
  const refused =
    actions.find((a) => AS_FLOW_MAPPING.test(text.slice(lineStart(a.index), a.index))) ?? actions[0];
  if (refused === undefined) return undefined;
  const { line, column } = lines.position(refused.index);
  const action = refused[0].length > SHOWN ? `${refused[0].slice(0, SHOWN - 1)}…` : refused[0];
  const what = `looks like an unrendered Go template: ${action.replace(/\s+/g, " ")} at line ${line}, column ${column}`;
  return { line, column, problem: unrenderedTemplate(what) };
}
