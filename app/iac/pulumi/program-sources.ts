import type { LineIndex } from "../yaml/line-index.ts";
import { SourceFiles } from "./source-files.ts";

/** An ESTree node as rolldown's parser gives it (offsets in UTF-16 code units, as JavaScript strings index). */
export type Node = { type: string; start: number; end: number } & Record<string, unknown>;

type Parse = (text: string, options: { lang: "ts" | "js" }, file: string) => unknown;

export type ParsedFile = {
  file: string;
  index: LineIndex;
  /** `new X(...)` expressions by the line they start on. */
  news: Map<number, Node[]>;
  /** Variables declared with an initializer, by name: the ones declared once in the file. */
  declared: Map<string, Node>;
  /** How often each name is read. */
  reads: Map<string, number>;
  /** Names bound to `new pulumi.Config(namespace?)`: their namespace (undefined: the project's). */
  configs: Map<string, string | undefined>;
};

/**
 * The sources of one evaluation of a program, as copied: each file read, line-indexed and parsed at
 * most once, for every stack (they all run the same files; only their config differs). It lives as
 * long as the copy does, so nothing is kept from one review to the next.
 */
export class ProgramSources {
  readonly files: SourceFiles;
  readonly #parseAst: Parse;
  readonly #parsed = new Map<string, ParsedFile | undefined>();

  private constructor(files: SourceFiles, parse: Parse) {
    this.files = files;
    this.#parseAst = parse;
  }

  /** The sources of the program copied to `copy` (rolldown's parser, loaded when a program is read). */
  static async of(copy: string): Promise<ProgramSources> {
    const { parseAst } = await import("rolldown/parseAst");
    return new ProgramSources(new SourceFiles(copy), parseAst as Parse);
  }

  /** A file's declarations, config objects and `new` expressions; undefined if it cannot be read or parsed. */
  parsed(file: string): ParsedFile | undefined {
    if (!this.#parsed.has(file)) {
      const read = this.files.read(file);
      this.#parsed.set(file, read && parse(this.#parseAst, file, read.text, read.index));
    }
    return this.#parsed.get(file);
  }

  /** The files parsed (those resources' fields point into), with their texts. */
  parsedTexts(): { path: string; text: string }[] {
    return [...this.#parsed].flatMap(([path, parsed]) => {
      const text = parsed && this.files.read(path)?.text;
      return text === undefined ? [] : [{ path, text }];
    });
  }
}

function parse(parseAst: Parse, file: string, text: string, index: LineIndex): ParsedFile | undefined {
  let program: Node;
  try {
    program = parseAst(text, { lang: /\.(m|c)?tsx?$/.test(file) ? "ts" : "js" }, file) as Node;
  } catch {
    return undefined;
  }
  const parsed: ParsedFile = {
    file,
    index,
    news: new Map(),
    declared: new Map(),
    reads: new Map(),
    configs: new Map(),
  };
  const twice = new Set<string>();
  visit(program, (node, parent) => {
    if (node.type === "NewExpression") {
      const line = index.position(node.start).line;
      parsed.news.set(line, [...(parsed.news.get(line) ?? []), node]);
      if (calleeName(node) === "Config" && parent?.type === "VariableDeclarator") {
        const id = parent.id as Node;
        const namespace = (node.arguments as Node[])[0];
        if (id.type === "Identifier")
          parsed.configs.set(
            id.name as string,
            isString(namespace) ? (namespace.value as string) : undefined,
          );
      }
    }
    if (node.type === "VariableDeclarator" && (node.id as Node).type === "Identifier" && node.init) {
      const name = (node.id as Node).name as string;
      if (parsed.declared.has(name)) twice.add(name);
      parsed.declared.set(name, node.init as Node);
    }
    if (node.type === "Identifier" && parent && isRead(node, parent)) {
      parsed.reads.set(node.name as string, (parsed.reads.get(node.name as string) ?? 0) + 1);
    }
  });
  for (const name of twice) parsed.declared.delete(name);
  return parsed;
}

export function isString(node: Node | undefined): node is Node & { value: string } {
  return node?.type === "Literal" && typeof node.value === "string";
}

export function calleeName(node: Node): string | undefined {
  const callee = node.callee as Node;
  if (callee.type === "Identifier") return callee.name as string;
  const property = callee.type === "MemberExpression" ? (callee.property as Node) : undefined;
  return property?.type === "Identifier" ? (property.name as string) : undefined;
}

/** An identifier that reads a variable (not a declaration, a property key or a member name). */
function isRead(node: Node, parent: Node): boolean {
  if (parent.type === "VariableDeclarator" && parent.id === node) return false;
  if (parent.type === "MemberExpression" && parent.property === node && !parent.computed) return false;
  if (parent.type === "Property" && parent.key === node) return false;
  return !/^(ImportSpecifier|ImportDefaultSpecifier|ImportNamespaceSpecifier|FunctionDeclaration|ClassDeclaration|TSTypeReference)$/.test(
    parent.type,
  );
}

function visit(node: Node, enter: (node: Node, parent: Node | undefined) => void, parent?: Node): void {
  enter(node, parent);
  for (const [key, value] of Object.entries(node)) {
    if (key === "parent") continue;
    if (Array.isArray(value)) {
      for (const item of value) if (isNode(item)) visit(item, enter, node);
    } else if (isNode(value)) visit(value, enter, node);
  }
}

function isNode(value: unknown): value is Node {
  return typeof value === "object" && value !== null && typeof (value as Node).type === "string";
}
