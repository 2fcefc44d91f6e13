import {
  boolCoreTag,
  COLLECTION_STYLE,
  CORE_SCHEMA,
  constructFromEvents,
  EVENT_ID,
  type Event,
  floatCoreTag,
  intCoreTag,
  mergeTag,
  NOT_RESOLVED,
  nullCoreTag,
  parseEvents,
  SCALAR_STYLE,
  YAMLException,
} from "js-yaml";
import type { Span } from "../../model/span.ts";
import { LocatedSyntaxError } from "../syntax-error.ts";
import { EventTable } from "./event-table.ts";
import { templateRefused } from "./go-template.ts";
import { LineIndex } from "./line-index.ts";
import { simpleEvents } from "./simple-events.ts";
import { unclosedAt } from "./unclosed.ts";

/** Kubernetes tooling accepts merge keys (`<<: *anchor`), so we do too. */
const SCHEMA = CORE_SCHEMA.withTags(mergeTag);
/** The YAML 1.2 core schema's implicit types of a plain scalar, in resolution order. */
const PLAIN_TAGS = [nullCoreTag, boolCoreTag, intCoreTag, floatCoreTag];
/** js-yaml's reasons for what an unclosed quoted string or flow collection makes of the lines after it. */
const UNCLOSED_SYMPTOMS =
  /^(?:deficient indentation|unexpected end of the (?:stream|document) within a|missed comma between flow collection entries|end of the stream or a document separator is expected)/;
/** js-yaml's reason when a document nests deeper than MAX_DEPTH. */
const TOO_DEEP = /^nesting exceeded maxDepth/;
/** Bounds that refuse alias bombs and pathological nesting. */
const MAX_DEPTH = 64;
const MAX_ALIASES = 1_000;
/** Nodes a document may have once its aliases are expanded (a "billion laughs" has 10^9). */
const MAX_EXPANDED_NODES = 1_000_000;
const DOCUMENT_START: Event = {
  type: EVENT_ID.DOCUMENT,
  explicitStart: false,
  explicitEnd: false,
  directives: [],
};
const POP: Event = { type: EVENT_ID.POP };
const NO_ALIASES: ReadonlyMap<number, number> = new Map();
/** What {@link YamlFile.construct} leaves to js-yaml. */
const UNBUILT = Symbol("unbuilt");
const OWN = { enumerable: true, configurable: true, writable: true };
/** Plain scalars that may resolve to something other than a string (a number, null, a boolean). */
const MAY_NOT_BE_STRING = /^(?:$|[-+.~0-9]|(?:null|Null|NULL|true|True|TRUE|false|False|FALSE)$)/;

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

/** A file that is not YAML GreenOps reads: "invalid YAML: <reason>" unless its problem says more. */
export class YamlSyntaxError extends LocatedSyntaxError {
  constructor(reason: string, line: number, column: number, problem = `invalid YAML: ${reason}`) {
    super(reason, line, column, problem);
  }
}

/**
 * What a YamlFile found in its text: the events, where each subtree ends, where each document starts
 * and what each alias refers to. A later YamlFile of the same text (a fix's edit) starts from it,
 * neither scanning nor checking the text again.
 */
export type Scan = {
  readonly events: EventTable;
  readonly ends: Int32Array;
  readonly documents: readonly number[];
  readonly aliases: ReadonlyMap<number, number>;
  readonly lines: LineIndex;
};

/** A node found at a path: its event, its key's event (mapping values), whether a merge was crossed. */
export type FoundNode = { value: number; key?: number; viaMerge: boolean };

/**
 * A parsed multi-document YAML file whose every node can be located in the source text. Values are
 * built lazily, only for the parts that are read: the events alone say where everything is.
 */
export class YamlFile {
  readonly file: string;
  readonly text: string;
  readonly documents: YamlDocument[] = [];
  readonly lines: LineIndex;
  readonly #events: EventTable;
  readonly #ends: Int32Array;
  /** Alias event → the event of the anchor it refers to. */
  #aliases: ReadonlyMap<number, number> = NO_ALIASES;
  /** Whether any document has directives (`%TAG`), which building a part of it must keep. */
  readonly #directives: boolean;
  #scan: Scan | undefined;

