import type { Edits, TextEdit } from "../../engine/finding.ts";
import type { Resource } from "../../model/resource.ts";
import { attributeField } from "../cloud/attributes.ts";
import { YamlEditor, type YamlValue } from "../yaml/yaml-edits.ts";

const QUOTES = new Set(['"', "'", "`"]);

/**
 * Edits that set inputs of a resource a Pulumi program declares, each the minimal replacement of the
 * literal that writes it (quotes kept), or of the stack config value it reads (Pulumi.<stack>.yaml,
 * or Pulumi.yaml's default). Why not when one of them (or what holds it) is computed when the program
 * runs, is not written, or is shared with other resources: such a fix is made by hand.
 */
export function literalEdits(
  text: (file: string) => string | undefined,
  resource: Resource,
  changes: { path: (string | number)[]; value: YamlValue }[],
): Edits {
  const edits: TextEdit[] = [];
  for (const { path, value } of changes) {
    const field = attributeField(resource.source.fields, path);
    const source = field && text(field.value.file);
    const computed = path.some(
      (_, i) => attributeField(resource.source.fields, path.slice(0, i + 1))?.computed,
    );
    if (computed) return { byHand: "computed" };
    if (field?.viaAlias) return { byHand: "yaml-anchor" };
    if (!field || source === undefined || typeof value === "object") return { byHand: "not-written" };
    if (field.yamlPath) {
      const yaml = new YamlEditor(text).set(field.value.file, 0, [], field.yamlPath, value);
      if (!Array.isArray(yaml)) return yaml;
      edits.push(...yaml);
      continue;
    }
    const { file, startOffset: start, endOffset: end } = field.value;
    edits.push({ file, start, end, text: literal(source.slice(start, end), value) });
  }
  return edits;
}

/** A JavaScript literal of the value, in the quotes the replaced literal used. */
function literal(original: string, value: string | number | boolean): string {
  if (typeof value !== "string") return String(value);
  const quote = QUOTES.has(original[0] ?? "") ? (original[0] as string) : '"';
  const escaped = value.replaceAll("\\", "\\\\").replaceAll(quote, `\\${quote}`);
  return `${quote}${quote === "`" ? escaped.replaceAll("${", "\\${") : escaped}${quote}`;
}
