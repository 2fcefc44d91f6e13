/**
 * The one catalog format every price list becomes, bundled or refreshed: a table of rows, each
 * identified by its key columns (an instance type; an engine, class, deployment and component),
 * with descriptive attributes (vCPUs, memory) and one price per region. Lookups are two map reads.
 */

/** A table as written to disk: rows are [...keys, ...attributes, ...one price per region (null: none)]. */
export type TableData = {
  id: string;
  keys: string[];
  attributes: string[];
  regions: string[];
  rows: (string | number | null)[][];
};

export type TableRow = { attributes: Record<string, string | number>; prices: (number | null)[] };

export type PriceTable = {
  /** The source id of the catalog the table came from (what a report cites). */
  id: string;
  regions: ReadonlyMap<string, number>;
  rows: ReadonlyMap<string, TableRow>;
};

export type Price = { usdPerUnit: number; source: string };
export type PriceMiss = { missing: "key" | "region"; source: string };

export function rowKey(parts: readonly string[]): string {
  return parts.join("\u0000");
}

/** Indexes a table's rows by key and its regions by name. */
export function indexTable(data: TableData, normalizeKey: (key: string) => string = (k) => k): PriceTable {
  const width = data.keys.length + data.attributes.length;
  const rows = new Map<string, TableRow>();
  for (const cells of data.rows) {
    const attributes: Record<string, string | number> = {};
    data.attributes.forEach((name, i) => {
      const value = cells[data.keys.length + i];
      if (value !== null && value !== undefined) attributes[name] = value;
    });
    const key = normalizeKey(rowKey(cells.slice(0, data.keys.length).map(String)));
    rows.set(key, { attributes, prices: cells.slice(width) as (number | null)[] });
  }
  return { id: data.id, regions: new Map(data.regions.map((region, i) => [region, i])), rows };
}

/** The price of one row in one region, or which of the two the table lacks. */
export function lookupPrice(table: PriceTable, region: string, key: string): Price | PriceMiss {
  const row = table.rows.get(key);
  if (!row) return { missing: "key", source: table.id };
  const column = table.regions.get(region);
  const price = column === undefined ? undefined : row.prices[column];
  if (typeof price !== "number") return { missing: "region", source: table.id };
  return { usdPerUnit: price, source: table.id };
}

/**
 * Rows keyed by their key columns, prices collected per region: how a price list read row by row
 * (a CSV with a region column, an offer file per region) becomes a table.
 */
export class TableBuilder {
  readonly #rows = new Map<string, { cells: (string | number | null)[]; prices: Map<string, number> }>();
  readonly #regions = new Set<string>();
  readonly id: string;
  readonly keys: string[];
  readonly attributes: string[];

  constructor(id: string, keys: string[], attributes: string[] = []) {
    this.id = id;
    this.keys = keys;
    this.attributes = attributes;
  }

  /** Adds a price; the first price of a key in a region wins (duplicates are reported by the caller). */
  add(
    keys: string[],
    region: string,
    price: number,
    attributes: Record<string, string | number> = {},
  ): boolean {
    const row = this.row(keys, attributes);
    this.#regions.add(region);
    if (row.prices.has(region)) return false;
    row.prices.set(region, price);
    return true;
  }

  /** The row of a key, created with its attributes if new (a type listed without any price is still known). */
  row(keys: string[], attributes: Record<string, string | number> = {}) {
    const key = rowKey(keys);
    let row = this.#rows.get(key);
    if (!row) {
      row = { cells: [...keys, ...this.attributes.map((a) => attributes[a] ?? null)], prices: new Map() };
      this.#rows.set(key, row);
    }
    return row;
  }

  /** Declares a region covered even if it priced nothing (so its absence of prices is known). */
  cover(region: string): void {
    this.#regions.add(region);
  }

  get size(): number {
    return this.#rows.size;
  }

  data(): TableData {
    const regions = [...this.#regions].sort();
    const rows = [...this.#rows.entries()]
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([, row]) => [...row.cells, ...regions.map((r) => row.prices.get(r) ?? null)]);
    return { id: this.id, keys: this.keys, attributes: this.attributes, regions, rows };
  }
}