  /** `scan`: what a YamlFile of this very text found (see {@link YamlFile.scan}). */
  constructor(file: string, text: string, scan?: Scan) {
    this.file = file;
    this.text = text;
    this.lines = scan?.lines ?? new LineIndex(text);
    if (scan) {
      this.#events = scan.events;
      this.#directives = scan.events.hasDirectives();
      this.#ends = scan.ends;
      this.#aliases = scan.aliases;
      for (const eventIndex of scan.documents) {
        this.documents.push(new YamlDocument(this, this.documents.length, eventIndex));
      }
      this.#scan = scan;
      return;
    }
    try {
      this.#events =
        simpleEvents(text) ?? EventTable.from(parseEvents(text, { filename: file, maxDepth: MAX_DEPTH }));
      this.#directives = this.#events.hasDirectives();
      const unusual = new Set<number>();
      this.#ends = this.#index(unusual);
      // Values are built lazily; documents whose building may fail (tags, merge keys, complex keys)
      // are built now, so that every error is a syntax error of the file, found here.
      for (const document of unusual) void this.documents[document]?.value;
    } catch (error) {
      if (!(error instanceof YAMLException)) throw error;
      const template = text.includes("{{") ? templateRefused(text, this.lines, parses) : undefined;
      if (template)
        throw new YamlSyntaxError(template.problem, template.line, template.column, template.problem);
      const { line = 0, column = 0, position = 0 } = error.mark ?? {};
      // A forgotten closing quote or bracket is found a line later, as "deficient indentation".
      const unclosed = UNCLOSED_SYMPTOMS.test(error.reason) ? unclosedAt(text, position) : undefined;
      if (unclosed) throw new YamlSyntaxError(unclosed.reason, unclosed.line, unclosed.column);
      if (TOO_DEEP.test(error.reason)) throw tooDeep(line + 1, column + 1);
      throw new YamlSyntaxError(plainReason(error.reason), line + 1, column + 1);
    }
  }

  /**
   * One pass over the events: where each subtree ends, and the duplicate keys js-yaml's constructor
   * (and Kubernetes' strict decoding) would refuse. Aliases, when there are any, get a second pass.
   * `unusual` receives the documents with tags, merge keys or keys that are not scalars.
   */
  #index(unusual: Set<number>): Int32Array {
    const events = this.#events;
    const ends = new Int32Array(events.length);
    const open: number[] = [];
    const keys: (Set<string> | undefined)[] = [];
    /** One set per depth, emptied for each mapping: mappings at one depth never overlap. */
    const keySets: Set<string>[] = [];
    const expectKey: boolean[] = [];
    const properties = events.hasProperties();
    let aliases = false;
    for (let i = 0; i < events.length; i++) {
      const type = events.type(i);
      ends[i] = i + 1;
      const depth = open.length - 1;
      if (type === EVENT_ID.POP) {
        const start = open.pop();
        if (start !== undefined) ends[start] = i + 1;
        keys.pop();
        expectKey.pop();
        if (keys[depth - 1] !== undefined) expectKey[depth - 1] = !expectKey[depth - 1];
        continue;
      }
      const siblings = keys[depth];
      const isKey = siblings !== undefined && expectKey[depth];
      if (isKey && type === EVENT_ID.SCALAR) {
        if (this.#checkKey(siblings, i)) unusual.add(this.documents.length - 1);
      } else if (isKey || (properties && events.tagStart(i) >= 0)) {
        unusual.add(this.documents.length - 1);
      }
      if (type === EVENT_ID.DOCUMENT) {
        this.documents.push(new YamlDocument(this, this.documents.length, i));
      } else if (type !== EVENT_ID.MAPPING && type !== EVENT_ID.SEQUENCE) {
        aliases ||= type === EVENT_ID.ALIAS;
        if (siblings !== undefined) expectKey[depth] = !expectKey[depth];
        continue;
      }
      open.push(i);
      keys.push(type === EVENT_ID.MAPPING ? emptied(keySets, open.length) : undefined);
      expectKey.push(true);
    }
    if (aliases) this.#resolveAliases();
    return ends;
  }

