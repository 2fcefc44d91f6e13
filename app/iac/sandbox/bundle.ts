import { writeFileSync } from "node:fs";
import { dirname, isAbsolute, join, relative, resolve, sep } from "node:path";

export class BundleError extends Error {}

/**
 * Bundles a TypeScript or JavaScript program into one CommonJS file beside its entry (so `__dirname`
 * stays the entry's folder), with an inline source map so stack traces and Pulumi's source
 * positions name the original lines. Packages stay external (the sandbox provides them); a file
 * outside `root` is refused, so nothing outside the copied project is read. Bundling parses the
 * program; it does not run it.
 */
export async function bundleProgram(entry: string, root: string): Promise<string> {
  const output = join(dirname(entry), ".greenops-program.cjs");
  // Loaded on first use: most runs bundle nothing, and rolldown's native binding takes time to load.
  const { rolldown } = await import("rolldown");
  try {
    const bundle = await rolldown({
      input: entry,
      platform: "node",
      logLevel: "silent",
      // The program runs as written: nothing is dropped as dead code.
      treeshake: false,
      external: (id) => !id.startsWith(".") && !id.startsWith("/") && !id.startsWith("\0"),
      plugins: [
        {
          name: "greenops-contain",
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
      format: "cjs",
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
