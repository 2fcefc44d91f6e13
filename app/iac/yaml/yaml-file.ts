import {
  CORE_SCHEMA,
  constructFromEvents,
  EVENT_ID,
  type Event,
  getScalarValue,
  mergeTag,
  parseEvents,
  SCALAR_STYLE,
  YAMLException,
} from "js-yaml";
import type { Span } from "../../model/span.ts";
import { LineIndex } from "./line-index.ts";

/** Kubernetes tooling accepts merge keys (`<<: *anchor`), so we do too. */
const SCHEMA = CORE_SCHEMA.withTags(mergeTag);
/** Bounds that refuse alias bombs and pathological nesting. */
const MAX_DEPTH = 64;
const MAX_ALIASES = 1_000;
/** Nodes a document may have once its aliases are expanded (a "billion laughs" has 10^9). */
const MAX_EXPANDED_NODES = 1_000_000;

export type YamlPath = readonly (string | number)[];

export type ScalarStyle = "plain" | "single" | "double" | "literal" | "folded";

/** A node found by {@link YamlDocument.locate}. */
export type LocatedNode = {
  kind: "scalar" | "mapping" | "sequence";
  /** The node's text; for quoted scalars the quotes are included. */
  value: Span;
  /** The mapping key that holds the node, when it is a mapping value. */
  key?: Span;
  /** Scalars only: how it was written and its decoded text. */
  style?: ScalarStyle;
  text?: string;
  /** Collections only: written in flow style (`{...}`, `[...]`). */
  flow?: boolean;
  /** True when the path went through an alias or merge key: editing it edits the anchor. */
  viaAlias: boolean;
};

export class YamlSyntaxError extends Error {
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

/** A parsed multi-document YAML file whose every node can be located in the source text. */
export class YamlFile {
  readonly file: string;
  readonly text: string;
  readonly documents: YamlDocument[] = [];
  readonly lines: LineIndex;
  readonly #events: Event[];
  #ends: Int32Array | undefined;

  constructor(file: string, text: string) {
    this.file = file;
    this.text = text;
    this.lines = new LineIndex(text);
    try {
      this.#events = parseEvents(text, { filename: file, maxDepth: MAX_DEPTH });
      refuseAliasExpansion(this.#events, text);
      const values = constructFromEvents(this.#events, {
        source: text,
        schema: SCHEMA,
        maxAliases: MAX_ALIASES,
      });
      let documentIndex = 0;
      this.#events.forEach((event, index) => {
        if (event.type !== EVENT_ID.DOCUMENT) return;
        this.documents.push(new YamlDocument(this, documentIndex, index, values[documentIndex]));
        documentIndex++;
      });
    } catch (error) {
      if (!(error instanceof YAMLException)) throw error;
      throw new YamlSyntaxError(error.reason, (error.mark?.line ?? 0) + 1, (error.mark?.column ?? 0) + 1);
    }
  }

  /** Index of the event just after the subtree that starts at `index`. */
  end(index: number): number {
    this.#ends ??= subtreeEnds(this.#events);
    return this.#ends[index] ?? index + 1;
  }

  event(index: number): Event | undefined {
    return this.#events[index];
  }

  scalarText(index: number): string | undefined {
    const event = this.#events[index];
    return event?.type === EVENT_ID.SCALAR ? getScalarValue(this.text, event) : undefined;
  }

  /** Offsets of the text of the node at `index` (aliases: the `*name` token). */
  extent(index: number): [number, number] {
    const event = this.#events[index];
    if (!event) return [0, 0];
    switch (event.type) {
      case EVENT_ID.SCALAR: {
        const quoted =
          event.style === SCALAR_STYLE.SINGLE_QUOTED || event.style === SCALAR_STYLE.DOUBLE_QUOTED;
        return quoted ? [event.valueStart - 1, event.valueEnd + 1] : [event.valueStart, event.valueEnd];
      }
      case EVENT_ID.ALIAS:
        return [event.anchorStart - 1, event.anchorEnd];
      case EVENT_ID.MAPPING:
      case EVENT_ID.SEQUENCE:
        return [event.start, this.#collectionEnd(index)];
      default:
        return [0, 0];
    }
  }

  #collectionEnd(index: number): number {
    const event = this.#events[index];
    const last = this.#lastChild(index);
    let end = last === undefined ? (event && "start" in event ? event.start + 1 : 0) : this.extent(last)[1];
    if (event && "style" in event && event.style === 2) end = closingBracket(this.text, end) ?? end;
    return end;
  }

  #lastChild(index: number): number | undefined {
    let last: number | undefined;
    for (let child = index + 1; this.#events[child]?.type !== EVENT_ID.POP; child = this.end(child)) {
      if (child >= this.#events.length) break;
      last = child;
    }
    return last;
  }

  /** The event index that defines `name`, the latest definition before `before`. */
  anchorTarget(name: string, before: number, documentStart: number): number | undefined {
    for (let index = before - 1; index >= documentStart; index--) {
      const event = this.#events[index];
      if (!event || event.type === EVENT_ID.POP || event.type === EVENT_ID.DOCUMENT) continue;
      if (event.type === EVENT_ID.ALIAS || event.anchorStart < 0) continue;
      if (this.text.slice(event.anchorStart, event.anchorEnd) === name) return index;
    }
    return undefined;
  }
}