  /** Refuses a key met before in its mapping; true when the key is unusual (tagged, or a merge key). */
  #checkKey(siblings: Set<string>, index: number): boolean {
    const events = this.#events;
    const text = events.scalarText(this.text, index);
    if (events.tagStart(index) >= 0 || text === "<<") return true;
    // Keys are compared as js-yaml's constructor compares them: `1` and `0x1` are one key.
    const key =
      events.style(index) === SCALAR_STYLE.PLAIN && MAY_NOT_BE_STRING.test(text)
        ? String(this.scalarValue(index))
        : text;
    if (siblings.has(key))
      YAMLException.throwAt(
        this.text,
        this.extent(index)[0],
        `duplicated mapping key ${JSON.stringify(text)}`,
      );
    siblings.add(key);
    return false;
  }

  /** What each alias refers to, and the size of every document once its aliases are expanded. */
  #resolveAliases(): void {
    const events = this.#events;
    const aliases = new Map<number, number>();
    this.#aliases = aliases;
    const open: { index: number; at: number; size: number }[] = [];
    let anchors = new Map<string, { index: number; size: number }>();
    let count = 0;
    const grow = (size: number, at: number) => {
      const parent = open.at(-1);
      if (!parent) return;
      parent.size += size;
      if (parent.size > MAX_EXPANDED_NODES)
        YAMLException.throwAt(this.text, at, "alias expansion is too large");
    };
    const named = (index: number) => this.text.slice(events.anchorStart(index), events.anchorEnd(index));
    for (let index = 0; index < events.length; index++) {
      const type = events.type(index);
      if (type === EVENT_ID.DOCUMENT) {
        [anchors, count] = [new Map(), 0];
        open.push({ index, at: 0, size: 0 });
      } else if (type === EVENT_ID.MAPPING || type === EVENT_ID.SEQUENCE) {
        open.push({ index, at: events.start(index), size: 1 });
      } else if (type === EVENT_ID.SCALAR) {
        if (events.anchorStart(index) >= 0) anchors.set(named(index), { index, size: 1 });
        grow(1, events.start(index));
      } else if (type === EVENT_ID.ALIAS) {
        const at = events.start(index);
        if (++count > MAX_ALIASES) YAMLException.throwAt(this.text, at, "too many aliases");
        const target = anchors.get(this.text.slice(at, events.end(index)));
        if (!target) YAMLException.throwAt(this.text, at, "unidentified alias");
        aliases.set(index, target.index);
        grow(target.size, at);
      } else {
        const closed = open.pop();
        if (!closed || events.type(closed.index) === EVENT_ID.DOCUMENT) continue;
        if (events.anchorStart(closed.index) >= 0)
          anchors.set(named(closed.index), { index: closed.index, size: closed.size });
        grow(closed.size, closed.at);
      }
    }
  }

  /** What this file found in its text: a later YamlFile of the same text may start from it. */
  get scan(): Scan {
    this.#scan ??= {
      events: this.#events,
      ends: this.#ends,
      documents: this.documents.map((document) => document.eventIndex),
      aliases: this.#aliases,
      lines: this.lines,
    };
    return this.#scan;
  }

  /** Index of the event just after the subtree that starts at `index`. */
  end(index: number): number {
    return this.#ends[index] ?? index + 1;
  }

  /** The type (an EVENT_ID) of the event at `index`; 0 past the last. */
  type(index: number): number {
    return this.#events.type(index);
  }

  hasTag(index: number): boolean {
    return this.#events.tagStart(index) >= 0;
  }

  /** Whether the collection at `index` is written in flow style (`{...}`, `[...]`). */
  isFlow(index: number): boolean {
    return this.#events.style(index) === COLLECTION_STYLE.FLOW;
  }

  /** The anchored node an alias refers to (itself for any other node). */
  target(index: number): number {
    return this.#aliases.size === 0 ? index : (this.#aliases.get(index) ?? index);
  }

  scalarText(index: number): string | undefined {
    return this.type(index) === EVENT_ID.SCALAR ? this.#events.scalarText(this.text, index) : undefined;
  }

  /** Whether the node at `index` is a scalar whose text is `text` (without building the text). */
  scalarIs(index: number, text: string): boolean {
    return this.type(index) === EVENT_ID.SCALAR && this.#events.scalarIs(this.text, index, text);
  }

  scalarStyle(index: number): ScalarStyle {
    return scalarStyle(this.#events.style(index));
  }

  /** The value of a scalar as the YAML 1.2 core schema types it. */
  scalarValue(index: number): unknown {
    const events = this.#events;
    if (events.type(index) !== EVENT_ID.SCALAR) return undefined;
    if (events.tagStart(index) >= 0) return this.construct(index);
    const text = events.scalarText(this.text, index);
    if (events.style(index) !== SCALAR_STYLE.PLAIN || !MAY_NOT_BE_STRING.test(text)) return text;
    for (const tag of PLAIN_TAGS) {
      const value = tag.resolve(text, false, tag.tagName);
      if (value !== NOT_RESOLVED) return value;
    }
    return text;
  }

  /**
   * The JavaScript value of the subtree at `index`, as js-yaml's constructor builds it: read from the
   * table when the file has no tags, anchors or aliases and the subtree no merge key or collection as a
   * key (what manifests are made of), else by js-yaml's constructor itself.
   */
  construct(index: number): unknown {
    if (!this.#events.hasProperties() && this.#aliases.size === 0) {
      const value = this.#build(index);
      if (value !== UNBUILT) return value;
    }
    const events = this.#events.events(index, this.end(index));
    const start = this.#directives ? this.#documentEvent(index) : DOCUMENT_START;
    return constructFromEvents([start, ...events, POP], { source: this.text, schema: SCHEMA })[0];
  }

  /** The untagged subtree at `index` as js-yaml's core-schema constructor makes it; UNBUILT if it cannot. */
  #build(index: number): unknown {
    const type = this.type(index);
    if (type === EVENT_ID.SCALAR) return this.scalarIs(index, "<<") ? UNBUILT : this.scalarValue(index);
    const end = this.end(index) - 1;
    if (type === EVENT_ID.SEQUENCE) {
      const items: unknown[] = [];
      for (let item = index + 1; item < end; item = this.end(item)) {
        const value = this.#build(item);
        if (value === UNBUILT) return UNBUILT;
        items.push(value);
      }
      return items;
    }
    if (type !== EVENT_ID.MAPPING) return UNBUILT;
    const mapping: Record<string, unknown> = {};
    for (let key = index + 1; key < end; key = this.end(this.end(key))) {
      const name = this.type(key) === EVENT_ID.SCALAR ? this.#build(key) : UNBUILT;
      const value = name === UNBUILT ? UNBUILT : this.#build(this.end(key));
      if (value === UNBUILT) return UNBUILT;
      // As js-yaml's map tag stores a pair: keys are strings, and "__proto__" is an own property.
      const property = String(name);
      if (property === "__proto__") Object.defineProperty(mapping, property, { ...OWN, value });
      else mapping[property] = value;
    }
    return mapping;
  }

  /** The document event above `index`: its `%TAG` directives say what tag handles mean. */
  #documentEvent(index: number): Event {
    let found = DOCUMENT_START;
    for (const document of this.documents) {
      if (document.eventIndex > index) break;
      found = this.#events.event(document.eventIndex);
    }
    return found;
  }

  /** True when the subtree at `index` refers to anchors, so only the whole document can build it. */
  usesAliases(index: number): boolean {
    if (this.#aliases.size === 0) return false;
    for (let i = index; i < this.end(index); i++) if (this.type(i) === EVENT_ID.ALIAS) return true;
    return false;
  }

  /**
   * Whether the node at `index` is, or lies inside, a node an alias refers to (`a: &x …` with `*x`
   * elsewhere): editing it edits what the alias reads too. A subtree's events follow its own.
   */
  #aliased(index: number): boolean {
    if (this.#aliases.size === 0) return false;
    for (const anchor of this.#aliases.values()) if (anchor <= index && index < this.end(anchor)) return true;
    return false;
  }

  /** Where a node found at a path is written, and how. */
  describe({ value: index, key, viaMerge }: FoundNode): LocatedNode | undefined {
    const target = this.target(index);
    const kind = nodeKind(this.type(target));
    if (!kind) return undefined;
    const [start, end] = this.extent(target);
    const located: LocatedNode = {
      kind,
      value: this.lines.span(this.file, start, end),
      viaAlias: viaMerge || target !== index || this.#aliased(target),
    };
    if (key !== undefined) {
      const [keyStart, keyEnd] = this.extent(key);
      located.key = this.lines.span(this.file, keyStart, keyEnd);
    }
    if (kind === "scalar") {
      located.style = this.scalarStyle(target);
      located.text = this.scalarText(target);
    } else {
      located.flow = this.isFlow(target);
    }
    return located;
  }

  /** What a node found at a path is, without where: `undefined` for what is not a node. */
  kindOf(found: FoundNode): LocatedNode["kind"] | undefined {
    return nodeKind(this.type(this.target(found.value)));
  }

  /** Offsets of the text of the node at `index` (aliases: the `*name` token). */
  extent(index: number): [number, number] {
    return [this.#textStart(index), this.#textEnd(index)];
  }

  #textStart(index: number): number {
    const start = this.#events.start(index);
    switch (this.type(index)) {
      case EVENT_ID.SCALAR:
        if (start < 0) return this.#emptyScalarAt(index);
        return this.#quoted(index) ? start - 1 : start;
      case EVENT_ID.ALIAS:
        return start - 1;
      case EVENT_ID.MAPPING:
      case EVENT_ID.SEQUENCE:
        return start;
      default:
        return 0;
    }
  }

  #textEnd(index: number): number {
    switch (this.type(index)) {
      case EVENT_ID.SCALAR:
        if (this.#events.start(index) < 0) return this.#emptyScalarAt(index);
        return this.#events.end(index) + (this.#quoted(index) ? 1 : 0);
      case EVENT_ID.ALIAS:
        return this.#events.end(index);
      case EVENT_ID.MAPPING:
      case EVENT_ID.SEQUENCE:
        return this.#collectionEnd(index);
      default:
        return 0;
    }
  }

  #quoted(index: number): boolean {
    const style = this.#events.style(index);
    return style === SCALAR_STYLE.SINGLE_QUOTED || style === SCALAR_STYLE.DOUBLE_QUOTED;
  }

  /** An empty scalar (`key:` with no value) sits, with no width, where the node before it ends. */
  #emptyScalarAt(index: number): number {
    const previous = this.type(index - 1);
    if (previous === EVENT_ID.SCALAR && this.#events.start(index - 1) >= 0) return this.#textEnd(index - 1);
    if (previous === EVENT_ID.MAPPING || previous === EVENT_ID.SEQUENCE) return this.#events.start(index - 1);
    return 0;
  }

  /**
   * Where a collection ends: at its last character (a flow collection's bracket included). Its children
   * follow each other in the text, so the last one ends last.
   */
  #collectionEnd(index: number): number {
    let end = this.#events.start(index) + 1;
    let last: number | undefined;
    for (let child = index + 1; child < this.end(index) - 1; child = this.end(child)) last = child;
    if (last !== undefined) end = Math.max(end, this.#textEnd(last));
    if (this.isFlow(index)) end = closingBracket(this.text, end) ?? end;
    return end;
  }
}

