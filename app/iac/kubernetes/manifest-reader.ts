import { pointerOf } from "../../model/pointer.ts";
import type { FieldSpan, ResourceSource } from "../../model/resource.ts";
import type { Diagnostic, Span } from "../../model/span.ts";
import { DocumentRead } from "../yaml/yaml-edits.ts";
import type { FoundNode, LocatedNode, YamlDocument, YamlFile, YamlPath } from "../yaml/yaml-file.ts";
import { plainScalarNumberText } from "./go-yaml-scalar.ts";
import { parseQuantity, type Quantity, QuantityError } from "./quantity.ts";

const YAML_NULLS = new Set(["", "~", "null", "Null", "NULL"]);

/**
 * Reads one Kubernetes object out of a YAML document as the API server would decode it, records which
 * fields it reads (for policies to point at and fix), and turns bad values into located diagnostics.
 */
export class ManifestReader {
  readonly document: YamlDocument;
  /** Path of the object inside its document: [] or ["items", n] for a List. */
  readonly root: YamlPath;
  /** The fields recorded, by pointer: where each was found, packed (see {@link packed}). */
  readonly #recorded: Record<string, Packed> = {};
  readonly diagnostics: Diagnostic[];

  constructor(document: YamlDocument, root: YamlPath, diagnostics: Diagnostic[]) {
    this.document = document;
    this.root = root;
    this.diagnostics = diagnostics;
  }

  get file(): string {
    return this.document.yaml.file;
  }

