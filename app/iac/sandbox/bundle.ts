import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, isAbsolute, join, relative, resolve, sep } from "node:path";
import { isRecord } from "../cloud/attributes.ts";

export class BundleError extends Error {}

/**
 * Repository files the copied project may import beyond its own folder: a relative import or a
 * workspace package (by its package.json `name`) is copied in from the repository when first
 * imported, so the program resolves its local modules as Node would in a checkout.
 */
export type RepositoryFiles = {
  /** Where the repository's root is in the copy. */
  root: string;
  has(path: string): boolean;
  /** Copies repository files (paths relative to its root) into the copy. */
  copy(paths: string[]): Promise<void>;
  /** Workspace packages: name → their folder, relative to the repository's root. */
  packages: ReadonlyMap<string, string>;
};

const EXTENSIONS = [".ts", ".tsx", ".mts", ".cts", ".js", ".mjs", ".cjs", ".json"];

/**
 * Bundles a TypeScript or JavaScript program into one CommonJS file beside its entry (so `__dirname`
 * stays the entry's folder), or one ES module for programs written as ES modules (`"type": "module"`,
 * top-level await), with an inline source map so stack traces and Pulumi's source
 * positions name the original lines. Packages stay external (the sandbox provides them), except the
 * repository's own workspace packages; a file outside `root` is refused, so nothing outside the
 * copied project is read. Bundling parses the program; it does not run it.
 */
export async function bundleProgram(
  entry: string,
  root: string,
  repository?: RepositoryFiles,
  esm?: { resolve(specifier: string, importer: string): string | undefined },
): Promise<string> {
  const output = join(dirname(entry), esm ? ".greenops-program.mjs" : ".greenops-program.cjs");
  // Loaded on first use: most runs bundle nothing, and rolldown's native binding takes time to load.
  const { rolldown } = await import("rolldown");
  const workspace = (id: string) => repository?.packages.has(packageName(id)) ?? false;
  const bare = (id: string) => !id.startsWith(".") && !id.startsWith("/") && !id.startsWith("\0");
  try {
    const bundle = await rolldown({
      input: entry,
      platform: "node",
      logLevel: "silent",
      // The program runs as written: nothing is dropped as dead code.
      treeshake: false,
      // An ES module's imports do not search NODE_PATH: its packages are resolved here instead.
      external: (id) => !esm && bare(id) && !workspace(id),
      plugins: [
        {
          name: "greenops-contain",
          async resolveId(source, importer) {
            if (esm && bare(source) && !workspace(source) && !source.startsWith("node:")) {
              return { id: (importer && esm.resolve(source, importer)) ?? source, external: true };
            }
            if (!repository || !importer) return null;
            return await fromRepository(repository, source, importer);
          },
          load(id) {
            if (id.startsWith("\0")) return null;
            const inside = relative(root, id);
            if (inside === ".." || inside.startsWith(`..${sep}`) || isAbsolute(inside)) {
              throw new BundleError(`the program imports ${id}, which is outside its project`);
            }
            return null;
          },
        },
      ],
    });
    const { output: chunks } = await bundle.generate({
      format: esm ? "esm" : "cjs",
      sourcemap: "inline",
      // Absolute source paths: the map must not depend on where rolldown thinks the output goes.
      sourcemapPathTransform: (source, map) => resolve(dirname(map), source),
    });
    await bundle.close();
    writeFileSync(output, chunks[0]?.code ?? "");
    return output;
  } catch (error) {
    const message = error instanceof Error ? error.message.split("\n")[0] : String(error);
    throw new BundleError(message ?? "the program could not be bundled");
  }
}

/**
 * A relative import of a repository file not copied yet, or a workspace package's module: copies it
 * in and returns its path in the copy; null leaves the import to rolldown's own resolution.
 */
async function fromRepository(repository: RepositoryFiles, source: string, importer: string) {
  const { root } = repository;
  let bases: string[];
  if (source.startsWith(".")) bases = [relative(root, resolve(dirname(importer), source))];
  else {
    const name = packageName(source);
    const folder = repository.packages.get(name);
    if (folder === undefined) return null;
    const subpath = source.slice(name.length).replace(/^\//, "");
    const entries = subpath ? [subpath] : await packageEntries(repository, folder);
    bases = entries.map((entry) => join(folder, entry));
  }
  const candidate = bases
    .filter((base) => !base.startsWith("..") && !isAbsolute(base))
    .flatMap((base) => {
      const path = base.split(sep).join("/");
      const stem = path.replace(/\.(c|m)?js$/, "");
      return [path, ...EXTENSIONS.map((e) => `${stem}${e}`), ...EXTENSIONS.map((e) => `${path}/index${e}`)];
    })
    .find((p) => repository.has(p));
  if (!candidate) return null;
  if (!existsSync(join(root, candidate))) await repository.copy([candidate]);
  return join(root, candidate);
}

/** A workspace package's entries, as its package.json names them (exports, types, main), then index. */
async function packageEntries(repository: RepositoryFiles, folder: string): Promise<string[]> {
  const manifest = `${folder}/package.json`;
  if (!repository.has(manifest)) return ["index"];
  if (!existsSync(join(repository.root, manifest))) await repository.copy([manifest]);
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(join(repository.root, manifest), "utf8"));
  } catch {
    return ["index"];
  }
  const json = isRecord(parsed) ? parsed : {};
  const exported = isRecord(json.exports) ? (json.exports["."] ?? json.exports) : json.exports;
  const conditions = isRecord(exported)
    ? [exported.types, exported.import, exported.require, exported.default]
    : [exported];
  return [...conditions, json.types, json.module, json.main, "index"]
    .filter((v): v is string => typeof v === "string")
    .map((entry) => entry.replace(/^\.\//, "").replace(/\.d\.ts$/, ".ts"));
}

/** The package a bare specifier names: `@scope/name` or `name`. */
export function packageName(specifier: string): string {
  const parts = specifier.split("/");
  return specifier.startsWith("@") ? parts.slice(0, 2).join("/") : (parts[0] as string);
}
