/** What each opener starts, as a syntax error names it. */
const NAMES: Record<string, string> = {
  '"': "a double-quoted string",
  "'": "a single-quoted string",
  "[": "a flow sequence ([)",
  "{": "a flow mapping ({)",
};
const CLOSERS: Record<string, string> = { "[": "]", "{": "}" };
/** A block scalar's header at the end of a line: its lines below are text, not YAML to lex. */
const BLOCK_SCALAR = /(?:^|[\s:-])[|>][-+0-9]*\s*(?:#.*)?$/;

export type Unclosed = { reason: string; line: number; column: number };

/**
 * The quoted string or flow collection still open at `offset`, where its opener is: what a parser's
 * "deficient indentation" at the line after a forgotten closing quote or bracket is about. A light
 * lexer of the lines before `offset` (comments, block scalars and document markers skipped), used only
 * to word an error the parser already found; undefined when nothing is open there.
 */
export function unclosedAt(text: string, offset: number): Unclosed | undefined {
  const open: Opener[] = [];
  let blockIndent = -1;
  const lines = text.slice(0, offset).split("\n");
  for (const [index, line] of lines.entries()) {
    const indent = line.length - line.trimStart().length;
    if (blockIndent >= 0 && (indent > blockIndent || line.trim() === "")) continue;
    blockIndent = -1;
    if (/^(?:---|\.\.\.)(?:\s|$)/.test(line)) open.length = 0;
    lexLine(line, index + 1, open);
    if (open.length === 0 && BLOCK_SCALAR.test(line)) blockIndent = indent;
  }
  const innermost = open.at(-1);
  if (!innermost) return undefined;
  const { char, line, column } = innermost;
  return { reason: `${NAMES[char]} opened at line ${line}, column ${column} is not closed`, line, column };
}

type Opener = { char: string; line: number; column: number };

/** Lexes one line on top of what is `open` (quotes and brackets still open from the lines before). */
function lexLine(line: string, number: number, open: Opener[]): void {
  for (let i = 0; i < line.length; i++) {
    const char = line.charAt(i);
    const top = open.at(-1);
    if (top?.char === '"') {
      if (char === "\\") i++;
      else if (char === '"') open.pop();
    } else if (top?.char === "'") {
      if (char === "'" && line.charAt(i + 1) === "'") i++;
      else if (char === "'") open.pop();
    } else if (char === "#" && (i === 0 || /\s/.test(line.charAt(i - 1)))) {
      return;
    } else if (char in NAMES && startsToken(line, i, open.length > 0)) {
      open.push({ char, line: number, column: i + 1 });
    } else if (char === CLOSERS[top?.char ?? ""]) {
      open.pop();
    }
  }
}

/** Whether a node may start at `i`: after indentation, `- `, `? `, `: `, or a flow indicator. */
function startsToken(line: string, i: number, inFlow: boolean): boolean {
  const before = line.slice(0, i).trimEnd();
  if (before === "") return true;
  const last = before.charAt(before.length - 1);
  if (inFlow && (last === "[" || last === "{" || last === "," || last === ":")) return true;
  return (last === ":" || last === "-" || last === "?") && /\s/.test(line.charAt(i - 1));
}
