import { posix } from "node:path";
import { isRecord } from "../cloud/attributes.ts";
import type { ProjectIo } from "../format.ts";
import { ancestors } from "../sandbox/modules.ts";
import { YamlFile, YamlSyntaxError } from "../yaml/yaml-file.ts";

/**
 * The workspace packages a program can import by name, as npm, yarn and pnpm link them: those of the
 * workspace whose root (the nearest folder above the program declaring `workspaces` in its
 * package.json, or a pnpm-workspace.yaml) lists them. Name → folder; empty outside a workspace.
 */
export async function workspacePackages(io: ProjectIo, dir: string): Promise<Map<string, string>> {
  const has = new Set(io.paths);
  for (const folder of ancestors(dir)) {
    const prefix = folder === "." ? "" : `${folder}/`;
    const globs = await workspaceGlobs(io, prefix, has);
    if (globs) return await packagesOf(io, prefix, globs);
  }
  return new Map();
}

async function workspaceGlobs(
  io: ProjectIo,
  prefix: string,
  has: Set<string>,
): Promise<string[] | undefined> {
  const files = [`${prefix}package.json`, `${prefix}pnpm-workspace.yaml`].filter((path) => has.has(path));
  for (const file of await io.read(files)) {
    if ("skipped" in file) continue;
    const value = parse(file.path, file.text);
    const listed = file.path.endsWith(".yaml")
      ? (value?.packages ?? undefined)
      : isRecord(value?.workspaces)
        ? value.workspaces.packages
        : value?.workspaces;
    if (Array.isArray(listed)) return listed.filter((g): g is string => typeof g === "string");
  }
  return undefined;
}

async function packagesOf(io: ProjectIo, prefix: string, globs: string[]): Promise<Map<string, string>> {
  const include = globs.filter((g) => !g.startsWith("!")).map(pattern);
  const exclude = globs.filter((g) => g.startsWith("!")).map((g) => pattern(g.slice(1)));
  const manifests = io.paths.filter((path) => {
    if (!path.startsWith(prefix) || !path.endsWith("/package.json") || path.includes("node_modules/"))
      return false;
    const folder = posix.dirname(path.slice(prefix.length));
    return include.some((p) => p.test(folder)) && !exclude.some((p) => p.test(folder));
  });
  const packages = new Map<string, string>();
  for (const file of await io.read(manifests)) {
    const value = "skipped" in file ? undefined : parse(file.path, file.text);
    if (typeof value?.name === "string") packages.set(value.name, posix.dirname(file.path));
  }
  return packages;
}

/** A workspace glob (`packages/*`, `libs/**`) as a pattern of folders. */
function pattern(glob: string): RegExp {
  const body = glob
    .replace(/\/+$/, "")
    .split("/")
    .map((segment) =>
      segment === "**" ? ".*" : segment.replace(/[.+?^${}()|[\]\\]/g, "\\$&").replaceAll("*", "[^/]*"),
    )
    .join("/");
  return new RegExp(`^${body}$`);
}

function parse(file: string, text: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = file.endsWith(".json")
      ? JSON.parse(text)
      : new YamlFile(file, text).documents[0]?.value;
    return isRecord(value) ? value : undefined;
  } catch (error) {
    if (error instanceof SyntaxError || error instanceof YamlSyntaxError) return undefined;
    throw error;
  }
}
