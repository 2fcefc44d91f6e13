import { readFileSync } from "node:fs";
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

const DATA = new URL("../data/", import.meta.url);

export function readDataFile(file: string): string {
  return readFileSync(new URL(file, DATA), "utf8");
}

let sources: Map<string, Source> | undefined;

export function source(id: string): Source {
  sources ??= new Map(loadJson<{ sources: Source[] }>("catalog.json").sources.map((s) => [s.id, s]));
  const found = sources.get(id);
  if (!found) throw new Error(`unknown data source "${id}"`);
  return found;
}
