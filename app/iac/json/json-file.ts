import type { Diagnostic, Span } from "../../model/span.ts";
import { LocatedSyntaxError } from "../syntax-error.ts";
import { LineIndex } from "../yaml/line-index.ts";

/** Offsets of one member of an object or array: its key (objects only) and its value. */
type Member = { keyStart: number; keyEnd: number; start: number; end: number };

export class JsonSyntaxError extends LocatedSyntaxError {
  constructor(reason: string, line: number, column: number) {
    super(reason, line, column, `invalid JSON: ${reason}`);
  }
}

const MAX_DEPTH = 256;

export type JsonPath = readonly (string | number)[];

/**
 * A JSON document whose members can be located in the text. The values are JSON.parse's (fast,
 * native); locations are found on demand by scanning only the containers on the way, each scanned
 * once (a 2,000-change plan locates every change in one pass over `resource_changes`). Terraform
 * plans, CDKTF output and Pulumi previews are read through it, so resources and diagnostics point
 * at their line.
 */
export class JsonFile {
  readonly file: string;
  readonly text: string;
  readonly value: unknown;
  #lines: LineIndex | undefined;
  /** Members of the containers scanned so far, by their path. */
  readonly #members = new Map<string, Map<string, Member>>();

  constructor(file: string, text: string) {
    this.file = file;
    this.text = text;
    try {
      this.value = JSON.parse(text);
    } catch {
      // JSON.parse says what is wrong, not always where: the checking scan does.
      check(text, this.lines);
      throw new JsonSyntaxError("invalid JSON", 1, 1);
    }
  }

  get lines(): LineIndex {
    this.#lines ??= new LineIndex(this.text);
    return this.#lines;
  }

  /** Where the value at a path of keys and indexes is written (and its key, in an object). */
  locatePath(path: JsonPath): { value: Span; key?: Span } | undefined {
    if (path.length === 0) {
      const start = skipSpace(this.text, this.text.charCodeAt(0) === 0xfeff ? 1 : 0);
      return { value: this.span(start, skipValue(this.text, start)) };
    }
    const member = this.#member(path);
    if (!member) return undefined;
    const located: { value: Span; key?: Span } = { value: this.span(member.start, member.end) };
    if (member.keyEnd > member.keyStart) located.key = this.span(member.keyStart, member.keyEnd);
    return located;
  }

  span(start: number, end: number): Span {
    return this.lines.span(this.file, start, end);
  }

  #member(path: JsonPath): Member | undefined {
    const parent = path.slice(0, -1);
    const key = String(path.at(-1));
    const id = parent.map(String).join("\0");
    let members = this.#members.get(id);
    if (!members) {
      const start =
        parent.length === 0
          ? skipSpace(this.text, this.text.charCodeAt(0) === 0xfeff ? 1 : 0)
          : this.#member(parent)?.start;
      if (start === undefined) return undefined;
      members = scanMembers(this.text, start);
      this.#members.set(id, members);
    }
    return members.get(key);
  }
}

/** The members of the object or array that starts at `start`, keyed by name or index. */
function scanMembers(text: string, start: number): Map<string, Member> {
  const members = new Map<string, Member>();
  const open = text.charCodeAt(start);
  if (open !== 0x7b && open !== 0x5b) return members;
  let at = skipSpace(text, start + 1);
  for (let index = 0; text.charCodeAt(at) !== open + 2 && at < text.length; index++) {
    let key = String(index);
    let keyStart = at;
    let keyEnd = at;
    if (open === 0x7b) {
      keyStart = at;
      keyEnd = skipString(text, at);
      const raw = text.slice(keyStart, keyEnd);
      key = raw.includes("\\") ? (JSON.parse(raw) as string) : raw.slice(1, -1);
      at = skipSpace(text, skipSpace(text, keyEnd) + 1);
    }
    const end = skipValue(text, at);
    members.set(key, { keyStart, keyEnd, start: at, end });
    at = skipSpace(text, end);
    if (text.charCodeAt(at) === 0x2c) at = skipSpace(text, at + 1);
  }
  return members;
}