  /** The value at `path` (built only for that part of the document), or undefined. */
  value(path: YamlPath): unknown {
    return this.document.valueAt(this.#path(path));
  }

  kind(path: YamlPath): "scalar" | "mapping" | "sequence" | undefined {
    return this.document.kindAt(this.#path(path));
  }

  /** Items of the list at `path`; 0 when it is not a list. */
  count(path: YamlPath): number {
    return this.document.count(this.#path(path));
  }

  keys(path: YamlPath): string[] {
    return this.document.keys(this.#path(path));
  }

  #path(path: YamlPath): YamlPath {
    return this.root.length === 0 ? path : [...this.root, ...path];
  }

  /** Records the field at `path` when it is written; its node. */
  record(path: YamlPath): FoundNode | undefined {
    const found = this.document.find(this.#path(path));
    if (!found || this.document.yaml.kindOf(found) === undefined) return undefined;
    this.#recorded[pointerOf(path)] = packed(found);
    return found;
  }

  /** The object's source: the document as read, `span`, and the fields recorded (and to be recorded). */
  source(span: Span): ManifestSource {
    const { yaml, index } = this.document;
    return new ManifestSource(span, new DocumentRead(yaml, index, [...this.root]), this.#recorded);
  }

  /** A string field; `record` keeps its location (for fields a policy may point at or fix). */
  string(path: YamlPath, record = false): string | undefined {
    const value = this.value(path);
    if (value === undefined || value === null) return undefined;
    if (record) this.record(path);
    if (typeof value === "string") return value;
    this.report(path, "error", `${dotted(path)} must be a string, found ${JSON.stringify(value)}`);
    return undefined;
  }

  /** A quantity as `Quantity.UnmarshalJSON` reads it; negative values are reported and dropped. */
  quantity(path: YamlPath): Quantity | undefined {
    const text = this.#jsonText(path, "a quantity");
    if (text === undefined) return undefined;
    try {
      const quantity = parseQuantity(text.trim());
      if (quantity.nanos >= 0n) return quantity;
      this.report(path, "error", `${dotted(path)} must not be negative (found "${text}"); ignored`);
    } catch (error) {
      if (!(error instanceof QuantityError)) throw error;
      this.report(path, "error", `${dotted(path)}: ${error.message}; ignored`);
    }
    return undefined;
  }

  /** An integer field (replicas, seconds): JSON numbers only, within bounds. */
  integer(path: YamlPath, bounds: { min: number; max: number }): number | undefined {
    const text = this.#jsonText(path, "an integer");
    if (text === undefined) return undefined;
    const value = Number(text);
    if (!/^-?\d+$/.test(text) || !Number.isSafeInteger(value)) {
      this.report(path, "error", `${dotted(path)} must be an integer, found "${text}"; ignored`);
    } else if (value < bounds.min || value > bounds.max) {
      this.report(
        path,
        "error",
        `${dotted(path)} must be between ${bounds.min} and ${bounds.max}, found ${text}; ignored`,
      );
    } else {
      return value;
    }
    return undefined;
  }

  report(path: YamlPath, severity: Diagnostic["severity"], message: string): void {
    const span = this.document.locate(this.#path(path))?.value;
    const line = span?.startLine ?? this.document.span().startLine;
    this.diagnostics.push(
      span
        ? { file: this.file, line, column: span.startColumn, severity, message }
        : { file: this.file, line, severity, message },
    );
  }

  /** The JSON text Kubernetes decodes for a scalar; undefined when absent or null. */
  #jsonText(path: YamlPath, expected: string): string | undefined {
    const found = this.record(path);
    if (!found) return undefined;
    const { yaml } = this.document;
    const target = yaml.target(found.value);
    const text = yaml.scalarText(target);
    if (text === undefined) {
      this.report(
        path,
        "error",
        `${dotted(path)} must be ${expected}, found a ${yaml.kindOf(found)}; ignored`,
      );
      return undefined;
    }
    if (yaml.scalarStyle(target) !== "plain") {
      if (expected === "an integer") {
        this.report(path, "error", `${dotted(path)} must be an integer, found the string "${text}"; ignored`);
        return undefined;
      }
      return text;
    }
    if (YAML_NULLS.has(text)) return undefined;
    return plainScalarNumberText(text) ?? text;
  }
}

function dotted(path: YamlPath): string {
  return path
    .map((segment) => (typeof segment === "number" ? `[${segment}]` : `.${segment}`))
    .join("")
    .slice(1);
}

/**
 * Where a Kubernetes object is written. A field is located when something asks where it is: policies
 * point at few of the fields read (in the 10,000-file benchmark, 18,700 lookups of the 63,000 fields
 * of the 10,000 resources they looked at, out of 30,000), and two spans per field read kept 15 MB of
 * its heap alive and busy the garbage collector. Until then a field is its node's events. `fields` is a getter of the
 * class, not of each object (objects with getters of their own are slow dictionaries), so copies made
 * with JSON or structuredClone have no fields.
 */
export class ManifestSource implements ResourceSource {
  readonly format = "kubernetes";
  readonly span: Span;
  readonly document: DocumentRead;
  #recorded: Record<string, Packed> | undefined;
  #fields: Record<string, FieldSpan> | undefined;

  constructor(span: Span, document: DocumentRead, recorded: Record<string, Packed>) {
    this.span = span;
    this.document = document;
    this.#recorded = recorded;
  }

  get fields(): Record<string, FieldSpan> {
    if (this.#fields) return this.#fields;
    let yaml: YamlFile | undefined;
    const locate = (found: Packed): LocatedNode => {
      // The file as it was read, not scanned again, once one of its fields is asked for.
      yaml ??= this.document.reread(this.span.file);
      const node = yaml.describe(unpacked(found));
      if (!node) throw new Error(`${this.span.file}: a recorded field is not a node`);
      return node;
    };
    const fields: Record<string, FieldSpan> = {};
    for (const [pointer, found] of Object.entries(this.#recorded ?? {})) {
      fields[pointer] = new RecordedField(locate, found);
    }
    this.#fields = fields;
    this.#recorded = undefined;
    return fields;
  }
}

/** A field a reader recorded, located when first asked where it is. */
class RecordedField implements FieldSpan {
  readonly #locate: (found: Packed) => LocatedNode;
  readonly #found: Packed;
  #node: LocatedNode | undefined;

  constructor(locate: (found: Packed) => LocatedNode, found: Packed) {
    this.#locate = locate;
    this.#found = found;
  }

  get value(): Span {
    return this.#located().value;
  }

  get key(): Span | undefined {
    return this.#located().key;
  }

  get viaAlias(): boolean | undefined {
    return this.#located().viaAlias || undefined;
  }

  #located(): LocatedNode {
    this.#node ??= this.#locate(this.#found);
    return this.#node;
  }
}

/**
 * A found node as one small integer, stored in the record itself rather than as an object: its event,
 * times 4, plus 2 when its key is the event just before it (a scalar key: nearly always) and 1 when a
 * merge was crossed. Other keys keep the node as it is.
 */
type Packed = number | FoundNode;

function packed(found: FoundNode): Packed {
  if (found.key !== undefined && found.key !== found.value - 1) return found;
  return found.value * 4 + (found.key === undefined ? 0 : 2) + (found.viaMerge ? 1 : 0);
}

function unpacked(found: Packed): FoundNode {
  if (typeof found !== "number") return found;
  const value = found >> 2;
  const node: FoundNode = { value, viaMerge: (found & 1) === 1 };
  if ((found & 2) === 2) node.key = value - 1;
  return node;
}
