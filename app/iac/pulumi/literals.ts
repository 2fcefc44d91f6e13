import { pointerSegment } from "../../model/pointer.ts";
import type { FieldSpan } from "../../model/resource.ts";
import { calleeName, isString, type Node, type ParsedFile, type ProgramSources } from "./program-sources.ts";
import type { ConfigValue } from "./stack-config.ts";

const CONFIG_GETTER = /^(get|require)(Secret)?(Number|Boolean|Object)?$/;

/**
 * Where a program writes the inputs of the resources it declares, for fixes: each input written as a
 * literal (`instanceType: "m5.xlarge"`, `replicas: 3`), through a variable declared once and read
 * once (`const size = "t2.micro"`), or read from the stack's config (`config.require("size")`, with
 * its `?? "default"`): the value's span in the program, or in the stack or project file that sets it.
 * A value computed when the program runs (a call, an expression) is located and marked `computed`: a
 * fix to it is made by hand.
 */
export class ProgramLiterals {
  readonly #sources: ProgramSources;
  readonly #project: string;
  readonly #config: ReadonlyMap<string, ConfigValue>;

  /** The literals of one stack (its config) in the program's sources, parsed once for all its stacks. */
  constructor(sources: ProgramSources, project: string, config: ReadonlyMap<string, ConfigValue>) {
    this.#sources = sources;
    this.#project = project;
    this.#config = config;
  }

  /** The fields of a resource registered from `file:line` (its `new` expression's start). */
  fields(registration: {
    type: string;
    name: string;
    file: string;
    line: number;
  }): Record<string, FieldSpan> {
    const parsed = this.#sources.parsed(registration.file);
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
    fields[pointer] = this.#written(parsed, node) ?? {
      value: parsed.index.span(parsed.file, node.start, node.end),
      viaAlias: false,
      computed: true,
    };
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

function keyName(property: Node): string | undefined {
  const key = property.key as Node | undefined;
  if (!key || property.computed) return isString(key) ? key.value : undefined;
  if (key.type === "Identifier") return key.name as string;
  return key.type === "Literal" ? String(key.value) : undefined;
}
