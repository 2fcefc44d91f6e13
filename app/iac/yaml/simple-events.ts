import { CHOMPING_MODE, COLLECTION_STYLE, EVENT_ID, SCALAR_STYLE } from "js-yaml";
import { EventTable } from "./event-table.ts";

/**
 * The parse events of block YAML as manifests are written (mappings, sequences, one-line scalars,
 * block scalars, one-line flow collections, comments, `---` between documents), exactly as js-yaml's
 * `parseEvents` gives them, in about half its time and without an object per event. Anything else
 * (anchors, tags, multi-line plain, quoted or flow nodes, directives, tabs, carriage returns,
 * non-printable characters, errors) gives undefined, and the caller parses the text with js-yaml.
 */
export function simpleEvents(text: string): EventTable | undefined {
  if (UNSUPPORTED_CHARACTERS.test(text)) return undefined;
  try {
    return new Scanner(text).documents();
  } catch (error) {
    if (error === NOT_SIMPLE) return undefined;
    throw error;
  }
}

/** js-yaml's non-printable characters, a lone surrogate, tab, carriage return, byte order mark. */
const UNSUPPORTED_CHARACTERS =
  // biome-ignore lint/suspicious/noControlCharactersInRegex: the control characters are what it finds
  /[\x00-\x08\x0B\x0C\x0E-\x1F\x7F-\x84\x86-\x9F\uFFFE\uFFFF\t\r\uFEFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?:[^\uD800-\uDBFF]|^)[\uDC00-\uDFFF]/;
const NOT_SIMPLE = new Error("not simple YAML");
/** Deeper than this, js-yaml (maxDepth 64) decides. */
const MAX_NESTING = 48;
/** Characters that cannot start a plain scalar in block context (js-yaml's canStartPlainScalar). */
const NOT_PLAIN_START = new Set("#&*!|>'\"%@`,[]{}".split("").map((c) => c.charCodeAt(0)));
const SPACE = 32;
const NEWLINE = 10;
const HASH = 35;
const COLON = 58;
const DASH = 45;
const COMMA = 44;
const PLUS = 43;
const QUESTION = 63;
const APOSTROPHE = 39;
const QUOTE = 34;
const BACKSLASH = 92;
const PIPE = 124;
const GREATER = 62;
const OPEN_BRACKET = 91;
const CLOSE_BRACKET = 93;
const OPEN_BRACE = 123;
const CLOSE_BRACE = 125;
/** js-yaml's one-character escapes of a double-quoted scalar. */
const SIMPLE_ESCAPES = new Set('0abt\tnvfre "/\\N_LP'.split("").map((c) => c.charCodeAt(0)));
const HEX_ESCAPES: Record<string, number> = { x: 2, u: 4, U: 8 };

function fail(): never {
  throw NOT_SIMPLE;
}

const isQuote = (code: number) => code === APOSTROPHE || code === QUOTE;
const opensFlow = (code: number) => code === OPEN_BRACKET || code === OPEN_BRACE;

class Scanner {
  readonly events = new EventTable();
  readonly text: string;
  /** The position scanning is at. */
  pos = 0;
  /** The start of the line `pos` is on. */
  lineStart = 0;
  depth = 0;

  constructor(text: string) {
    this.text = text;
  }

  documents(): EventTable {
    let column = this.nextContent();
    if (column > 0 || this.documentMarker(".")) fail();
    while (column >= 0) {
      const explicit = this.documentMarker("-");
      if (explicit) this.afterValue(this.pos + 3);
      this.events.document(explicit);
      column = explicit ? this.nextContent() : column;
      if (column < 0 || this.documentMarker("-")) this.emptyScalar();
      else column = this.node(column, column - 1, true);
      if (column >= 0 && !this.documentMarker("-")) fail();
      this.events.pop();
    }
    return this.events.seal();
  }

  /** The node at `pos` (column `column`), inside a collection at `parent`; returns the next content column. */
  node(column: number, parent: number, root = false): number {
    if (++this.depth > MAX_NESTING) fail();
    const sequence = this.atItem();
    const mapping = !sequence && this.keyEnd() >= 0;
    if (root && !sequence && !mapping) fail(); // a document that is one scalar
    const next = sequence ? this.sequence(column) : mapping ? this.mapping(column) : this.scalar(parent);
    this.depth--;
    return next;
  }

  mapping(column: number): number {
    this.events.collection(EVENT_ID.MAPPING, this.pos, COLLECTION_STYLE.BLOCK);
    let next = column;
    while (next === column && !this.documentMarker("-")) {
      this.key(this.keyEnd());
      next = this.value(column);
      if (next > column) fail();
    }
    this.events.pop();
    return next;
  }

