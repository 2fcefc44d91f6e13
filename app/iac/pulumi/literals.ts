import { pointerSegment } from "../../model/pointer.ts";
import type { FieldSpan } from "../../model/resource.ts";
import { LineIndex } from "../yaml/line-index.ts";
import type { ConfigValue } from "./stack-config.ts";

/** An ESTree node as rolldown's parser gives it (offsets in UTF-16 code units, as JavaScript strings index). */
type Node = { type: string; start: number; end: number } & Record<string, unknown>;

type Parse = (text: string, options: { lang: "ts" | "js" }, file: string) => unknown;

type ParsedFile = {
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

const CONFIG_GETTER = /^(get|require)(Secret)?(Number|Boolean|Object)?$/;

/**
 * Where a program writes the inputs of the resources it declares, for fixes: each input written as a
 * literal (`instanceType: "m5.xlarge"`, `replicas: 3`), through a variable declared once and read
 * once (`const size = "t2.micro"`), or read from the stack's config (`config.require("size")`, with
 * its `?? "default"`): the value's span in the program, or in the stack or project file that sets it.
 * A value computed when the program runs has no field: a fix to it is a suggestion in words.
 */
export class ProgramLiterals {
  readonly #parseAst: Parse;
  readonly #text: (file: string) => string | undefined;
  readonly #project: string;
  readonly #config: ReadonlyMap<string, ConfigValue>;
  readonly #files = new Map<string, ParsedFile | undefined>();

  private constructor(
    parse: Parse,
    text: (file: string) => string | undefined,
    project: string,
    config: ReadonlyMap<string, ConfigValue>,
  ) {
    this.#parseAst = parse;
    this.#text = text;
    this.#project = project;
    this.#config = config;
  }

  /** The literals of one stack's program (rolldown's parser, loaded when a program is read). */
  static async of(
    text: (file: string) => string | undefined,
    project: string,
    config: ReadonlyMap<string, ConfigValue>,
  ): Promise<ProgramLiterals> {
    const { parseAst } = await import("rolldown/parseAst");
    return new ProgramLiterals(parseAst as Parse, text, project, config);
  }

  /** The files it read (the program's sources the fields point into). */
  files(): string[] {
    return [...this.#files].flatMap(([file, parsed]) => (parsed ? [file] : []));
  }

  /** The fields of a resource registered from `file:line` (its `new` expression's start). */
  fields(registration: {
    type: string;
    name: string;
    file: string;
    line: number;
  }): Record<string, FieldSpan> {
    const parsed = this.#parse(registration.file);
    const found = parsed && declaration(parsed.news.get(registration.line) ?? [], registration);
    const args = found && unwrap(parsed, (found.arguments as Node[] | undefined)?.[1]);
    const fields: Record<string, FieldSpan> = {};
    if (parsed && args?.type === "ObjectExpression") this.#walk(parsed, args, "", fields);
    return fields;
  }

  #walk(parsed: ParsedFile, node: Node, pointer: string, fields: Record<string, FieldSpan>): void {
    if (node.type === "ObjectExpression") {
      for (const property of node.properties as Node[]) {
        const name = keyName(property);
        const value = property.value as Node | undefined;
        if (property.type !== "Property" || name === undefined || !value) continue;
        const resolved = unwrap(parsed, value);
        if (resolved) this.#walk(parsed, resolved, `${pointer}/${pointerSegment(name)}`, fields);
      }
      return;
    }
    if (node.type === "ArrayExpression") {
      (node.elements as (Node | null)[]).forEach((element, i) => {
        const resolved = element && unwrap(parsed, element);
        if (resolved) this.#walk(parsed, resolved, `${pointer}/${i}`, fields);
      });
      return;
    }
    const written = this.#written(parsed, node);
    if (written) fields[pointer] = written;
  }

  /** The span of a literal, or of the config value (or its default) an expression reads. */
  #written(parsed: ParsedFile, node: Node): FieldSpan | undefined {
    if (isLiteral(node))
      return { value: parsed.index.span(parsed.file, node.start, node.end), viaAlias: false };
    if (node.type === "LogicalExpression" && (node.operator === "??" || node.operator === "||")) {
      const read = this.#configRead(parsed, node.left as Node);
      if (read) return read;
      const fallback = unwrap(parsed, node.right as Node);
      return fallback && this.#written(parsed, fallback);
    }
    return this.#configRead(parsed, node);
  }

  /** `config.get("key")`-like calls on a `new pulumi.Config()`: where the stack's value is written. */
  #configRead(parsed: ParsedFile, node: Node | undefined): FieldSpan | undefined {
    const call = node && unwrap(parsed, node);
    const callee = call?.type === "CallExpression" ? (call.callee as Node) : undefined;
    const object = callee?.type === "MemberExpression" ? (callee.object as Node) : undefined;
    const property = callee?.property as Node | undefined;
    const method =
      !callee?.computed && property?.type === "Identifier" ? (property.name as string) : undefined;
    const key = (call?.arguments as Node[] | undefined)?.[0];
    if (object?.type !== "Identifier" || !method || !CONFIG_GETTER.test(method) || !isString(key))
      return undefined;
    if (!parsed.configs.has(object.name as string)) return undefined;
    const namespace = parsed.configs.get(object.name as string) ?? this.#project;
    const value = this.#config.get(`${namespace}:${key.value as string}`);
    if (!value || value.secret) return undefined;
    const { at } = value;
    return { value: at.value, ...(at.key ? { key: at.key } : {}), viaAlias: at.viaAlias, yamlPath: at.path };
  }

  #parse(file: string): ParsedFile | undefined {
    if (!this.#files.has(file)) {
      const text = this.#text(file);
      this.#files.set(file, text === undefined ? undefined : index(this.#parseAst, file, text));
    }
    return this.#files.get(file);
  }
}

