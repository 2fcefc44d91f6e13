import { loadJson } from "./table.ts";

/** A cited data file: every figure in a report names the source it came from. */
export type Source = {
  id: string;
  file: string;
  title: string;
  origin: string;
  asOf: string;
  licence: string;
  /** Bundled with GreenOps, or refreshed from a public price list (then from where, and when). */
  catalog: "bundled" | "refreshed";
  url?: string;
  retrievedAt?: string;
};

let sources: Map<string, Source> | undefined;

function known(): Map<string, Source> {
  sources ??= new Map(
    loadJson<{ sources: Omit<Source, "catalog">[] }>("catalog.json").sources.map((s) => [
      s.id,
      { ...s, catalog: "bundled" },
    ]),
  );
  return sources;
}

export function source(id: string): Source {
  const found = known().get(id);
  if (!found) throw new Error(`unknown data source "${id}"`);
  return found;
}

/** Makes a refreshed catalog's table citable; kept for the process, so a report cites it after a newer one arrives. */
export function registerSource(refreshed: Source): void {
  known().set(refreshed.id, refreshed);
}

/** How old a catalog may be before reports warn about it, unless configured otherwise. */
export const DEFAULT_MAX_CATALOG_AGE_DAYS = 180;

/** The date reports are made on: SOURCE_DATE_EPOCH when set (reproducible output), else today. */
export function reportDate(): string {
  const epoch = Number(process.env.SOURCE_DATE_EPOCH);
  const date = Number.isFinite(epoch) && process.env.SOURCE_DATE_EPOCH ? new Date(epoch * 1000) : new Date();
  return date.toISOString().slice(0, 10);
}

/** Whole days from a catalog's date to the report's date. */
export function ageInDays(asOf: string, today: string): number {
  return Math.floor((Date.parse(today) - Date.parse(asOf)) / 86_400_000);
}