  sequence(column: number): number {
    this.events.collection(EVENT_ID.SEQUENCE, this.pos, COLLECTION_STYLE.BLOCK);
    let next = column;
    while (next === column && this.atItem()) {
      this.pos = this.skipSpaces(this.pos + 1);
      if (this.atLineEnd(this.pos)) {
        next = this.nextContent();
        next = next > column && !this.documentMarker("-") ? this.node(next, column) : this.emptyScalar(next);
      } else {
        if (this.atItem()) fail(); // `- - x`
        next = this.node(this.pos - this.lineStart, column);
      }
      if (next > column) fail();
    }
    this.events.pop();
    return next;
  }

  /** The value after a key's colon, of a mapping at `column`. */
  value(column: number): number {
    this.pos = this.skipSpaces(this.pos);
    if (!this.atLineEnd(this.pos)) {
      if (this.atItem() || this.keyEnd() >= 0) fail();
      return this.scalar(column);
    }
    const next = this.nextContent();
    if (next < 0 || this.documentMarker("-")) return this.emptyScalar(next);
    if (next > column) return this.node(next, column);
    if (next === column && this.atItem()) return this.sequence(column);
    return this.emptyScalar(next);
  }

  /** A scalar at `pos`, the value of a collection at `parent`; returns the next content column. */
  scalar(parent: number): number {
    const code = this.at(this.pos);
    if (code === PIPE || code === GREATER) return this.blockScalar(parent + 1);
    if (isQuote(code)) {
      this.afterValue(this.quoted(code));
      return this.checkedNext(parent, false);
    }
    if (opensFlow(code)) {
      this.afterValue(this.flow());
      return this.checkedNext(parent, false);
    }
    const end = this.plainEnd(this.pos);
    if (this.at(end) === COLON) fail();
    this.plain(end);
    this.afterValue(end);
    return this.checkedNext(parent, true);
  }

  /** The plain scalar from `pos` to `end`, trailing spaces left out. */
  plain(end: number): void {
    let valueEnd = end;
    while (valueEnd > this.pos && this.text.charCodeAt(valueEnd - 1) === SPACE) valueEnd--;
    this.events.scalar(this.pos, valueEnd, SCALAR_STYLE.PLAIN, CHOMPING_MODE.CLIP, -1, true);
  }

  /** A flow collection on one line, `[a, "b"]` or `{ k: v }`: pushes its events, returns the position after it. */
  flow(): number {
    const open = this.at(this.pos);
    const mapping = open === OPEN_BRACE;
    const close = mapping ? CLOSE_BRACE : CLOSE_BRACKET;
    if (++this.depth > MAX_NESTING) fail();
    this.events.collection(mapping ? EVENT_ID.MAPPING : EVENT_ID.SEQUENCE, this.pos, COLLECTION_STYLE.FLOW);
    this.pos = this.skipSpaces(this.pos + 1);
    while (this.at(this.pos) !== close) {
      this.flowNode();
      if (mapping !== (this.at(this.pos) === COLON)) fail(); // `{a}`, `[a: b]`
      if (mapping) {
        this.pos = this.skipSpaces(this.pos + 1);
        this.flowNode();
      }
      if (this.at(this.pos) === COMMA) this.pos = this.skipSpaces(this.pos + 1);
      else if (this.at(this.pos) !== close) fail();
    }
    this.events.pop();
    this.depth--;
    return this.pos + 1;
  }

  /** A key, value or item of a flow collection; leaves `pos` at what follows it, spaces skipped. */
  flowNode(): void {
    const code = this.at(this.pos);
    if (opensFlow(code)) this.pos = this.flow();
    else if (isQuote(code)) this.pos = this.quoted(code);
    else {
      const end = this.plainEnd(this.pos, true);
      this.plain(end);
      this.pos = end;
    }
    this.pos = this.skipSpaces(this.pos);
  }

  /**
   * The next content line's column, refused when it is deeper than the collection at `parent` (js-yaml
   * reads it as a continuation or an error). After a plain scalar a deeper comment line is refused too:
   * js-yaml marks the scalar as multi-line.
   */
  checkedNext(parent: number, plain: boolean): number {
    if (plain && this.nextLineIndent() > parent) fail();
    const next = this.nextContent();
    if (next > parent) fail();
    return next;
  }

  /** The key at `pos`, whose colon is at `colon`: pushes its event and moves past the colon. */
  key(colon: number): void {
    if (colon < 0) fail();
    const code = this.at(this.pos);
    if (isQuote(code)) this.quoted(code);
    else this.plain(colon);
    this.pos = colon + 1;
  }

