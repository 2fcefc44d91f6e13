/**
 * Cuts an AWS offer file, as its bytes arrive, into the JSON texts a refresh reads: the top-level
 * metadata strings, each member of `products` and each member of `terms.OnDemand` (one SKU each),
 * which JSON.parse then reads. Everything else (Reserved terms: half the file) is skipped by tracking
 * only strings and brackets. Only the offer file's outer structure is interpreted: what is inside a
 * member is JSON.parse's to check, and the scanner checks the rest is balanced and whole (a file cut
 * short, or with a stray bracket, is an error). Measured ~4× faster than a general streaming parser
 * on the same files (docs/design-notes.md).
 */
export type OfferMember = { section: "meta" | "products" | "onDemand"; key: string; json: string };

export class OfferScanError extends Error {}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_OBJECT = 0x7b;
const CLOSE_OBJECT = 0x7d;
const OPEN_ARRAY = 0x5b;
const CLOSE_ARRAY = 0x5d;
const COLON = 0x3a;
const COMMA = 0x2c;
const decoder = new TextDecoder();

type Cutting =
  | { kind: "key" }
  | { kind: "value"; section: OfferMember["section"]; key: string; depth: number };

export class OfferScanner {
  /** Open containers: true for an object, false for an array. */
  readonly #containers: boolean[] = [];
  /** The key of the open member at depths 1–3, where the structure matters. */
  readonly #keys: string[] = [];
  readonly #onMember: (member: OfferMember) => void;
  #inString = false;
  #escaped = false;
  #expectKey = false;
  #closed = false;
  /** What is being cut out: a key (depths 1–3) or a member's value, and its bytes so far. */
  #cutting: Cutting | undefined;
  #pieces: Uint8Array[] = [];
  #from = 0;
  /** Where the next backslash of the current chunk is (chunk length: none). */
  #slash = -1;

  constructor(onMember: (member: OfferMember) => void) {
    this.#onMember = onMember;
  }

  write(chunk: Uint8Array): void {
    this.#from = 0;
    this.#slash = -1;
    for (let i = 0; i < chunk.length; i++) {
      if (this.#inString) {
        i = this.#string(chunk, i);
        continue;
      }
      const byte = chunk[i] as number;
      if (byte <= 0x20) continue;
      if (this.#closed) throw new OfferScanError("text after the end of the document");
      if (byte === QUOTE) {
        this.#inString = true;
        if (this.#expectKey) {
          if (this.#containers.length <= 3 && !this.#cutting) this.#cut({ kind: "key" }, i);
        } else this.#startValue(i);
      } else if (byte === OPEN_OBJECT || byte === OPEN_ARRAY) {
        if (this.#expectKey) throw new OfferScanError("a member without a key");
        this.#startValue(i);
        this.#containers.push(byte === OPEN_OBJECT);
        this.#expectKey = byte === OPEN_OBJECT;
      } else if (byte === CLOSE_OBJECT || byte === CLOSE_ARRAY) {
        const open = this.#containers.pop();
        if (open === undefined || open !== (byte === CLOSE_OBJECT))
          throw new OfferScanError(`unexpected "${String.fromCharCode(byte)}"`);
        this.#expectKey = false;
        this.#endValue(chunk, i + 1);
        if (this.#containers.length === 0) this.#closed = true;
      } else if (byte === COMMA) this.#expectKey = this.#containers.at(-1) === true;
      else if (byte === COLON) this.#expectKey = false;
    }
    if (this.#cutting) this.#pieces.push(chunk.subarray(this.#from));
  }

  /** The document must have ended: a file cut short is an error. */
  end(): void {
    if (!this.#closed || this.#inString) throw new OfferScanError("the document ends before it is complete");
  }

  /** Inside a string at `i`: jumps to its closing quote (or the chunk's end); returns the last index read. */
  #string(chunk: Uint8Array, i: number): number {
    for (;;) {
      if (i >= chunk.length) return chunk.length; // an escape at a chunk's end applies to the next chunk
      if (this.#escaped) {
        this.#escaped = false;
        i++;
        continue;
      }
      const quote = chunk.indexOf(QUOTE, i);
      if (this.#slash < i) this.#slash = nextOr(chunk, BACKSLASH, i);
      if (quote < 0 && this.#slash >= chunk.length) return chunk.length;
      if (this.#slash < (quote < 0 ? chunk.length : quote)) {
        i = this.#slash + 1;
        this.#escaped = true;
        continue;
      }
      this.#inString = false;
      if (this.#cutting?.kind === "key") this.#endKey(chunk, quote + 1);
      else this.#endValue(chunk, quote + 1);
      return quote;
    }
  }

  #cut(what: Cutting, at: number): void {
    this.#cutting = what;
    this.#pieces = [];
    this.#from = at;
  }

  #take(chunk: Uint8Array, end: number): string {
    this.#pieces.push(chunk.subarray(this.#from, end));
    const pieces = this.#pieces;
    this.#cutting = undefined;
    this.#pieces = [];
    return decoder.decode(pieces.length === 1 ? pieces[0] : concat(pieces));
  }

  #endKey(chunk: Uint8Array, end: number): void {
    this.#keys[this.#containers.length] = JSON.parse(this.#take(chunk, end)) as string;
  }

  #startValue(at: number): void {
    if (this.#cutting) return;
    const depth = this.#containers.length;
    const [, first, second] = this.#keys;
    const section =
      depth === 1 && META.has(first ?? "")
        ? "meta"
        : depth === 2 && first === "products"
          ? "products"
          : depth === 3 && first === "terms" && second === "OnDemand"
            ? "onDemand"
            : undefined;
    if (section) this.#cut({ kind: "value", section, key: this.#keys[depth] ?? "", depth }, at);
  }

  #endValue(chunk: Uint8Array, end: number): void {
    const cutting = this.#cutting;
    if (cutting?.kind !== "value" || cutting.depth !== this.#containers.length) return;
    this.#onMember({ section: cutting.section, key: cutting.key, json: this.#take(chunk, end) });
  }
}

const META = new Set(["formatVersion", "offerCode", "version", "publicationDate"]);

function nextOr(chunk: Uint8Array, byte: number, from: number): number {
  const at = chunk.indexOf(byte, from);
  return at < 0 ? chunk.length : at;
}

function concat(pieces: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(pieces.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const piece of pieces) {
    out.set(piece, at);
    at += piece.length;
  }
  return out;
}
