import {
  existsSync,
  lstatSync,
  mkdirSync,
  readdirSync,
  readlinkSync,
  realpathSync,
  symlinkSync,
} from "node:fs";
import { dirname, join, posix, relative, resolve, sep } from "node:path";
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

/** What a program may read of its checkout's packages, and the node_modules folders it was not given. */
export type Installed = { readable: string[]; refused: string[] };

/**
 * Gives the copied program the packages its checkout installed (CLI mode, after the project's own
 * `npm ci`; GreenOps never installs them): every folder from the program's up to the repository's
 * root gets a link to the checkout's node_modules of the same folder, so Node finds them first, as in
 * the checkout. GreenOps' shipped packages come after them, through NODE_PATH (see {@link moduleEnv}).
 * Returns what the sandbox must let the program read: the linked folders and the real folders of
 * workspace packages linked inside them. A node_modules with a symbolic link out of the repository
 * (or to its root or `.git`) is not linked: Node's permission model follows links wherever they
 * lead, so the program could read the operator's files through it; why is in `refused`.
 */
export function linkInstalled(copy: string, dir: string, checkout: string | undefined): Installed {
  const installed: Installed = { readable: [], refused: [] };
  if (!checkout) return installed;
  for (const folder of ancestors(dir)) {
    const modules = join(checkout, folder, "node_modules");
    if (!existsSync(modules)) continue;
    const link = join(copy, folder, "node_modules");
    if (existsSync(link)) continue;
    const leak = linkOut(checkout, modules);
    if (leak) {
      installed.refused.push(
        `${posix.join(folder, "node_modules")} is not used: ${leak}; a program may read only its project and its packages`,
      );
      continue;
    }
    mkdirSync(join(copy, folder), { recursive: true });
    symlinkSync(modules, link, "dir");
    installed.readable.push(modules, ...linkedPackages(modules));
  }
  return installed;
}

/**
 * The first symbolic link of `modules` (itself included) that leads out of the checkout, to its root
 * or into its `.git`, in words; undefined when none does. Node does not descend into linked folders,
 * so each link is judged by where it leads.
 */
function linkOut(checkout: string, modules: string): string | undefined {
  const root = realpathSync(checkout);
  const named = (path: string) => relative(checkout, path).split(sep).join("/");
  const out = outside(root, realpathSync(modules));
  if (out) return `${named(modules)} leads ${out} (through a symbolic link)`;
  for (const entry of readdirSync(modules, { recursive: true, withFileTypes: true })) {
    if (!entry.isSymbolicLink()) continue;
    const path = join(entry.parentPath, entry.name);
    const out = outside(root, target(path));
    if (out) return `${named(path)} is a symbolic link to ${readlinkSync(path)}, ${out}`;
  }
  return undefined;
}

/** Where a real path is, when a program may not read it: out of the repository, its root, its `.git`. */
function outside(root: string, real: string): string | undefined {
  const path = relative(root, real).split(sep).join("/");
  if (path === ".." || path.startsWith("../") || posix.isAbsolute(path)) return "out of the repository";
  if (path === "") return "to the repository's root";
  if (path === ".git" || path.startsWith(".git/")) return "into the repository's .git";
  return undefined;
}

/** Where a link leads: its real path, or (dangling) its target as written, resolved from its folder. */
function target(link: string): string {
  try {
    return realpathSync(link);
  } catch {
    return resolve(dirname(link), readlinkSync(link));
  }
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
