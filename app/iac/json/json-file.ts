import type { Diagnostic, Span } from "../../model/span.ts";
import { LineIndex } from "../yaml/line-index.ts";

/** Offsets of one member of an object or array: its key (objects only) and its value. */
type Member = { keyStart: number; keyEnd: number; start: number; end: number };

export class JsonSyntaxError extends Error {
  readonly reason: string;
  readonly line: number;
  readonly column: number;

  constructor(reason: string, line: number, column: number) {
    super(`${reason} (line ${line}, column ${column})`);
    this.reason = reason;
    this.line = line;
    this.column = column;
  }
}

const MAX_DEPTH = 256;

/**
 * A JSON document whose every member can be located in the text: the values are plain JavaScript
 * (as JSON.parse builds them), and each object or array remembers where its members are written.
 * Terraform plans, CDKTF output and Pulumi previews are read through it, so diagnostics and
 * resources point at their line.
 */
export class JsonFile {
  readonly file: string;
  readonly text: string;
  readonly lines: LineIndex;
  readonly value: unknown;
  readonly #members = new WeakMap<object, Map<string | number, Member>>();
  #at = 0;
  #depth = 0;
  #rootEnd = 0;

  constructor(file: string, text: string) {
    this.file = file;
    this.text = text;
    this.lines = new LineIndex(text);
    this.#at = text.charCodeAt(0) === 0xfeff ? 1 : 0;
    this.#space();
    this.value = this.#value();
    this.#rootEnd = this.#at;
    this.#space();
    if (this.#at < text.length) this.#fail("unexpected text after the JSON value");
  }

  /** Where the member `key` of an object or array value is written. */
  locate(container: unknown, key: string | number): { value: Span; key?: Span } | undefined {
    if (typeof container !== "object" || container === null) return undefined;
    const member = this.#members.get(container)?.get(key);
    if (!member) return undefined;
    const located: { value: Span; key?: Span } = { value: this.span(member.start, member.end) };
    if (member.keyEnd > member.keyStart) located.key = this.span(member.keyStart, member.keyEnd);
    return located;
  }

  /** Where the value at a path of keys and indexes is written (the whole document for []). */
  locatePath(path: readonly (string | number)[]): { value: Span; key?: Span } | undefined {
    if (path.length === 0) return { value: this.span(this.#rootStart(), this.#rootEnd) };
    let container: unknown = this.value;
    for (const segment of path.slice(0, -1)) {
      container = (container as Record<string | number, unknown> | undefined)?.[segment];
    }
    return this.locate(container, path.at(-1) as string | number);
  }

  span(start: number, end: number): Span {
    return this.lines.span(this.file, start, end);
  }

  #rootStart(): number {
    let start = this.text.charCodeAt(0) === 0xfeff ? 1 : 0;
    while (start < this.text.length && /\s/.test(this.text.charAt(start))) start++;
    return start;
  }

  #value(): unknown {
    const code = this.text.charCodeAt(this.#at);
    if (code === 0x7b) return this.#object();
    if (code === 0x5b) return this.#array();
    if (code === 0x22) return this.#string();
    if (code === 0x2d || (code >= 0x30 && code <= 0x39)) return this.#number();
    for (const [word, value] of LITERALS) {
      if (this.text.startsWith(word, this.#at)) {
        this.#at += word.length;
        return value;
      }
    }
    return this.#fail(this.#at >= this.text.length ? "unexpected end of input" : "unexpected character");
  }

  #object(): Record<string, unknown> {
    const object: Record<string, unknown> = {};
    const members = new Map<string, Member>();
    this.#members.set(object, members);
    this.#enter();
    this.#at++;
    this.#space();
    if (this.text.charCodeAt(this.#at) === 0x7d) {
      this.#at++;
      return this.#leave(object);
    }
    for (;;) {
      if (this.text.charCodeAt(this.#at) !== 0x22) this.#fail("expected a property name in double quotes");
      const keyStart = this.#at;
      const key = this.#string();
      const keyEnd = this.#at;
      this.#space();
      if (this.text.charCodeAt(this.#at) !== 0x3a) this.#fail("expected ':' after a property name");
      this.#at++;
      this.#space();
      const start = this.#at;
      const value = this.#value();
      if (key === "__proto__")
        Object.defineProperty(object, key, { value, enumerable: true, writable: true });
      else object[key] = value;
      members.set(key, { keyStart, keyEnd, start, end: this.#at });
      this.#space();
      const next = this.text.charCodeAt(this.#at++);
      if (next === 0x7d) return this.#leave(object);
      if (next !== 0x2c) this.#fail("expected ',' or '}' in an object", this.#at - 1);
      this.#space();
    }
  }

  #array(): unknown[] {
    const array: unknown[] = [];
    const members = new Map<number, Member>();
    this.#members.set(array, members);
    this.#enter();
    this.#at++;
    this.#space();
    if (this.text.charCodeAt(this.#at) === 0x5d) {
      this.#at++;
      return this.#leave(array);
    }
    for (;;) {
      const start = this.#at;
      members.set(array.length, { keyStart: start, keyEnd: start, start, end: 0 });
      array.push(this.#value());
      (members.get(array.length - 1) as Member).end = this.#at;
      this.#space();
      const next = this.text.charCodeAt(this.#at++);
      if (next === 0x5d) return this.#leave(array);
      if (next !== 0x2c) this.#fail("expected ',' or ']' in an array", this.#at - 1);
      this.#space();
    }
  }

  #string(): string {
    const start = this.#at;
    let end = start + 1;
    let escaped = false;
    for (;;) {
      const code = this.text.charCodeAt(end);
      if (Number.isNaN(code)) this.#fail("unterminated string", start);
      if (code === 0x22) break;
      if (code === 0x5c) {
        escaped = true;
        end++;
      } else if (code < 0x20) this.#fail("control character in a string", end);
      end++;
    }
    this.#at = end + 1;
    if (!escaped) return this.text.slice(start + 1, end);
    try {
      return JSON.parse(this.text.slice(start, end + 1)) as string;
    } catch {
      return this.#fail("invalid escape in a string", start);
    }
  }

  #number(): number {
    const match = NUMBER.exec(this.text.slice(this.#at, this.#at + 400));
    if (!match) return this.#fail("invalid number");
    this.#at += match[0].length;
    return Number(match[0]);
  }

  #space(): void {
    for (;;) {
      const code = this.text.charCodeAt(this.#at);
      if (code !== 0x20 && code !== 0x0a && code !== 0x0d && code !== 0x09) return;
      this.#at++;
    }
  }

  #enter(): void {
    if (++this.#depth > MAX_DEPTH) this.#fail(`nested deeper than ${MAX_DEPTH} levels`);
  }

  #leave<T>(value: T): T {
    this.#depth--;
    return value;
  }

  #fail(reason: string, at = this.#at): never {
    const { line, column } = this.lines.position(Math.min(at, this.text.length));
    throw new JsonSyntaxError(reason, line, column);
  }
}

const LITERALS: [string, unknown][] = [
  ["true", true],
  ["false", false],
  ["null", null],
];

const NUMBER = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/;

/** Parses a JSON file, or says where it is broken (as a diagnostic that the file is not estimated). */
export function readJsonFile(file: string, text: string): { json: JsonFile } | { diagnostics: Diagnostic[] } {
  try {
    return { json: new JsonFile(file, text) };
  } catch (error) {
    if (!(error instanceof JsonSyntaxError)) throw error;
    const message = `invalid JSON: ${error.reason}; the file is not estimated`;
    return { diagnostics: [{ file, line: error.line, column: error.column, severity: "error", message }] };
  }
}
