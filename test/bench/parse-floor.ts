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
for (const entry of readdirSync(root, { recursive: true, withFileTypes: true })) {
  if (!entry.isFile() || !/\.ya?ml$/.test(entry.name)) continue;
  const path = join(entry.parentPath, entry.name);
  if (path.split("/").includes(".git")) continue;
  documents += loadAll(readFileSync(path, "utf8")).length;
}
process.stdout.write(`${documents}\n`);