  /** Where the colon is when `pos` starts a one-line key followed by `: `; -1 when it does not. */
  keyEnd(): number {
    const code = this.at(this.pos);
    let end: number;
    if (isQuote(code)) {
      end = this.quotedEnd(code, this.pos);
      if (end < 0) return -1;
      end = this.skipSpaces(end);
    } else {
      if (!this.canStartPlain(this.pos)) return -1;
      end = this.plainEnd(this.pos);
    }
    return this.at(end) === COLON && this.spaceOrEnd(end + 1) ? end : -1;
  }

  /** A one-line quoted scalar at `pos`: pushes its event, returns the position after its closing quote. */
  quoted(quote: number): number {
    const end = this.quotedEnd(quote, this.pos);
    if (end < 0) fail();
    const start = this.pos + 1;
    const simple = !this.escapes(quote, start, end - 1);
    const style = quote === APOSTROPHE ? SCALAR_STYLE.SINGLE_QUOTED : SCALAR_STYLE.DOUBLE_QUOTED;
    this.events.scalar(start, end - 1, style, CHOMPING_MODE.CLIP, -1, simple);
    return end;
  }

  /** Whether the quoted text between `start` and `end` has an escape. */
  escapes(quote: number, start: number, end: number): boolean {
    const marker = quote === APOSTROPHE ? APOSTROPHE : BACKSLASH;
    for (let i = start; i < end; i++) if (this.text.charCodeAt(i) === marker) return true;
    return false;
  }

  /** The position after the closing quote of a quoted scalar on one line; -1 when there is none. */
  quotedEnd(quote: number, from: number): number {
    for (let i = from + 1; i < this.text.length; i++) {
      const code = this.text.charCodeAt(i);
      if (code === NEWLINE) return -1;
      if (quote === APOSTROPHE && code === APOSTROPHE) {
        if (this.at(i + 1) !== APOSTROPHE) return i + 1;
        i++;
      } else if (quote === QUOTE && code === BACKSLASH) {
        i = this.escapeEnd(i + 1) - 1;
      } else if (code === quote) {
        return i + 1;
      }
    }
    return -1;
  }

  /** Where a double-quoted scalar's escape at `at` (after the backslash) ends, as js-yaml accepts it. */
  escapeEnd(at: number): number {
    const code = this.at(at);
    if (SIMPLE_ESCAPES.has(code)) return at + 1;
    const length = HEX_ESCAPES[this.text[at] ?? ""];
    if (length === undefined) fail();
    for (let i = 1; i <= length; i++) if (!/[0-9a-fA-F]/.test(this.text[at + i] ?? "")) fail();
    return at + 1 + length;
  }

  /** js-yaml's canStartPlainScalar. */
  canStartPlain(at: number, flow = false): boolean {
    const code = this.at(at);
    if (code < 0 || code === SPACE || code === NEWLINE || NOT_PLAIN_START.has(code)) return false;
    if (code === DASH || code === QUESTION)
      return !this.spaceOrEnd(at + 1) && !(flow && this.flowIndicator(at + 1));
    return true;
  }

  /**
   * Where a one-line plain scalar starting at `from` stops: `: `, ` #`, the end of the line, and in a
   * flow collection `,[]{}` and a colon before one of them. An empty one is refused.
   */
  plainEnd(from: number, flow = false): number {
    if (!this.canStartPlain(from, flow)) fail();
    const { text } = this;
    let i = from;
    for (; i < text.length; i++) {
      const code = text.charCodeAt(i);
      if (code === NEWLINE) break;
      if (code === COLON && (this.spaceOrEnd(i + 1) || (flow && this.flowIndicator(i + 1)))) break;
      if (code === HASH && text.charCodeAt(i - 1) === SPACE) break;
      if (flow && this.flowIndicator(i)) break;
    }
    if (i === from) fail();
    return i;
  }

  flowIndicator(index: number): boolean {
    const code = this.at(index);
    return (
      code === COMMA ||
      code === OPEN_BRACKET ||
      code === CLOSE_BRACKET ||
      code === OPEN_BRACE ||
      code === CLOSE_BRACE
    );
  }

  /** After a value that ends at `end`: only spaces or a comment may follow on its line. */
  afterValue(end: number): void {
    const at = this.skipSpaces(end);
    if (!this.atLineEnd(at) || (this.at(at) === HASH && this.text.charCodeAt(at - 1) !== SPACE)) fail();
    this.pos = at;
  }

