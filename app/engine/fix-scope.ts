import { join, relative } from "node:path";
import { quotePath, shellWord } from "../source/quote-path.ts";

/** Which files fixes may edit, and why a fix that edits others is left out. */
export type FixScope = {
  includes(file: string): boolean;
  /** The reason given for a fix that edits these files (outside the scope). */
  leftOut(files: readonly string[]): string;
};

/**
 * `greenops fix --all PATH`: fixes edit only files under PATH (`path`: repository-relative, "" for the
 * root). A fix that edits a file elsewhere (prefer-arm edits the environment's settings file, not the
 * manifest) is left out whole, naming the command that would apply it: `--all` with the folder that
 * holds PATH and every file it edits, written from `cwd` as the user wrote PATH, quoted for a shell.
 */
export function pathScope(path: string, root: string, cwd: string): FixScope {
  const includes = (file: string) => path === "" || file === path || file.startsWith(`${path}/`);
  return {
    includes,
    leftOut(files) {
      const folder = commonFolder([path, ...files.map(parent)]);
      const target = relative(cwd, join(root, folder)) || ".";
      // A folder named like an option is written as a path, and the word is one a shell reads back.
      const command = `greenops fix --all ${shellWord(target.startsWith("-") ? `./${target}` : target)}`;
      return `it edits ${files.map(quotePath).join(", ")}, outside ${quotePath(path || ".")}: \`${command}\` applies it`;
    },
  };
}

function parent(file: string): string {
  return file.includes("/") ? file.slice(0, file.lastIndexOf("/")) : "";
}

/** The deepest folder (repository-relative, "" for the root) that holds all these paths. */
function commonFolder(paths: readonly string[]): string {
  const split = paths.map((path) => (path === "" ? [] : path.split("/")));
  const first = split[0] ?? [];
  let depth = 0;
  while (
    depth < first.length &&
    split.every((parts) => parts.length > depth && parts[depth] === first[depth])
  )
    depth++;
  return first.slice(0, depth).join("/");
}
