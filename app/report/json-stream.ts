/** Characters gathered before one write: a 30,000-resource report takes a few hundred writes, not 30,000. */
const CHUNK = 1 << 16;

/**
 * Writes one JSON object member by member, as it is built: small members indented as
 * `JSON.stringify(…, null, 2)` would, the items of large arrays one per line, so that a report of
 * 30,000 resources never exists as one string.
 */
export class JsonStream {
  readonly #write: (chunk: string) => void;
  #pending: string[] = [];
  #size = 0;
  #members = 0;

  constructor(write: (chunk: string) => void) {
    this.#write = write;
    this.#push("{");
  }

  /** A member, indented; an undefined value leaves it out. */
  member(key: string, value: unknown): void {
    if (value === undefined) return;
    const text = JSON.stringify(value, null, 2).replaceAll("\n", "\n  ");
    this.#push(`${this.#key(key)}${text}`);
  }

  /** An array member written item by item, each on a line of its own. */
  items<T>(key: string, items: Iterable<T>, json: (item: T) => unknown): void {
    this.#push(`${this.#key(key)}[`);
    let count = 0;
    for (const item of items) this.#push(`${count++ ? "," : ""}\n    ${JSON.stringify(json(item))}`);
    this.#push(count ? "\n  ]" : "]");
  }

  /** Closes the object and writes what is left. */
  end(): void {
    this.#push("\n}\n");
    this.#flush();
  }

  #key(key: string): string {
    return `${this.#members++ ? "," : ""}\n  ${JSON.stringify(key)}: `;
  }

  #push(text: string): void {
    this.#pending.push(text);
    this.#size += text.length;
    if (this.#size >= CHUNK) this.#flush();
  }

  #flush(): void {
    if (this.#pending.length === 0) return;
    this.#write(this.#pending.join(""));
    this.#pending = [];
    this.#size = 0;
  }
}