/** One document of a {@link YamlFile}. Paths are map keys and sequence indexes, as in the constructed value. */
export class YamlDocument {
  readonly yaml: YamlFile;
  readonly index: number;
  readonly eventIndex: number;
  /** Children already looked up (resources read many fields under the same parents); made on first use. */
  #children: Map<number, Map<string | number, FoundNode | undefined>> | undefined;
  /** Items of the sequences already looked into. */
  #sequences: Map<number, number[]> | undefined;
  #whole: { value: unknown } | undefined;

  constructor(yaml: YamlFile, index: number, eventIndex: number) {
    this.yaml = yaml;
    this.index = index;
    this.eventIndex = eventIndex;
  }

  /** The whole document's value (null when it is empty). */
  get value(): unknown {
    this.#whole ??= { value: this.#root() === undefined ? null : this.yaml.construct(this.eventIndex + 1) };
    return this.#whole.value;
  }

  /** The value at `path` as js-yaml would construct it, building only that part of the document. */
  valueAt(path: YamlPath): unknown {
    const found = this.find(path);
    if (!found) return undefined;
    const index = this.yaml.target(found.value);
    if (this.yaml.type(index) === EVENT_ID.SCALAR) return this.yaml.scalarValue(index);
    if (!found.viaMerge && !this.yaml.usesAliases(index)) return this.yaml.construct(index);
    let value: unknown = this.value;
    for (const segment of path) value = (value as Record<string | number, unknown> | undefined)?.[segment];
    return value;
  }