function skipSpace(text: string, at: number): number {
  let i = at;
  for (;;) {
    const code = text.charCodeAt(i);
    if (code !== 0x20 && code !== 0x0a && code !== 0x0d && code !== 0x09) return i;
    i++;
  }
}

function skipString(text: string, at: number): number {
  let i = at + 1;
  for (;;) {
    const code = text.charCodeAt(i);
    if (code === 0x22 || Number.isNaN(code)) return i + 1;
    i += code === 0x5c ? 2 : 1;
  }
}

/** The end of the (valid) value that starts at `at`, without building it. */
function skipValue(text: string, at: number): number {
  const code = text.charCodeAt(at);
  if (code === 0x22) return skipString(text, at);
  if (code !== 0x7b && code !== 0x5b) {
    let i = at;
    while (i < text.length && !",}] \n\r\t".includes(text.charAt(i))) i++;
    return i;
  }
  let depth = 0;
  for (let i = at; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22) i = skipString(text, i) - 1;
    else if (c === 0x7b || c === 0x5b) depth++;
    else if ((c === 0x7d || c === 0x5d) && --depth === 0) return i + 1;
  }
  return text.length;
}

/**
 * A validating scan of text JSON.parse refused, to say where it breaks: it throws a JsonSyntaxError
 * with the line and column.
 */
function check(text: string, lines: LineIndex): void {
  let at = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  let depth = 0;
  const fail = (reason: string, where = at): never => {
    const { line, column } = lines.position(Math.min(where, text.length));
    throw new JsonSyntaxError(reason, line, column);
  };
  const value = (): void => {
    at = skipSpace(text, at);
    const code = text.charCodeAt(at);
    if (code === 0x7b || code === 0x5b) {
      if (++depth > MAX_DEPTH) fail(`nested deeper than ${MAX_DEPTH} levels`);
      at = skipSpace(text, at + 1);
      const close = code + 2;
      if (text.charCodeAt(at) === close) at++;
      else {
        for (;;) {
          if (code === 0x7b) {
            if (text.charCodeAt(at) !== 0x22) fail("expected a property name in double quotes");
            string();
            at = skipSpace(text, at);
            if (text.charCodeAt(at) !== 0x3a) fail("expected ':' after a property name");
            at++;
          }
          value();
          at = skipSpace(text, at);
          const next = text.charCodeAt(at++);
          if (next === close) break;
          if (next !== 0x2c)
            fail(
              `expected ',' or '${code === 0x7b ? "}" : "]"}' in ${code === 0x7b ? "an object" : "an array"}`,
              at - 1,
            );
          at = skipSpace(text, at);
        }
      }
      depth--;
    } else if (code === 0x22) string();
    else if (code === 0x2d || (code >= 0x30 && code <= 0x39)) {
      const match = NUMBER.exec(text.slice(at, at + 400));
      if (!match) fail("invalid number");
      at += match?.[0].length ?? 0;
    } else {
      const literal = ["true", "false", "null"].find((word) => text.startsWith(word, at));
      if (!literal) fail(at >= text.length ? "unexpected end of input" : "unexpected character");
      at += literal?.length ?? 0;
    }
  };
  const string = () => {
    const start = at;
    const end = skipString(text, at);
    if (text.charCodeAt(end - 1) !== 0x22 || end - 1 === start) fail("unterminated string", start);
    for (let i = start + 1; i < end - 1; i++)
      if (text.charCodeAt(i) < 0x20) fail("control character in a string", i);
    try {
      JSON.parse(text.slice(start, end));
    } catch {
      fail("invalid escape in a string", start);
    }
    at = end;
  };
  value();
  if (skipSpace(text, at) < text.length) fail("unexpected text after the JSON value", skipSpace(text, at));
}

const NUMBER = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/;

/** Parses a JSON file, or says where it is broken (as a diagnostic that the file is not estimated). */
export function readJsonFile(file: string, text: string): { json: JsonFile } | { diagnostics: Diagnostic[] } {
  try {
    return { json: new JsonFile(file, text) };
  } catch (error) {
    if (!(error instanceof JsonSyntaxError)) throw error;
    const message = `${error.problem}; the file is not estimated`;
    return { diagnostics: [{ file, line: error.line, column: error.column, severity: "error", message }] };
  }
}
