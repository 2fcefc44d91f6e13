import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import { Ajv, type ErrorObject, type ValidateFunction } from "ajv";
import { PATTERN_ERROR_MESSAGE, patternProblem } from "../../config/ajv.ts";
import { CLOUDS, type Cloud } from "../../config/environment-settings.ts";
import type { TableData } from "./price-table.ts";
import { PRICE_TABLES, type TableId } from "./tables.ts";

/**
 * Refreshed catalogs on disk: `<dir>/<cloud>/<stamp>/manifest.json` beside one `<table>.json` per
 * price table. A catalog is written into a temporary folder and renamed into place, so a reader sees
 * a whole catalog or none; the freshest folder whose manifest is valid is the one used.
 */
export type CatalogTable = {
  id: TableId;
  title: string;
  /** What the prices were read from: the price list, its version and publication. */
  origin: string;
  /** The date of the prices (the price list's publication date). */
  asOf: string;
  licence: string;
  url: string;
  /** When this table was downloaded (a catalog carries over tables a partial refresh did not read). */
  retrievedAt: string;
  regions: number;
  rows: number;
};

export type CatalogManifest = {
  format: "greenops-catalog/1";
  cloud: Cloud;
  retrievedAt: string;
  tables: CatalogTable[];
};

const day = {
  type: "string",
  pattern: "^\\d{4}-\\d{2}-\\d{2}$",
  patternErrorMessage: "must be a date, year-month-day (2026-12-01)",
};
const text = { type: "string", minLength: 1 };

const instant = {
  type: "string",
  pattern: "^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d+)?Z$",
  patternErrorMessage: "must be a UTC time (2026-12-01T10:00:00Z)",
};

const MANIFEST_SCHEMA = {
  type: "object",
  properties: {
    format: { const: "greenops-catalog/1" },
    cloud: { enum: [...CLOUDS] },
    retrievedAt: instant,
    tables: {
      type: "array",
      items: {
        type: "object",
        properties: {
          id: { enum: Object.keys(PRICE_TABLES) },
          title: text,
          origin: text,
          asOf: day,
          licence: text,
          url: text,
          retrievedAt: instant,
          regions: { type: "integer", minimum: 0 },
          rows: { type: "integer", minimum: 0 },
        },
        required: ["id", "title", "origin", "asOf", "licence", "url", "retrievedAt", "regions", "rows"],
        additionalProperties: false,
      },
    },
  },
  required: ["format", "cloud", "retrievedAt", "tables"],
  additionalProperties: false,
};

const TABLE_SCHEMA = {
  type: "object",
  properties: {
    id: text,
    keys: { type: "array", items: text, minItems: 1 },
    attributes: { type: "array", items: text },
    regions: { type: "array", items: text },
    rows: { type: "array", items: { type: "array", items: { type: ["string", "number", "null"] } } },
  },
  required: ["id", "keys", "attributes", "regions", "rows"],
  additionalProperties: false,
};

type Validators = {
  manifest: ValidateFunction<CatalogManifest>;
  table: ValidateFunction<TableData>;
};
let compiled: Validators | undefined;

/** The catalog formats' validators, compiled on first use: most runs read no refreshed catalog. */
function validators(): Validators {
  if (!compiled) {
    const ajv = new Ajv({
      allErrors: false,
      strict: true,
      allowUnionTypes: true,
      verbose: true,
      keywords: [PATTERN_ERROR_MESSAGE],
    });
    compiled = {
      manifest: ajv.compile<CatalogManifest>(MANIFEST_SCHEMA),
      table: ajv.compile<TableData>(TABLE_SCHEMA),
    };
  }
  return compiled;
}

/** The first thing wrong, in words: where (a JSON pointer), what, and for a pattern the value given. */
function problemOf(errors: ErrorObject[] | null | undefined, what: string): string {
  const [error] = errors ?? [];
  if (!error) return `${what} is invalid`;
  const problem = error.keyword === "pattern" ? patternProblem(error) : (error.message ?? "is invalid");
  return `${error.instancePath || what} ${problem}`;
}

