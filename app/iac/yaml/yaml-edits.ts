import type { Edits, TextEdit } from "../../engine/finding.ts";
import { type LocatedNode, type Scan, type YamlDocument, YamlFile, type YamlPath } from "./yaml-file.ts";

/** A value to write: a scalar, or a map of them (written as nested YAML). */
export type YamlValue = string | number | boolean | { [key: string]: YamlValue };

const PLAIN_SAFE = /^[A-Za-z0-9][A-Za-z0-9._/-]*$/;
const NULLS = new Set(["", "~", "null", "Null", "NULL"]);
const NOT_WRITTEN: Edits = { byHand: "not-written" };

/**
 * Minimal text edits on YAML (never re-serialisation): set a value at a path, creating the maps that
 * are missing, in the style of what is around it (block or flow, its indentation, its quoting).
 */
export class YamlEditor {
  readonly #text: (file: string) => string | undefined;

  constructor(text: (file: string) => string | undefined) {
    this.#text = text;
  }

  /** Sets `path` (under the object at `root` of document `index`) to `value`; why not when it cannot. */
  set(file: string, document: number, root: YamlPath, path: YamlPath, value: YamlValue): Edits {
    return this.setAll(file, document, root, [{ path, value }]);
  }

  /**
   * Sets several paths at once: values that land in the same missing map are written as one block, so
   * `resources.requests.cpu` and `resources.requests.memory` create one `resources:` map, not two.
   * `readFrom`: the document as read (a {@link DocumentRead}), whose scan spares scanning the file
   * again while its text is the same. Nothing is written when one of them cannot be: a value an alias
   * also reads (yaml-anchor), a path through a List or a value of another kind (not-written).
   */
  setAll(
    file: string,
    document: number,
    root: YamlPath,
    changes: { path: YamlPath; value: YamlValue }[],
    readFrom?: object,
  ): Edits {
    const yaml = this.#parse(file, readFrom && DocumentRead.read(readFrom));
    const doc = yaml?.documents[document];
    if (!yaml || !doc) return NOT_WRITTEN;
    const inserts = new Map<number, { node: LocatedNode; entries: Record<string, YamlValue> }>();
    const edits: TextEdit[] = [];
    for (const { path, value } of changes) {
      const found = deepest(doc, root, path);
      if (!found) return NOT_WRITTEN;
      if (found.node.viaAlias) return { byHand: "yaml-anchor" };
      const { node, remaining } = found;
      if (remaining.length === 0) {
        if (node.kind !== "scalar") return NOT_WRITTEN;
        const replaced = replaceScalar(yaml.text, file, node, value);
        if (!replaced) return NOT_WRITTEN;
        edits.push(...replaced);
        continue;
      }
      if (remaining.some((segment) => typeof segment === "number")) return NOT_WRITTEN;
      const insert = inserts.get(node.value.startOffset) ?? { node, entries: {} };
      merge(insert.entries, nest(remaining as string[], value));
      inserts.set(node.value.startOffset, insert);
    }
    for (const { node, entries } of inserts.values()) {
      if (node.kind === "mapping")
        edits.push(insertIntoMapping(yaml.text, file, node, entries, indentUnit(doc)));
      else if (node.kind === "scalar" && NULLS.has(node.text ?? "") && node.style === "plain" && node.key) {
        edits.push(fillEmptyValue(yaml.text, file, node, entries, indentUnit(doc)));
      } else return NOT_WRITTEN;
    }
    return edits;
  }

  #parse(file: string, read: Read | undefined): YamlFile | undefined {
    const text = this.#text(file);
    if (text === undefined) return undefined;
    if (recent?.file !== file || recent.text !== text) {
      recent = { file, text, yaml: parsed(file, text, read?.text === text ? read.scan : undefined) };
    }
    return recent.yaml;
  }
}

type Read = { text: string; scan: Scan };

/** Each scan's file read again, for as long as the scan is kept (by the documents read from it). */
const reread = new WeakMap<Scan, YamlFile>();

/**
 * Where a resource is in its file (its `source.document`): the YAML document's index and the path to
 * the object in it, with the text and scan it was read from kept out of sight, so that a fix edits the
 * file without scanning or checking it again. Copies (JSON, structured clones) keep index and path only.
 */
export class DocumentRead {
  readonly index: number;
  readonly path: (string | number)[];
  readonly #text: string;
  readonly #scan: Scan;

  constructor(yaml: YamlFile, index: number, path: (string | number)[]) {
    this.index = index;
    this.path = path;
    this.#text = yaml.text;
    this.#scan = yaml.scan;
  }

