/**
 * The webhook deliveries seen lately, by `X-GitHub-Delivery` id: a redelivery keeps its id, so it is
 * recognised and does no work twice. Bounded: the oldest ids are forgotten first.
 */
export class Deliveries {
  readonly #seen = new Set<string>();
  readonly #max: number;

  constructor(max: number) {
    this.#max = max;
  }

  /** True when this id was seen before; records it otherwise. */
  seen(id: string): boolean {
    if (this.#seen.has(id)) return true;
    this.#seen.add(id);
    if (this.#seen.size > this.#max) {
      const oldest = this.#seen.values().next().value;
      if (oldest !== undefined) this.#seen.delete(oldest);
    }
    return false;
  }
}
