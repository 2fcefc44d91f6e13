/**
 * The parse-only floor of `npm run bench`: what reading a repository's YAML costs before GreenOps does
 * anything with it. Every `.yaml`/`.yml` file under the directory (`.git` left out), listed with
 * readdir, read from disk and parsed with js-yaml 5's `loadAll`, in a fresh process started as the
 * CLI is (the same Node.js and flags, the compile cache on). Prints the documents it read.
 */
import { readdirSync, readFileSync } from "node:fs";
import module from "node:module";
import { join } from "node:path";

module.enableCompileCache();
const { loadAll } = await import("js-yaml");
const root = process.argv[2] ?? ".";
let documents = 0;
for (const path of yamlFiles(root)) documents += loadAll(readFileSync(path, "utf8")).length;
process.stdout.write(`${documents}\n`);

/** The YAML files under `dir`, `.git` not entered (git may be packing a new corpus's objects). */
function* yamlFiles(dir: string): Generator<string> {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory() && entry.name !== ".git") yield* yamlFiles(path);
    else if (entry.isFile() && /\.ya?ml$/.test(entry.name)) yield path;
  }
}
