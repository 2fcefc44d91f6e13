import { pointerOf } from "../../model/pointer.ts";
import type { FieldSpan } from "../../model/resource.ts";
import type { Diagnostic } from "../../model/span.ts";
import type { LocatedNode, YamlDocument, YamlPath } from "../yaml/yaml-file.ts";
import { plainScalarNumberText } from "./go-yaml-scalar.ts";
import { parseQuantity, type Quantity, QuantityError } from "./quantity.ts";

const YAML_NULLS = new Set(["", "~", "null", "Null", "NULL"]);

/**
 * Reads one Kubernetes object out of a YAML document as the API server would decode it, records where
 * every field it reads is written, and turns bad values into located diagnostics.
 */
export class ManifestReader {
  readonly document: YamlDocument;
  /** Path of the object inside its document: [] or ["items", n] for a List. */
  readonly root: YamlPath;
  readonly fields: Record<string, FieldSpan> = {};
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

  record(path: YamlPath): LocatedNode | undefined {
    const node = this.document.locate(this.#path(path));
    if (!node) return undefined;
    const field: FieldSpan = { value: node.value };
    if (node.key) field.key = node.key;
    if (node.viaAlias) field.viaAlias = true;
    this.fields[pointerOf(path)] = field;
    return node;
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
    const span = this.fields[pointerOf(path)]?.value ?? this.document.locate(this.#path(path))?.value;
    const line = span?.startLine ?? this.document.span().startLine;
    this.diagnostics.push(
      span
        ? { file: this.file, line, column: span.startColumn, severity, message }
        : { file: this.file, line, severity, message },
    );
  }

  /** The JSON text Kubernetes decodes for a scalar; undefined when absent or null. */
  #jsonText(path: YamlPath, expected: string): string | undefined {
    const node = this.record(path);
    if (!node) return undefined;
    if (node.kind !== "scalar" || node.text === undefined) {
      this.report(path, "error", `${dotted(path)} must be ${expected}, found a ${node.kind}; ignored`);
      return undefined;
    }
    if (node.style !== "plain") {
      if (expected === "an integer") {
        this.report(
          path,
          "error",
          `${dotted(path)} must be an integer, found the string "${node.text}"; ignored`,
        );
        return undefined;
      }
      return node.text;
    }
    if (YAML_NULLS.has(node.text)) return undefined;
    return plainScalarNumberText(node.text) ?? node.text;
  }
}

function dotted(path: YamlPath): string {
  return path
    .map((segment) => (typeof segment === "number" ? `[${segment}]` : `.${segment}`))
    .join("")
    .slice(1);
}