export class YamlDocument {
  readonly yaml: YamlFile;
  readonly index: number;
  readonly eventIndex: number;
  readonly value: unknown;

  constructor(yaml: YamlFile, index: number, eventIndex: number, value: unknown) {
    this.yaml = yaml;
    this.index = index;
    this.eventIndex = eventIndex;
    this.value = value;
  }

  /** The document's content range (from its first node to the end of its last). */
  span(): Span {
    const [start, end] = this.yaml.extent(this.eventIndex + 1);
    return this.yaml.lines.span(this.yaml.file, start, end);
  }

  /** Finds the node at `path` (map keys and sequence indexes), following aliases and merge keys. */
  locate(path: YamlPath): LocatedNode | undefined {
    let index = this.eventIndex + 1;
    let key: [number, number] | undefined;
    let viaAlias = false;
    for (const segment of path) {
      const resolved = this.#resolveAlias(index);
      if (resolved !== index) viaAlias = true;
      const child = this.#child(resolved, segment);
      if (!child) return undefined;
      index = child.value;
      key = child.key;
      viaAlias ||= child.viaMerge;
    }
    return this.#describe(index, key, viaAlias);
  }

  #describe(index: number, key: [number, number] | undefined, viaAlias: boolean): LocatedNode | undefined {
    const target = this.#resolveAlias(index);
    const event = this.yaml.event(target);
    if (
      !event ||
      event.type === EVENT_ID.POP ||
      event.type === EVENT_ID.DOCUMENT ||
      event.type === EVENT_ID.ALIAS
    )
      return undefined;
    const [start, end] = this.yaml.extent(target);
    const { file, lines } = this.yaml;
    const located: LocatedNode = {
      kind:
        event.type === EVENT_ID.SCALAR ? "scalar" : event.type === EVENT_ID.MAPPING ? "mapping" : "sequence",
      value: lines.span(file, start, end),
      viaAlias: viaAlias || target !== index,
    };
    if (key) located.key = lines.span(file, key[0], key[1]);
    if (event.type === EVENT_ID.SCALAR) {
      located.style = scalarStyle(event.style);
      located.text = this.yaml.scalarText(target);
    } else {
      located.flow = event.style === 2;
    }
    return located;
  }

  #resolveAlias(index: number): number {
    const event = this.yaml.event(index);
    if (event?.type !== EVENT_ID.ALIAS) return index;
    const name = this.yaml.text.slice(event.anchorStart, event.anchorEnd);
    return this.yaml.anchorTarget(name, index, this.eventIndex) ?? index;
  }

  #child(
    index: number,
    segment: string | number,
  ): { value: number; key?: [number, number]; viaMerge: boolean } | undefined {
    const event = this.yaml.event(index);
    if (event?.type === EVENT_ID.SEQUENCE) {
      if (typeof segment !== "number") return undefined;
      let child = index + 1;
      for (let i = 0; i < segment && this.yaml.event(child)?.type !== EVENT_ID.POP; i++)
        child = this.yaml.end(child);
      return this.yaml.event(child)?.type === EVENT_ID.POP ? undefined : { value: child, viaMerge: false };
    }
    if (event?.type !== EVENT_ID.MAPPING) return undefined;
    const merges: number[] = [];
    for (let keyIndex = index + 1; this.yaml.event(keyIndex)?.type !== EVENT_ID.POP; ) {
      const valueIndex = this.yaml.end(keyIndex);
      const keyText = this.yaml.scalarText(keyIndex);
      if (keyText === String(segment))
        return { value: valueIndex, key: this.yaml.extent(keyIndex), viaMerge: false };
      if (keyText === "<<") merges.push(valueIndex);
      keyIndex = this.yaml.end(valueIndex);
    }
    return this.#childFromMerges(merges, segment);
  }

  #childFromMerges(merges: number[], segment: string | number) {
    for (const merge of merges) {
      const target = this.#resolveAlias(merge);
      const sources =
        this.yaml.event(target)?.type === EVENT_ID.SEQUENCE
          ? this.#items(target).map((i) => this.#resolveAlias(i))
          : [target];
      for (const source of sources) {
        const found = this.#child(source, segment);
        if (found) return { ...found, viaMerge: true };
      }
    }
    return undefined;
  }

  #items(index: number): number[] {
    const items: number[] = [];
    for (let child = index + 1; this.yaml.event(child)?.type !== EVENT_ID.POP; child = this.yaml.end(child))
      items.push(child);
    return items;
  }
}

