import { existsSync, readFileSync } from "node:fs";
import { posix } from "node:path";
import { fileURLToPath } from "node:url";
import type { Span } from "../../model/span.ts";
import { LineIndex } from "../yaml/line-index.ts";

/** Maps file URLs of the copied program (Pulumi's source positions, stack traces) back to repository lines. */
export class SourceFiles {
  readonly #copy: string;
  readonly #lines = new Map<string, { text: string; index: LineIndex }>();

  constructor(copy: string) {
    this.#copy = copy;
  }

  /** The repository path of a copied file, unless it is a package's or outside the copy. */
  pathOf(uri: string): string | undefined {
    const path = uri.startsWith("file://") ? fileURLToPath(uri) : uri;
    if (!path.startsWith(`${this.#copy}/`)) return undefined;
    const file = posix.normalize(path.slice(this.#copy.length + 1));
    return file.includes("node_modules/") || file.endsWith(".cjs") ? undefined : file;
  }

  /** A repository file's text as copied (what the program ran) and its lines, if it was copied. */
  read(file: string): { text: string; index: LineIndex } | undefined {
    let cached = this.#lines.get(file);
    const path = `${this.#copy}/${file}`;
    if (!cached && existsSync(path)) {
      const text = readFileSync(path, "utf8");
      cached = { text, index: new LineIndex(text) };
      this.#lines.set(file, cached);
    }
    return cached;
  }

  /**
   * The line of the program that declared a resource: the first of its positions (Pulumi's, then the
   * stack's frames) in the repository, so a resource a package creates for the program (the role of a
   * Lambda callback) points at the program's line that asked for it.
   */
  declaration(positions: { uri: string; line: number }[]): Span | undefined {
    for (const position of positions) {
      const span = this.span(position);
      if (span) return span;
    }
    return undefined;
  }

  span(source: { uri: string; line: number }): Span | undefined {
    const file = this.pathOf(source.uri);
    const lines = file === undefined ? undefined : this.read(file)?.index;
    if (file === undefined || !lines) return undefined;
    const start = lines.offset(source.line);
    const end = lines.offset(source.line + 1);
    return lines.span(file, start, Math.max(start, end - 1));
  }

  /** The first line of the program (not of a package) in a stack trace. */
  lineOf(stack: string | undefined): { file: string; line: number } | undefined {
    for (const match of (stack ?? "").matchAll(/(?:file:\/\/)?(\/[^\s():]+):(\d+):\d+/g)) {
      const file = this.pathOf(match[1] as string);
      if (file !== undefined) return { file, line: Number(match[2]) };
    }
    return undefined;
  }
}
