import type { Cloud } from "../../config/environment-settings.ts";
import {
  type CatalogManifest,
  catalogDir,
  catalogFolders,
  readManifest,
  readTable,
  stampOf,
} from "./catalog-files.ts";
import { lookupPrice, type Price, type PriceMiss, type PriceTable } from "./price-table.ts";
import { registerSource } from "./sources.ts";
import { lazy } from "./table.ts";
import { bundledTable, indexed, lookupKey, type TableId, tableSpec } from "./tables.ts";

/**
 * Which catalog answers a lookup: the freshest valid refreshed catalog of the table's cloud first,
 * the bundled one second. Every answer names the catalog it came from. A region the tables do not
 * price stays unpriced: no other region's price stands in for it.
 */
type Refreshed = { folder: string; manifest: CatalogManifest; tables: Map<TableId, PriceTable | null> };

let active = new Map<Cloud, Refreshed | null>();
/** Catalogs found unusable (invalid manifest or table), for the logs. */
const skipped = new Set<string>();

const bundled = new Map<TableId, () => PriceTable>();

function bundledOf(id: TableId): PriceTable {
  let load = bundled.get(id);
  if (!load) {
    load = lazy(() => bundledTable(id));
    bundled.set(id, load);
  }
  return load();
}

function refreshedCatalog(cloud: Cloud): Refreshed | null {
  let catalog = active.get(cloud);
  if (catalog !== undefined) return catalog;
  catalog = null;
  for (const folder of catalogFolders(catalogDir(), cloud)) {
    const manifest = readManifest(folder);
    if ("error" in manifest) {
      skipped.add(manifest.error);
      continue;
    }
    catalog = { folder, manifest, tables: new Map() };
    break;
  }
  active.set(cloud, catalog);
  return catalog;
}

/** The source id a refreshed table is cited by: its table id and the catalog's retrieval time. */
export function refreshedSourceId(id: TableId, retrievedAt: string): string {
  return `${id}@${stampOf(retrievedAt)}`;
}

function refreshedTable(id: TableId): PriceTable | undefined {
  const catalog = refreshedCatalog(tableSpec(id).cloud);
  if (!catalog) return undefined;
  const cached = catalog.tables.get(id);
  if (cached !== undefined) return cached ?? undefined;
  const entry = catalog.manifest.tables.find((t) => t.id === id);
  const data = entry ? readTable(catalog.folder, id) : undefined;
  if (!entry || !data || "error" in data) {
    if (data && "error" in data) skipped.add(data.error);
    catalog.tables.set(id, null);
    return undefined;
  }
  const sourceId = refreshedSourceId(id, entry.retrievedAt);
  registerSource({
    id: sourceId,
    file: `${id}.json`, // the folder stays on this machine: reports are posted to pull requests
    title: entry.title,
    origin: entry.origin,
    asOf: entry.asOf,
    licence: entry.licence,
    catalog: "refreshed",
    url: entry.url,
    retrievedAt: entry.retrievedAt,
  });
  const table = indexed(id, { ...data, id: sourceId });
  catalog.tables.set(id, table);
  return table;
}

/** The tables a lookup tries, in order: refreshed (if any), then bundled. */
export function tablesFor(id: TableId): PriceTable[] {
  const refreshed = refreshedTable(id);
  return refreshed ? [refreshed, bundledOf(id)] : [bundledOf(id)];
}

/** The price of a row in a region from the first table that has it; else what is missing, and where. */
export function findPrice(id: TableId, region: string, key: readonly string[]): Price | PriceMiss {
  const lookup = lookupKey(id, key);
  let miss: PriceMiss | undefined;
  for (const table of tablesFor(id)) {
    const found = lookupPrice(table, region, lookup);
    if ("usdPerUnit" in found) return found;
    if (!miss || (miss.missing === "key" && found.missing === "region")) miss = found;
  }
  return miss as PriceMiss;
}

/** The price of a row in a region, or undefined when no catalog has it. */
export function priced(id: TableId, region: string, key: readonly string[]): Price | undefined {
  const found = findPrice(id, region, key);
  return "missing" in found ? undefined : found;
}

/** The attributes (vCPUs, memory, …) of a row, from the first table that lists it. */
export function findAttributes(
  id: TableId,
  key: readonly string[],
): Record<string, string | number> | undefined {
  const lookup = lookupKey(id, key);
  for (const table of tablesFor(id)) {
    const row = table.rows.get(lookup);
    if (row) return row.attributes;
  }
  return undefined;
}

/** Forgets the catalogs read so far: the next lookup reads the freshest (the App calls it between reviews). */
export function reloadCatalogs(): void {
  active = new Map();
}

/** Refreshed catalogs (or tables) that were found unusable and skipped. */
export function skippedCatalogs(): string[] {
  return [...skipped];
}
