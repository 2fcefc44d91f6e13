import { type DocumentDirective, EVENT_ID, type Event, getScalarValue, type ScalarEvent } from "js-yaml";

/**
 * Each event is three numbers of one Int32Array: its kind and layout packed, and two offsets. No object
 * per event for the garbage collector to trace; tags, anchors and directives, rare in manifests, are
 * kept aside. Packed: type (bits 0–2), style (3–5), chomping (6–7), fast (8), indent + 1 (9 on).
 */
const STRIDE = 3;
/** A scalar's valueStart, a collection's start, an alias' anchorStart, a document's explicitStart (0/1). */
const START = 1;
/** A scalar's valueEnd, an alias' anchorEnd, a document's explicitEnd (0/1). */
const END = 2;
const FAST = 1 << 8;
const NONE = -1;
const NO_PROPERTIES: Properties = { anchorStart: NONE, anchorEnd: NONE, tagStart: NONE, tagEnd: NONE };
const NO_DIRECTIVES: DocumentDirective[] = [];
const UNSEALED = new Int32Array(0);

type Properties = { anchorStart: number; anchorEnd: number; tagStart: number; tagEnd: number };

/**
 * Where a table is built: parsing is synchronous, so one table at a time. It grows with the largest
 * file read and is reused for every file.
 */
let building = new Int32Array(STRIDE * 4096);

/**
 * js-yaml's parse events of one text (see its `Event`), in columns. Built with the adding methods,
 * then sealed; only a sealed table is read. Building a table starts anew on a shared buffer: a table
 * must be sealed before the next one is built.
 */
export class EventTable {
  /** Empty until sealed. */
  #data = UNSEALED;
  length = 0;
  /** Tags and anchors of the events that have any, by event index. */
  #properties: Map<number, Properties> | undefined;
  /** Directives of the documents that have any, by event index. */
  #directives: Map<number, DocumentDirective[]> | undefined;

  static from(events: readonly Event[]): EventTable {
    const table = new EventTable();
    for (const event of events) table.add(event);
    return table.seal();
  }

  add(event: Event): void {
    if ("tagStart" in event && (event.tagStart >= 0 || event.anchorStart >= 0)) {
      const { anchorStart, anchorEnd, tagStart, tagEnd } = event;
      this.#properties ??= new Map();
      this.#properties.set(this.length, { anchorStart, anchorEnd, tagStart, tagEnd });
    }
    if (event.type === EVENT_ID.DOCUMENT) {
      if (event.directives.length > 0) {
        this.#directives ??= new Map();
        this.#directives.set(this.length, event.directives);
      }
      this.#push(EVENT_ID.DOCUMENT, Number(event.explicitStart), Number(event.explicitEnd));
    } else if (event.type === EVENT_ID.MAPPING || event.type === EVENT_ID.SEQUENCE) {
      this.collection(event.type, event.start, event.style);
    } else if (event.type === EVENT_ID.SCALAR) {
      const { valueStart, valueEnd, style, chomping, indent, fast } = event;
      this.scalar(valueStart, valueEnd, style, chomping, indent, fast);
    } else if (event.type === EVENT_ID.ALIAS) {
      this.#push(EVENT_ID.ALIAS, event.anchorStart, event.anchorEnd);
    } else {
      this.pop();
    }
  }

  document(explicitStart: boolean): void {
    this.#push(EVENT_ID.DOCUMENT, Number(explicitStart), 0);
  }

  collection(type: typeof EVENT_ID.MAPPING | typeof EVENT_ID.SEQUENCE, start: number, style: number): void {
    this.#push(type | (style << 3), start, NONE);
  }

  scalar(
    valueStart: number,
    valueEnd: number,
    style: number,
    chomping: number,
    indent: number,
    fast: boolean,
  ): void {
    const packed = EVENT_ID.SCALAR | (style << 3) | (chomping << 6) | (fast ? FAST : 0) | ((indent + 1) << 9);
    this.#push(packed, valueStart, valueEnd);
  }