/** Where refreshed catalogs live: GREENOPS_CATALOG_DIR, else the user's cache folder. */
export function catalogDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.GREENOPS_CATALOG_DIR) return env.GREENOPS_CATALOG_DIR;
  if (process.platform === "win32" && env.LOCALAPPDATA) return join(env.LOCALAPPDATA, "greenops", "catalogs");
  if (process.platform === "darwin") return join(homedir(), "Library", "Caches", "greenops", "catalogs");
  return join(env.XDG_CACHE_HOME || join(homedir(), ".cache"), "greenops", "catalogs");
}

/** A folder name that sorts by time: 2026-12-01T10:00:00.000Z → 20261201T100000Z. */
export function stampOf(retrievedAt: string): string {
  return retrievedAt.replace(/\.\d+Z$/, "Z").replaceAll(/[-:]/g, "");
}

const STAMP = /^\d{8}T\d{6}Z$/;

/** The catalogs of a cloud, freshest first (folder names only; validity is checked on reading). */
export function catalogFolders(dir: string, cloud: Cloud): string[] {
  try {
    return readdirSync(join(dir, cloud))
      .filter((name) => STAMP.test(name))
      .sort()
      .reverse()
      .map((name) => join(dir, cloud, name));
  } catch {
    return [];
  }
}

/** A catalog's manifest, or why it cannot be used. */
export function readManifest(folder: string): CatalogManifest | { error: string } {
  try {
    const manifest = JSON.parse(readFileSync(join(folder, "manifest.json"), "utf8")) as unknown;
    const { manifest: valid } = validators();
    if (valid(manifest)) return manifest;
    return { error: `${folder}/manifest.json: ${problemOf(valid.errors, "the manifest")}` };
  } catch (error) {
    return { error: `${folder}/manifest.json: ${(error as Error).message}` };
  }
}

/** A table of a catalog, checked against the table format, or why it cannot be used. */
export function readTable(folder: string, id: TableId): TableData | { error: string } {
  const file = join(folder, `${id}.json`);
  try {
    const data = JSON.parse(readFileSync(file, "utf8")) as unknown;
    const problem = tableProblem(data);
    return problem ? { error: `${file}: ${problem}` } : (data as TableData);
  } catch (error) {
    return { error: `${file}: ${(error as Error).message}` };
  }
}

/** Why a table does not follow the format (shape, row widths, prices), or undefined. */
export function tableProblem(data: unknown): string | undefined {
  const { table: valid } = validators();
  if (!valid(data)) return problemOf(valid.errors, "the table");
  const { keys, attributes, regions, rows } = data;
  const width = keys.length + attributes.length + regions.length;
  for (const [index, row] of rows.entries()) {
    if (row.length !== width) return `row ${index} has ${row.length} cells, not ${width}`;
    for (const price of row.slice(keys.length + attributes.length)) {
      if (price !== null && (typeof price !== "number" || !Number.isFinite(price) || price < 0))
        return `row ${index} has a price that is not a number ≥ 0: ${JSON.stringify(price)}`;
    }
  }
  return undefined;
}

/** Writes a catalog whole (temporary folder, then rename) and keeps the `keep` freshest of its cloud. */
export function writeCatalog(dir: string, manifest: CatalogManifest, tables: TableData[], keep = 3): string {
  const { manifest: valid } = validators();
  const problem = valid(manifest) ? undefined : problemOf(valid.errors, "the manifest");
  if (problem) throw new Error(`refusing to write an invalid catalog manifest: ${problem}`);
  for (const table of tables) {
    const bad = tableProblem(table);
    if (bad) throw new Error(`refusing to write ${table.id}: ${bad}`);
  }
  const cloudDir = join(dir, manifest.cloud);
  mkdirSync(cloudDir, { recursive: true });
  const temporary = join(cloudDir, `.writing-${process.pid}-${Date.now()}`);
  mkdirSync(temporary);
  for (const table of tables) writeFileSync(join(temporary, `${table.id}.json`), JSON.stringify(table));
  writeFileSync(join(temporary, "manifest.json"), `${JSON.stringify(manifest, null, 2)}\n`);
  const folder = join(cloudDir, stampOf(manifest.retrievedAt));
  rmSync(folder, { recursive: true, force: true });
  renameSync(temporary, folder);
  for (const old of catalogFolders(dir, manifest.cloud).slice(keep))
    rmSync(old, { recursive: true, force: true });
  return folder;
}