  /** What is at `path` without building it. */
  kindAt(path: YamlPath): LocatedNode["kind"] | undefined {
    const found = this.find(path);
    return found && this.yaml.kindOf(found);
  }

  /** Items of the sequence at `path` (0 when it is not a sequence). */
  count(path: YamlPath): number {
    const found = this.find(path);
    const index = found && this.yaml.target(found.value);
    if (index === undefined || this.yaml.type(index) !== EVENT_ID.SEQUENCE) return 0;
    return this.#items(index).length;
  }

  /**
   * Keys of the mapping at `path` as its value has them (`1` and `null` as strings), merge keys left
   * out and what they merge in; read from the events unless a merge key or a tagged key is involved.
   */
  keys(path: YamlPath): string[] {
    const found = this.find(path);
    if (!found) return [];
    const index = this.yaml.target(found.value);
    if (this.yaml.type(index) !== EVENT_ID.MAPPING) return [];
    const keys: string[] = [];
    for (let key = index + 1; key < this.yaml.end(index) - 1; key = this.yaml.end(this.yaml.end(key))) {
      if (this.yaml.type(key) !== EVENT_ID.SCALAR || this.yaml.hasTag(key) || this.yaml.scalarIs(key, "<<")) {
        const value = this.valueAt(path);
        return value && typeof value === "object" ? Object.keys(value) : [];
      }
      keys.push(String(this.yaml.scalarValue(key)));
    }
    return inPropertyOrder(keys);
  }