/** Counts each document's nodes as if every alias were expanded, and refuses more than the cap. */
function refuseAliasExpansion(events: Event[], text: string): void {
  if (!events.some((event) => event.type === EVENT_ID.ALIAS)) return;
  const anchored = new Map<string, number>();
  const open: { size: number; start: number; anchor?: string }[] = [];
  const add = (size: number, position: number) => {
    const parent = open.at(-1);
    if (parent) parent.size += size;
    if (size > MAX_EXPANDED_NODES) YAMLException.throwAt(text, position, "alias expansion is too large");
  };
  for (const event of events) {
    if (event.type === EVENT_ID.DOCUMENT) anchored.clear();
    else if (event.type === EVENT_ID.MAPPING || event.type === EVENT_ID.SEQUENCE) {
      const anchor = event.anchorStart >= 0 ? text.slice(event.anchorStart, event.anchorEnd) : undefined;
      open.push(
        anchor === undefined ? { size: 1, start: event.start } : { size: 1, start: event.start, anchor },
      );
    } else if (event.type === EVENT_ID.SCALAR) {
      if (event.anchorStart >= 0) anchored.set(text.slice(event.anchorStart, event.anchorEnd), 1);
      add(1, event.valueStart);
    } else if (event.type === EVENT_ID.ALIAS) {
      add(anchored.get(text.slice(event.anchorStart, event.anchorEnd)) ?? 1, event.anchorStart);
    } else {
      const closed = open.pop();
      if (!closed) continue;
      if (closed.anchor !== undefined) anchored.set(closed.anchor, closed.size);
      add(closed.size, closed.start);
    }
  }
}

function subtreeEnds(events: Event[]): Int32Array {
  const ends = new Int32Array(events.length);
  const open: number[] = [];
  events.forEach((event, index) => {
    if (event.type === EVENT_ID.POP) {
      const start = open.pop();
      if (start !== undefined) ends[start] = index + 1;
      ends[index] = index + 1;
    } else if (event.type === EVENT_ID.SCALAR || event.type === EVENT_ID.ALIAS) {
      ends[index] = index + 1;
    } else {
      open.push(index);
    }
  });
  return ends;
}

function closingBracket(text: string, from: number): number | undefined {
  for (let i = from; i < text.length; i++) {
    const char = text[i];
    if (char === "#") i = text.indexOf("\n", i) === -1 ? text.length : text.indexOf("\n", i);
    else if (char === "]" || char === "}") return i + 1;
  }
  return undefined;
}

function scalarStyle(style: number): ScalarStyle {
  switch (style) {
    case SCALAR_STYLE.SINGLE_QUOTED:
      return "single";
    case SCALAR_STYLE.DOUBLE_QUOTED:
      return "double";
    case SCALAR_STYLE.LITERAL_BLOCK:
      return "literal";
    case SCALAR_STYLE.FOLDED_BLOCK:
      return "folded";
    default:
      return "plain";
  }
}
