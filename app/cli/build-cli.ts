/**
 * `npm run build` (also run by `npm ci`, and by `npm test` before its tests): bundles the CLI into
 * dist/, so that `greenops` loads a few files instead of some 300 modules. bin/greenops.js runs the
 * bundle only while every file it was built from is as it was (dist/inputs.json: size and mtime of
 * each), and the sources otherwise; a stale bundle is never run.
 *
 * The schemas the bundled modules name for `lazyValidator` are compiled here, not at each run: the
 * bundle's app/config/precompiled-validators.ts holds them compiled (precompile.ts).
 *
 * The bundle holds the project's modules, the packages every run loads (ajv, js-yaml, diff) and the
 * validators of the Kubernetes kinds schema-check.ts names (loaded when a fix is checked), each with
 * the packages it imports; the others stay packages, loaded from node_modules when a run needs them.
 * Modules that find files beside themselves (`import.meta.url`: data files, harnesses, node_modules)
 * still find them: their `import.meta.url` becomes their source file's URL, relative to the bundle.
 * The same sources give the same files: chunk names are content hashes and no path of this machine is
 * written.
 */
import { mkdirSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { dirname, isAbsolute, join, relative, sep } from "node:path";
import type { OutputAsset, OutputChunk } from "rolldown";
import { precompiledModule } from "./precompile.ts";

const PROJECT = new URL("../../", import.meta.url).pathname;
const ENTRY = join(PROJECT, "app/cli/main.ts");
/** Replaced in the bundle by the validators it needs, compiled (precompile.ts). */
const PRECOMPILED = join(PROJECT, "app/config/precompiled-validators.ts");
/** Packages bundled in, with what they import: what every run loads, and the kinds' validators. */
const INLINE = new Set(["ajv", "js-yaml", "diff", "kubernetes-models"]);
/**
 * Node.js' own `punycode`, which a bundled package requires (ajv-formats-draft2019), is deprecated:
 * outside node_modules, loading it prints DEP0040. The npm package of the same name is bundled instead.
 */
const ALIAS = { punycode: "punycode/punycode.js" };

export async function buildCli(dist = join(PROJECT, "dist")): Promise<void> {
  const { rolldown } = await import("rolldown");
  const staging = `${dist}.${process.pid}`;
  rmSync(staging, { recursive: true, force: true });
  const options = (precompiled?: string) => ({
    input: ENTRY,
    platform: "node" as const,
    logLevel: "silent" as const,
    // A bundled package's own imports are bundled too: only files bundled reach this with their importer.
    external: (id: string, importer: string | undefined) =>
      isPackage(id) && !INLINE.has(packageName(id)) && !importer?.includes(`${sep}node_modules${sep}`),
    resolve: { alias: ALIAS },
    plugins: [
      { name: "greenops-precompiled", load: (id: string) => (id === PRECOMPILED ? precompiled : null) },
      { name: "greenops-source-urls", transform: (code: string, id: string) => sourceUrls(code, id, dist) },
    ],
  });
  // Once to find the modules that name schemas, once with those schemas compiled.
  const graph = await rolldown(options());
  const modules = moduleIds((await graph.generate({ format: "esm" })).output);
  await graph.close();
  const bundle = await rolldown(options(await precompiledModule(modules)));
  const { output } = await bundle.write({
    dir: staging,
    format: "esm",
    // Every chunk sits beside the entry: one relative path from the bundle to each source.
    entryFileNames: "greenops.mjs",
    chunkFileNames: "[name]-[hash].mjs",
  });
  await bundle.close();
  const inputs = moduleIds(output).map((id) => {
    const { size, mtimeMs } = statSync(id);
    return [relative(PROJECT, id).split(sep).join("/"), size, mtimeMs];
  });
  writeFileSync(join(staging, "inputs.json"), `${JSON.stringify({ inputs })}\n`);
  rmSync(dist, { recursive: true, force: true });
  mkdirSync(dirname(dist), { recursive: true });
  renameSync(staging, dist);
}

/** The project's and packages' files a bundle was built from. */
function moduleIds(output: readonly (OutputChunk | OutputAsset)[]): string[] {
  const ids = output.flatMap((chunk) => ("moduleIds" in chunk ? chunk.moduleIds : []));
  return [...new Set(ids)].filter((id) => isAbsolute(id)).sort();
}

/** A module's `import.meta.url` as its source file's URL, relative to the bundle (so, wherever it is). */
function sourceUrls(code: string, id: string, dist: string): string | null {
  if (!code.includes("import.meta.url")) return null;
  const source = relative(dist, id).split(sep).join("/");
  return code.replaceAll("import.meta.url", `new URL(${JSON.stringify(source)}, import.meta.url).href`);
}

function isPackage(id: string): boolean {
  return !id.startsWith(".") && !id.startsWith("/") && !id.startsWith("\0") && !id.startsWith("node:");
}

function packageName(id: string): string {
  const parts = id.split("/");
  return id.startsWith("@") ? parts.slice(0, 2).join("/") : (parts[0] ?? id);
}

if (import.meta.main) await buildCli();