  pop(): void {
    this.#push(EVENT_ID.POP, NONE, NONE);
  }

  /**
   * Ends the building: the table keeps a copy of its events, in an array of its own, so that it is
   * freed with its file (views of shared larger buffers kept them all until a full collection).
   */
  seal(): this {
    this.#data = building.slice(0, this.length * STRIDE);
    return this;
  }

  /** The event's type (an EVENT_ID); 0 past the last. */
  type(index: number): number {
    return index < this.length ? this.#packed(index) & 7 : 0;
  }

  /** A scalar's SCALAR_STYLE, a collection's COLLECTION_STYLE. */
  style(index: number): number {
    return (this.#packed(index) >> 3) & 7;
  }

  start(index: number): number {
    return this.#data[index * STRIDE + START] as number;
  }

  end(index: number): number {
    return this.#data[index * STRIDE + END] as number;
  }

  tagStart(index: number): number {
    return this.#properties?.get(index)?.tagStart ?? NONE;
  }

  anchorStart(index: number): number {
    return this.#properties?.get(index)?.anchorStart ?? NONE;
  }

  anchorEnd(index: number): number {
    return this.#properties?.get(index)?.anchorEnd ?? NONE;
  }

  /** Whether any event has a tag or an anchor. */
  hasProperties(): boolean {
    return this.#properties !== undefined;
  }

  hasDirectives(): boolean {
    return this.#directives !== undefined;
  }

  /** The decoded text of the scalar at `index`. */
  scalarText(source: string, index: number): string {
    const start = this.start(index);
    if (start < 0) return "";
    if (this.#fast(index)) return source.slice(start, this.end(index));
    return getScalarValue(source, this.event(index) as ScalarEvent);
  }

  /** Whether the decoded text of the scalar at `index` is `text`. */
  scalarIs(source: string, index: number, text: string): boolean {
    const start = this.start(index);
    if (start < 0 || !this.#fast(index)) return this.scalarText(source, index) === text;
    return this.end(index) - start === text.length && source.startsWith(text, start);
  }

  /** The event at `index` as js-yaml gives it. */
  event(index: number): Event {
    const packed = this.#packed(index);
    const [start, end] = [this.start(index), this.end(index)];
    const type = packed & 7;
    const style = (packed >> 3) & 7;
    const properties = this.#properties?.get(index) ?? NO_PROPERTIES;
    switch (type) {
      case EVENT_ID.DOCUMENT:
        return {
          type,
          explicitStart: start === 1,
          explicitEnd: end === 1,
          directives: this.#directives?.get(index) ?? NO_DIRECTIVES,
        };
      case EVENT_ID.MAPPING:
      case EVENT_ID.SEQUENCE:
        return { type, start, ...properties, style } as Event;
      case EVENT_ID.SCALAR: {
        const [chomping, fast, indent] = [(packed >> 6) & 3, this.#fast(index), (packed >> 9) - 1];
        return {
          type,
          valueStart: start,
          valueEnd: end,
          ...properties,
          style,
          chomping,
          indent,
          fast,
        } as Event;
      }
      case EVENT_ID.ALIAS:
        return { type, anchorStart: start, anchorEnd: end };
      default:
        return { type: EVENT_ID.POP };
    }
  }

  /** The events from `start` to before `end`, as js-yaml gives them. */
  events(start = 0, end = this.length): Event[] {
    const events: Event[] = [];
    for (let index = start; index < end; index++) events.push(this.event(index));
    return events;
  }

  #packed(index: number): number {
    return this.#data[index * STRIDE] as number;
  }

  /** Whether a scalar's decoded text is its source text (js-yaml's `fast`). */
  #fast(index: number): boolean {
    return (this.#packed(index) & FAST) !== 0;
  }

  #push(packed: number, start: number, end: number): void {
    const base = this.length++ * STRIDE;
    if (base + STRIDE > building.length) {
      const grown = new Int32Array(building.length * 2);
      grown.set(building);
      building = grown;
    }
    building[base] = packed;
    building[base + START] = start;
    building[base + END] = end;
  }
}
