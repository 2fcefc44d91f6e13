import type { FieldSpan, ResourceSource } from "../../model/resource.ts";
import type { Span } from "../../model/span.ts";

/**
 * A rendered resource's source: the fields the manifest reader recorded (what policies point at), and
 * out of sight every field of the render with where it is written, so that a fix can insert a field
 * into its nearest written parent. Copies (JSON, structured clones) keep the recorded fields only.
 */
export class RenderedSource implements ResourceSource {
  readonly format = "kustomize";
  readonly span: Span;
  readonly fields: Record<string, FieldSpan>;
  readonly #rendered: ReadonlyMap<string, FieldSpan>;

  constructor(span: Span, fields: Record<string, FieldSpan>, rendered: ReadonlyMap<string, FieldSpan>) {
    this.span = span;
    this.fields = fields;
    this.#rendered = rendered;
  }

  /** Every field of the render by JSON pointer, where it is written: a copy's recorded fields only. */
  static rendered(source: ResourceSource): ReadonlyMap<string, FieldSpan> {
    return #rendered in source ? source.#rendered : new Map(Object.entries(source.fields));
  }
}