  /** A `|` or `>` scalar, read as js-yaml's readBlockScalar reads it; `parent` is its parent indent. */
  blockScalar(parent: number): number {
    const { text } = this;
    const style = this.at(this.pos) === PIPE ? SCALAR_STYLE.LITERAL_BLOCK : SCALAR_STYLE.FOLDED_BLOCK;
    let chomping: number = CHOMPING_MODE.CLIP;
    let indent = -1;
    let at = this.pos + 1;
    for (let code = this.at(at); ; code = this.at(++at)) {
      if ((code === PLUS || code === DASH) && chomping === CHOMPING_MODE.CLIP)
        chomping = code === PLUS ? CHOMPING_MODE.KEEP : CHOMPING_MODE.STRIP;
      else if (code >= 49 && code <= 57 && indent === -1) indent = parent + code - 49;
      else break;
    }
    this.afterValue(at);
    const detected = indent >= 0;
    const headerEnd = this.lineEnd(this.pos);
    const start = headerEnd + (headerEnd < text.length ? 1 : 0);
    let end = start;
    let line = start;
    let maxLeading = 0;
    while (line < text.length) {
      let column = 0;
      while (text.charCodeAt(line + column) === SPACE) column++;
      const first = line + column < text.length ? text.charCodeAt(line + column) : -1;
      if (first === -1) {
        if (indent >= 0 ? column > indent : column > 0) end = line + column;
        break;
      }
      if (column === 0 && (this.documentMarkerAt(line, "-") || this.documentMarkerAt(line, "."))) break;
      const blank = first === NEWLINE;
      if (!detected && indent === -1) {
        if (blank) maxLeading = Math.max(maxLeading, column);
        else if (column >= parent && column < maxLeading) fail();
      }
      if (!blank && indent === -1 && column < parent) break;
      if (!blank && indent === -1) indent = column;
      if (!blank && column < (indent === -1 ? parent + 1 : indent)) break;
      end = this.lineEnd(line);
      line = end < text.length ? end + 1 : end;
      end = line;
    }
    this.events.scalar(start, end, style, chomping, indent, false);
    this.pos = line;
    this.lineStart = line;
    return this.nextContent();
  }

  emptyScalar(next = -1): number {
    this.events.scalar(-1, -1, SCALAR_STYLE.PLAIN, CHOMPING_MODE.CLIP, -1, false);
    return next;
  }

  /**
   * Moves to the first content of the next line that has any (blank and comment lines skipped) and
   * returns its column; -1 at the end of the text. From mid-line, the rest of the line is skipped.
   */
  nextContent(): number {
    const { text } = this;
    let line = this.pos === this.lineStart ? this.pos : this.lineEnd(this.pos) + 1;
    while (line < text.length) {
      const at = this.skipSpaces(line);
      if (at < text.length && text.charCodeAt(at) !== NEWLINE && text.charCodeAt(at) !== HASH) {
        this.pos = at;
        this.lineStart = line;
        return at - line;
      }
      line = this.lineEnd(at) + 1;
    }
    this.pos = this.lineStart = text.length;
    return -1;
  }

  /**
   * The indent of the next line after `pos`'s that is not blank (comment lines and spaces that end the
   * text count, as for js-yaml); -1 at the end.
   */
  nextLineIndent(): number {
    const { text } = this;
    let line = this.lineEnd(this.pos) + 1;
    while (line < text.length) {
      const at = this.skipSpaces(line);
      if (at === text.length || text.charCodeAt(at) !== NEWLINE) return at - line;
      line = at + 1;
    }
    return -1;
  }

  /** Whether `pos` is at a `---` (or `...`) line: the marker at column 0 followed by a space or the end. */
  documentMarker(mark: "-" | "."): boolean {
    return this.pos === this.lineStart && this.documentMarkerAt(this.pos, mark);
  }

  documentMarkerAt(at: number, mark: "-" | "."): boolean {
    return this.text.startsWith(mark === "-" ? "---" : "...", at) && this.spaceOrEnd(at + 3);
  }

  /** Whether `pos` is at a sequence item's `- `. */
  atItem(): boolean {
    return this.at(this.pos) === DASH && this.spaceOrEnd(this.pos + 1);
  }

  at(index: number): number {
    return index < this.text.length ? this.text.charCodeAt(index) : -1;
  }

  spaceOrEnd(index: number): boolean {
    const code = this.at(index);
    return code === -1 || code === SPACE || code === NEWLINE;
  }

  atLineEnd(index: number): boolean {
    const code = this.at(index);
    return code === -1 || code === NEWLINE || code === HASH;
  }

  skipSpaces(from: number): number {
    let at = from;
    while (this.text.charCodeAt(at) === SPACE) at++;
    return at;
  }

  lineEnd(from: number): number {
    const end = this.text.indexOf("\n", from);
    return end === -1 ? this.text.length : end;
  }
}
