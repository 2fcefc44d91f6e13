import { existsSync, lstatSync, mkdirSync, readdirSync, realpathSync, symlinkSync } from "node:fs";
import { join, posix } from "node:path";
import { fileURLToPath } from "node:url";

/** GreenOps' own packages: Pulumi's SDK and the Pulumi packages it ships for programs to use. */
export const SHIPPED_MODULES = fileURLToPath(new URL("../../../node_modules", import.meta.url));

/** The Pulumi packages GreenOps ships for programs whose repository has none installed. */
export const SHIPPED_PULUMI_PACKAGES = [
  "@pulumi/pulumi",
  "@pulumi/aws",
  "@pulumi/awsx",
  "@pulumi/aws-apigateway",
  "@pulumi/eks",
  "@pulumi/kubernetes",
  "@pulumi/random",
  "@pulumi/tls",
  "@pulumi/command",
];

/**
 * Gives the copied program the packages its checkout installed (CLI mode, after the project's own
 * `npm ci`; GreenOps never installs them): every folder from the program's up to the repository's
 * root gets a link to the checkout's node_modules of the same folder, so Node finds them first, as in
 * the checkout. GreenOps' shipped packages come after them, through NODE_PATH (see {@link moduleEnv}).
 * Returns what the sandbox must let the program read: the linked folders and the real folders of
 * workspace packages linked inside them.
 */
export function linkInstalled(copy: string, dir: string, checkout: string | undefined): string[] {
  if (!checkout) return [];
  const readable: string[] = [];
  for (const folder of ancestors(dir)) {
    const installed = join(checkout, folder, "node_modules");
    if (!existsSync(installed)) continue;
    const link = join(copy, folder, "node_modules");
    if (existsSync(link)) continue;
    mkdirSync(join(copy, folder), { recursive: true });
    symlinkSync(installed, link, "dir");
    readable.push(installed, ...linkedPackages(installed));
  }
  return readable;
}

/** The environment that puts GreenOps' shipped packages after the program's own on Node's search path. */
export function moduleEnv(): Record<string, string> {
  return { NODE_PATH: SHIPPED_MODULES };
}

/** `a/b` → `a/b`, `a`, `.` (the folders Node searches for node_modules, nearest first). */
export function ancestors(dir: string): string[] {
  const folders: string[] = [];
  for (let folder = dir; folder !== "." && folder !== ""; folder = posix.dirname(folder))
    folders.push(folder);
  return [...folders, "."];
}

/** Real folders of packages linked into node_modules (npm, pnpm and yarn workspaces link them). */
function linkedPackages(nodeModules: string): string[] {
  const entries = readdirSync(nodeModules).flatMap((name) =>
    name.startsWith("@")
      ? readdirSync(join(nodeModules, name)).map((inner) => join(nodeModules, name, inner))
      : [join(nodeModules, name)],
  );
  return entries.flatMap((path) => {
    try {
      return lstatSync(path).isSymbolicLink() ? [realpathSync(path)] : [];
    } catch {
      return []; // a dangling link: Node cannot load it either
    }
  });
}
