import { loadJson } from "./table.ts";

/** A cited data file: every figure in a report names the source it came from. */
export type Source = {
  id: string;
  file: string;
  title: string;
  origin: string;
  asOf: string;
  licence: string;
};

let sources: Map<string, Source> | undefined;

export function source(id: string): Source {
  sources ??= new Map(loadJson<{ sources: Source[] }>("catalog.json").sources.map((s) => [s.id, s]));
  const found = sources.get(id);
  if (!found) throw new Error(`unknown data source "${id}"`);
  return found;
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
