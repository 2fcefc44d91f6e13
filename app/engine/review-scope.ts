import type { Change } from "../source/changes.ts";
import type { Snapshot } from "../source/snapshot.ts";
import { isSettingsFile } from "./environments.ts";
import { FORMATS, mayBeIac } from "./formats.ts";
import type { ParsedFile } from "./types.ts";

/**
 * The untouched IaC files a review reads: every one when environment settings changed or a touched
 * resource may affect anything (a default StorageClass); else those the formats' searches find: the
 * autoscalers, LimitRanges and StorageClasses naming touched resources, and what touched ones of
 * those apply to; with `copies`, the other copies of touched objects (an object declared twice is
 * counted once). Untouched files are the same on both sides, so one snapshot is searched. `parsed`:
 * the touched files of both sides, as parsed.
 */
export async function untouchedScope(
  parsed: ParsedFile[],
  files: Change[],
  touched: Set<string>,
  searched: Snapshot,
  copies = true,
): Promise<string[]> {
  const untouched = (paths: Iterable<string>) => [...paths].filter((p) => mayBeIac(p) && !touched.has(p));
  if (files.some((f) => isSettingsFile(f.path) || (f.from !== undefined && isSettingsFile(f.from)))) {
    return untouched(await searched.list());
  }
  const searches: string[][][] = [];
  for (const format of FORMATS) {
    const resources = parsed.filter((p) => p.format === format).flatMap((p) => p.result.resources);
    const references = format.references?.(resources);
    if (references?.everything) return untouched(await searched.list());
    searches.push(...(references?.searches ?? []), ...((copies && references?.copies) || []));
  }
  return untouched(await runSearches(searched, searches));
}

/**
 * Files that contain, for some search, a word of each of its lists. The first lists of all searches
 * (a few words: resource kinds) share one `git grep -o`; every other distinct list (names, which may
 * be thousands, each file listed once) gets a `git grep -l`; all run at the same time.
 * An empty first list asks for no kind: files with a word of each other list.
 */
async function runSearches(snapshot: Snapshot, searches: string[][][]): Promise<Set<string>> {
  const lists = new Map(searches.flatMap((search) => search.slice(1)).map((list) => [list.join("\0"), list]));
  const [firsts, answers] = await Promise.all([
    snapshot.grepWords([...new Set(searches.flatMap((search) => search[0] ?? []))]),
    Promise.all([...lists].map(async ([key, words]) => [key, await snapshot.grep(words)] as const)),
  ]);
  const found = new Map(answers);
  const paths = new Set<string>();
  for (const [first = [], ...rest] of searches) {
    const wanted = new Set(first);
    const others = rest.map((list) => found.get(list.join("\0")) ?? new Set<string>());
    const candidates =
      first.length > 0
        ? [...firsts].filter(([, words]) => [...words].some((w) => wanted.has(w))).map(([path]) => path)
        : (others[0] ?? []);
    for (const path of candidates) if (others.every((set) => set.has(path))) paths.add(path);
  }
  return paths;
}