  /** The document's content range (from its first node to the end of its last). */
  span(): Span {
    const root = this.#root();
    const [start, end] = root === undefined ? [0, 0] : this.yaml.extent(root);
    return this.yaml.lines.span(this.yaml.file, start, end);
  }

  /** Finds the node at `path`, following aliases and merge keys. */
  locate(path: YamlPath): LocatedNode | undefined {
    const found = this.find(path);
    return found && this.yaml.describe(found);
  }

  #root(): number | undefined {
    const root = this.eventIndex + 1;
    return this.yaml.type(root) === EVENT_ID.POP ? undefined : root;
  }

  /** The node at `path`: the cached child itself (not to be changed) when nothing on the way was merged or aliased. */
  find(path: YamlPath): FoundNode | undefined {
    const root = this.#root();
    if (root === undefined) return undefined;
    let found: FoundNode = { value: root, viaMerge: false };
    let viaMerge = false;
    // An indexed loop: a cold for…of allocates an iterator result per segment, on every lookup.
    for (let i = 0; i < path.length; i++) {
      const resolved = this.yaml.target(found.value);
      viaMerge ||= resolved !== found.value;
      const child = this.#child(resolved, path[i] as string | number);
      if (!child) return undefined;
      found = child;
      viaMerge ||= child.viaMerge;
    }
    return viaMerge === found.viaMerge ? found : { ...found, viaMerge };
  }

  #child(index: number, segment: string | number): FoundNode | undefined {
    this.#children ??= new Map();
    let children = this.#children.get(index);
    if (!children) {
      children = new Map();
      this.#children.set(index, children);
    } else if (children.has(segment)) {
      return children.get(segment);
    }
    const child = this.#findChild(index, segment);
    children.set(segment, child);
    return child;
  }

  #findChild(index: number, segment: string | number): FoundNode | undefined {
    const { yaml } = this;
    const type = yaml.type(index);
    const end = yaml.end(index) - 1;
    if (type === EVENT_ID.SEQUENCE) {
      const item = typeof segment === "number" ? this.#items(index)[segment] : undefined;
      return item === undefined ? undefined : { value: item, viaMerge: false };
    }
    if (type !== EVENT_ID.MAPPING) return undefined;
    let merges: number[] | undefined;
    const wanted = typeof segment === "string" ? segment : String(segment);
    for (let keyIndex = index + 1; keyIndex < end; ) {
      const valueIndex = yaml.end(keyIndex);
      if (yaml.scalarIs(keyIndex, wanted)) return { value: valueIndex, key: keyIndex, viaMerge: false };
      if (yaml.scalarIs(keyIndex, "<<")) {
        merges ??= [];
        merges.push(valueIndex);
      }
      keyIndex = yaml.end(valueIndex);
    }
    return merges && this.#childFromMerges(merges, segment);
  }

  #childFromMerges(merges: number[], segment: string | number): FoundNode | undefined {
    for (const merge of merges) {
      const target = this.yaml.target(merge);
      const sources = this.yaml.type(target) === EVENT_ID.SEQUENCE ? this.#items(target) : [target];
      for (const source of sources) {
        const found = this.#child(this.yaml.target(source), segment);
        if (found) return { ...found, viaMerge: true };
      }
    }
    return undefined;
  }

  /** The events of a sequence's items, found once: a List of thousands is read item by item. */
  #items(index: number): readonly number[] {
    this.#sequences ??= new Map();
    let items = this.#sequences.get(index);
    if (items) return items;
    items = [];
    for (let child = index + 1; child < this.yaml.end(index) - 1; child = this.yaml.end(child))
      items.push(child);
    this.#sequences.set(index, items);
    return items;
  }
}