  /**
   * The file as it was read (not scanned again): one for all the documents of a file, as it holds an
   * object per document; one per resource of a file of 5,000 workloads held 25 million (2 GB).
   */
  reread(file: string): YamlFile {
    let yaml = reread.get(this.#scan);
    if (!yaml) {
      yaml = new YamlFile(file, this.#text, this.#scan);
      reread.set(this.#scan, yaml);
    }
    return yaml;
  }

  /** The text and scan `document` was read from, when it is a DocumentRead. */
  static read(document: object): Read | undefined {
    return #text in document ? { text: document.#text, scan: document.#scan } : undefined;
  }
}

/** The file parsed last: policies fix one resource after another, several in the same file. */
let recent: { file: string; text: string; yaml: YamlFile | undefined } | undefined;

function parsed(file: string, text: string, scan: Scan | undefined): YamlFile | undefined {
  try {
    return new YamlFile(file, text, scan);
  } catch {
    return undefined;
  }
}

/** The deepest node of `path` that exists, and the keys below it that do not. */
function deepest(
  doc: YamlDocument,
  root: YamlPath,
  path: YamlPath,
): { node: LocatedNode; remaining: YamlPath } | undefined {
  for (let depth = path.length; depth >= 0; depth--) {
    const node = doc.locate([...root, ...path.slice(0, depth)]);
    if (node) return { node, remaining: path.slice(depth) };
  }
  return undefined;
}

function merge(target: Record<string, YamlValue>, source: Record<string, YamlValue>): void {
  for (const [key, value] of Object.entries(source)) {
    const existing = target[key];
    if (typeof existing === "object" && typeof value === "object") merge(existing, value);
    else target[key] = value;
  }
}

function nest(keys: string[], value: YamlValue): Record<string, YamlValue> {
  const [first = "", ...rest] = keys;
  return { [first]: rest.length === 0 ? value : nest(rest, value) };
}

/**
 * A scalar replaced in the quoting style it had; a block scalar (`|`, `>`) kept a block when the value
 * can be one ({@link blockLines}), else replaced by a flow scalar written where its indicator was (a
 * comment after it kept), its lines removed. Undefined when a block scalar's header is not where it
 * should be.
 */
function replaceScalar(
  text: string,
  file: string,
  node: LocatedNode,
  value: YamlValue,
): TextEdit[] | undefined {
  const string = String(value);
  const { startOffset: start, endOffset: end } = node.value;
  if (node.style === "literal" || node.style === "folded") {
    const header = blockHeader(text, start);
    if (!header) return undefined;
    const block = typeof value === "string" ? blockLines(text, node, header, value) : undefined;
    return [
      { file, start: header.start, end: header.end, text: block?.header ?? scalar(value) },
      { file, start, end, text: block?.lines ?? "" },
    ];
  }
  const written =
    node.style === "double"
      ? JSON.stringify(string)
      : node.style === "single"
        ? `'${string.replaceAll("'", "''")}'`
        : scalar(value);
  return [{ file, start, end, text: written }];
}

type BlockHeader = { start: number; end: number; style: "|" | ">"; indentation: string };

/** Where a block scalar's indicator and its modifiers (`|-`, `>2+`) are, on the line before its lines. */
function blockHeader(text: string, contentStart: number): BlockHeader | undefined {
  const lineEnd = text[contentStart - 1] === "\n" ? contentStart - 1 : -1;
  if (lineEnd < 0) return undefined;
  const lineStart = text.lastIndexOf("\n", lineEnd - 1) + 1;
  const match = /([|>])([1-9+-]*)(?=[ \t]*(#.*)?\r?$)/.exec(text.slice(lineStart, lineEnd));
  if (!match) return undefined;
  const start = lineStart + match.index;
  const [, style, modifiers] = match as unknown as [string, "|" | ">", string];
  return { start, end: start + match[0].length, style, indentation: modifiers.replace(/[+-]/, "") };
}

/**
 * A string written as the block scalar it replaces: the same indicator (`>` becomes `|` for a value of
 * several lines, which folding would join), a chomping indicator for its trailing line breaks (`-` none,
 * clip one, `+` more), its lines at the block's indentation and the file's line break. Undefined when
 * a block cannot hold it as it is: empty, a carriage return or another control character, a first line
 * that starts with a space or a tab (its indentation would be read as the block's) or a line with a tab
 * where the indentation ends.
 */
function blockLines(
  text: string,
  node: LocatedNode,
  header: BlockHeader,
  value: string,
): { header: string; lines: string } | undefined {
  const body = value.replace(/\n+$/, "");
  const breaks = value.length - body.length;
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is refused
  if (body === "" || /[\u0000-\u0008\u000b-\u001f\u007f]/.test(body)) return undefined;
  const lines = body.split("\n");
  if (/^\s/.test(lines[0] ?? "") && header.indentation === "") return undefined;
  const indent = blockIndent(text, node);
  if (indent === undefined || lines.some((line) => line.startsWith("\t"))) return undefined;
  const newline = text.slice(node.value.startOffset, node.value.endOffset).includes("\r\n") ? "\r\n" : "\n";
  const style = header.style === ">" && lines.length > 1 ? "|" : header.style;
  const chomping = breaks === 0 ? "-" : breaks === 1 ? "" : "+";
  const written = [
    ...lines.map((line) => (line === "" ? "" : indent + line)),
    ...Array(Math.max(0, breaks - 1)).fill(""),
  ];
  return {
    header: `${style}${header.indentation}${chomping}`,
    lines: written.map((line) => line + newline).join(""),
  };
}

/** A block scalar's indentation: its first written line's, less the spaces its value begins with. */
function blockIndent(text: string, node: LocatedNode): string | undefined {
  const written = /^( *)\S/m.exec(text.slice(node.value.startOffset, node.value.endOffset))?.[1];
  const own = /^( *)\S/m.exec(node.text ?? "")?.[1];
  if (written === undefined || own === undefined || own.length > written.length) return undefined;
  return written.slice(own.length);
}

function scalar(value: YamlValue): string {
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  if (
    typeof value === "string" &&
    PLAIN_SAFE.test(value) &&
    !/^(true|false|null|yes|no|on|off|~)$/i.test(value)
  ) {
    return value;
  }
  return JSON.stringify(value);
}

/** New keys at the end of a mapping: new lines at its children's indentation, or `, key: value` in flow style. */
function insertIntoMapping(
  text: string,
  file: string,
  mapping: LocatedNode,
  entries: Record<string, YamlValue>,
  unit: number,
): TextEdit {
  if (mapping.flow) {
    let at = mapping.value.endOffset - 1;
    while (at > mapping.value.startOffset + 1 && /\s/.test(text[at - 1] ?? "")) at--;
    const empty = at === mapping.value.startOffset + 1;
    return { file, start: at, end: at, text: `${empty ? "" : ", "}${flow(entries)}` };
  }
  const lineEnd = endOfLine(text, mapping.value.endOffset);
  const indent = " ".repeat(mapping.value.startColumn - 1);
  return { file, start: lineEnd, end: lineEnd, text: block(entries, indent, unit, lineBreak(text, lineEnd)) };
}

/** `key:` with no value becomes `key:` followed by a nested block. */
function fillEmptyValue(
  text: string,
  file: string,
  node: LocatedNode,
  entries: Record<string, YamlValue>,
  unit: number,
): TextEdit {
  const key = node.key;
  const indent = " ".repeat((key?.startColumn ?? 1) - 1 + unit);
  const lineEnd = endOfLine(text, key?.endOffset ?? node.value.endOffset);
  return { file, start: lineEnd, end: lineEnd, text: block(entries, indent, unit, lineBreak(text, lineEnd)) };
}

/** New lines, each starting with `newline` (the file's own line break: CRLF files stay CRLF). */
function block(entries: Record<string, YamlValue>, indent: string, unit: number, newline: string): string {
  return Object.entries(entries)
    .map(([key, value]) =>
      typeof value === "object"
        ? `${newline}${indent}${scalar(key)}:${block(value, indent + " ".repeat(unit), unit, newline)}`
        : `${newline}${indent}${scalar(key)}: ${scalar(value)}`,
    )
    .join("");
}

function flow(entries: Record<string, YamlValue>): string {
  return Object.entries(entries)
    .map(
      ([key, value]) => `${scalar(key)}: ${typeof value === "object" ? `{${flow(value)}}` : scalar(value)}`,
    )
    .join(", ");
}

/** Where the line holding `offset` ends (before its newline): a new line goes after any trailing comment. */
function endOfLine(text: string, offset: number): number {
  const newline = text.indexOf("\n", offset);
  if (newline === -1) return text.length;
  return text[newline - 1] === "\r" ? newline - 1 : newline;
}

/** The line break that ends the line at `lineEnd` (from {@link endOfLine}); at the end of the text, the file's first. */
function lineBreak(text: string, lineEnd: number): string {
  const at = lineEnd < text.length ? lineEnd : text.indexOf("\n");
  return text[at] === "\r" || text[at - 1] === "\r" ? "\r\n" : "\n";
}

/** The document's indentation step: the first nested block mapping's offset from its parent key. */
function indentUnit(doc: YamlDocument): number {
  const root = doc.locate([]);
  const text = doc.yaml.text;
  if (root?.kind !== "mapping") return 2;
  const match = /\n( +)\S/.exec(text.slice(root.value.startOffset, root.value.endOffset));
  return match?.[1] ? Math.max(1, Math.min(match[1].length - (root.value.startColumn - 1), 8)) : 2;
}