/** Reads a file's declarations, config objects and `new` expressions once. */
function index(parse: Parse, file: string, text: string): ParsedFile | undefined {
  let program: Node;
  try {
    program = parse(text, { lang: /\.(m|c)?tsx?$/.test(file) ? "ts" : "js" }, file) as Node;
  } catch {
    return undefined;
  }
  const parsed: ParsedFile = {
    file,
    index: new LineIndex(text),
    news: new Map(),
    declared: new Map(),
    reads: new Map(),
    configs: new Map(),
  };
  const twice = new Set<string>();
  visit(program, (node, parent) => {
    if (node.type === "NewExpression") {
      const line = parsed.index.position(node.start).line;
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

/** The `new` expression of a registration among those on its line: by class name, then by the resource's name. */
function declaration(candidates: Node[], registration: { type: string; name: string }): Node | undefined {
  const kind = registration.type.split(":").pop();
  const ofKind = candidates.filter((node) => calleeName(node) === kind);
  const pool = ofKind.length > 0 ? ofKind : candidates;
  if (pool.length <= 1) return pool[0];
  return pool.find((node) => {
    const name = (node.arguments as Node[])[0];
    return isString(name) && name.value === registration.name;
  });
}

/** An expression with its wrappers removed (`as`, `!`, parentheses), and a variable read once replaced by its value. */
function unwrap(parsed: ParsedFile, node: Node | undefined): Node | undefined {
  let current = node;
  for (let hops = 0; current && hops < 8; hops++) {
    if (
      /^(TSAsExpression|TSSatisfiesExpression|TSNonNullExpression|ParenthesizedExpression)$/.test(
        current.type,
      )
    ) {
      current = current.expression as Node;
    } else if (current.type === "Identifier") {
      const name = current.name as string;
      // A value read in several places is shared: editing it would change more than this resource.
      if ((parsed.reads.get(name) ?? 0) !== 1) return undefined;
      current = parsed.declared.get(name);
    } else return current;
  }
  return undefined;
}

function isLiteral(node: Node): boolean {
  if (node.type === "Literal") return ["string", "number", "boolean"].includes(typeof node.value);
  return node.type === "TemplateLiteral" && (node.expressions as Node[]).length === 0;
}

function isString(node: Node | undefined): node is Node & { value: string } {
  return node?.type === "Literal" && typeof node.value === "string";
}

function keyName(property: Node): string | undefined {
  const key = property.key as Node | undefined;
  if (!key || property.computed) return isString(key) ? key.value : undefined;
  if (key.type === "Identifier") return key.name as string;
  return key.type === "Literal" ? String(key.value) : undefined;
}

function calleeName(node: Node): string | undefined {
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