function emptied(sets: Set<string>[], depth: number): Set<string> {
  const set = sets[depth] ?? new Set<string>();
  sets[depth] = set;
  set.clear();
  return set;
}

/** Keys in the order an object lists them: integer keys first, ascending, then the others as written. */
function inPropertyOrder(keys: string[]): string[] {
  if (!keys.some(isIndex)) return keys;
  const indexes = keys.filter(isIndex).sort((a, b) => Number(a) - Number(b));
  return [...indexes, ...keys.filter((key) => !isIndex(key))];
}

/** A key an object lists first: an array index. */
function isIndex(key: string): boolean {
  return /^(?:0|[1-9]\d*)$/.test(key) && Number(key) < 2 ** 32 - 1;
}

function nodeKind(type: number): LocatedNode["kind"] | undefined {
  if (type === EVENT_ID.SCALAR) return "scalar";
  if (type === EVENT_ID.MAPPING) return "mapping";
  return type === EVENT_ID.SEQUENCE ? "sequence" : undefined;
}

/** Whether a text is YAML GreenOps reads (an unrendered template's text with its actions blanked out). */
function parses(text: string): boolean {
  try {
    new YamlFile("", text);
    return true;
  } catch (error) {
    if (error instanceof YamlSyntaxError) return false;
    throw error;
  }
}

/** The YAML is valid but nested beyond the bound GreenOps reads: not "invalid", too deep. */
function tooDeep(line: number, column: number): YamlSyntaxError {
  const reason = `nested deeper than ${MAX_DEPTH} levels, the most GreenOps reads (a bound against runaway files), exceeded at line ${line}, column ${column}`;
  return new YamlSyntaxError(reason, line, column, `YAML ${reason}`);
}

/** js-yaml's reason, with an unknown tag said in the user's terms. */
function plainReason(reason: string): string {
  const tag = /^unknown (?:scalar|sequence|mapping) tag !<(.+)>$/.exec(reason)?.[1];
  if (tag === undefined) return reason;
  return `unknown tag ${tag} (GreenOps reads YAML's core schema: another tool's tags, such as CloudFormation's !Ref, cannot be read)`;
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
