import type { Diagnostic } from "../../model/span.ts";
import { YamlFile, YamlSyntaxError } from "../yaml/yaml-file.ts";
import { Attributes, isRecord } from "./attributes.ts";

/** The usage files GreenOps reads at the repository root, first found wins. */
export const USAGE_FILES = [
  "greenops-usage.yml",
  "greenops-usage.yaml",
  "infracost-usage.yml",
  "infracost-usage.yaml",
];

/**
 * Monthly usage of usage-priced resources, in Infracost's usage-file format:
 * `version: 0.1` and `resource_usage: { <address>: { monthly_requests: …, request_duration_ms: … } }`.
 * An address may end in `[*]` to cover every index of a resource.
 */
export type UsageFile = { file: string; entries: Map<string, Attributes> };

export function readUsageFile(file: string, text: string): { usage?: UsageFile; diagnostics: Diagnostic[] } {
  let value: unknown;
  try {
    value = new YamlFile(file, text).documents[0]?.value;
  } catch (error) {
    if (!(error instanceof YamlSyntaxError)) throw error;
    return {
      diagnostics: [{ file, line: error.line, severity: "error", message: error.problem }],
    };
  }
  const entries = isRecord(value) ? value.resource_usage : undefined;
  if (!isRecord(entries)) {
    return {
      diagnostics: [
        { file, line: 1, severity: "warning", message: "no resource_usage map: the usage file is ignored" },
      ],
    };
  }
  const usage = new Map(
    Object.entries(entries).map(([address, values]) => [address, new Attributes(values)]),
  );
  return { usage: { file, entries: usage }, diagnostics: [] };
}

/** A resource's usage entry: by its exact address, else by the address with `[*]` for its index. */
export function usageOf(usage: UsageFile | undefined, address: string): Attributes | undefined {
  if (!usage) return undefined;
  return usage.entries.get(address) ?? usage.entries.get(address.replace(/\[[^\]]*\]$/, "[*]"));
}
