import type { FieldSpan } from "../../model/resource.ts";
import { type Diagnostic, fileStart } from "../../model/span.ts";
import { isRecord } from "../cloud/attributes.ts";
import { type YamlDocument, YamlFile, YamlSyntaxError } from "../yaml/yaml-file.ts";

/** Marks a secret the sandbox cannot decrypt: the program gets a placeholder. */
export const SECRET_PLACEHOLDER = "greenops-secret-placeholder";

/** Where a config value was read, most specific first: what the report names and a fix edits. */
export type ConfigLayer = "stack" | "project" | "template";

export type ConfigValue = {
  value: unknown;
  layer: ConfigLayer;
  /** Where the value is written (a fix to a value read from config edits it there). */
  at: FieldSpan & { file: string; path: (string | number)[] };
  secret: boolean;
};

/** One stack's configuration: Pulumi.<stack>.yaml over the project's `config:` over `template.config`. */
export type StackConfig = {
  name: string;
  /** Pulumi.<stack>.yaml, when the stack has one. */
  file?: string;
  values: Map<string, ConfigValue>;
};

type Read = { file: string; document?: YamlDocument; diagnostics: Diagnostic[] };

/** Parses one Pulumi YAML file (Pulumi.yaml or a stack's), reporting invalid YAML at its line. */
export function readPulumiYaml(file: string, text: string | undefined): Read {
  if (text === undefined) return { file, diagnostics: [] };
  try {
    return { file, document: new YamlFile(file, text).documents[0], diagnostics: [] };
  } catch (error) {
    if (!(error instanceof YamlSyntaxError)) throw error;
    return { file, diagnostics: [{ file, line: error.line, severity: "error", message: error.problem }] };
  }
}

/** The value of Pulumi.yaml (or an empty map). */
export function projectSettings(read: Read): Record<string, unknown> {
  const value = read.document?.value;
  return isRecord(value) ? value : {};
}

/**
 * The project's own layers: `config:` in Pulumi.yaml (`key: value`, or `key: { default | value }`),
 * then `template.config` defaults (what `pulumi new` would have asked for).
 */
export function projectConfig(project: string, read: Read): Map<string, ConfigValue> {
  const values = new Map<string, ConfigValue>();
  for (const [key, path] of configEntries(read, ["template", "config"], true)) {
    const value = read.document?.valueAt(path);
    if (value !== undefined) values.set(fullKey(project, key), located(read, path, value, "template"));
  }
  for (const [key, path] of configEntries(read, ["config"], false)) {
    const value = read.document?.valueAt(path);
    if (value !== undefined) values.set(fullKey(project, key), located(read, path, value, "project"));
  }
  return values;
}

/** A stack file's `config:` over the project's layers; `secure:` values become placeholders. */
export function stackConfig(
  project: string,
  name: string,
  read: Read | undefined,
  defaults: Map<string, ConfigValue>,
): StackConfig {
  const values = new Map(defaults);
  for (const key of read?.document?.keys(["config"]) ?? []) {
    const path = ["config", key];
    const raw = read?.document?.valueAt(path);
    const secret = isRecord(raw) && "secure" in raw;
    const value = located(read as Read, path, secret ? SECRET_PLACEHOLDER : raw, "stack");
    values.set(fullKey(project, key), { ...value, secret });
  }
  return { name, ...(read ? { file: read.file } : {}), values };
}

/** What the harness passes to pulumi.Config: every value as a string, keyed `namespace:key`. */
export function pulumiConfig(config: StackConfig): { values: Record<string, string>; secrets: string[] } {
  const values: Record<string, string> = {};
  for (const [key, { value }] of config.values) {
    values[key] = typeof value === "string" ? value : JSON.stringify(value);
  }
  const secrets = [...config.values].filter(([, v]) => v.secret).map(([key]) => key);
  return { values, secrets };
}

/** Keys of a config map with the path of each one's value (`default` or `value` when it is an object). */
function configEntries(read: Read, root: string[], templateOnly: boolean): [string, (string | number)[]][] {
  const document = read.document;
  if (!document) return [];
  return document.keys(root).flatMap((key): [string, (string | number)[]][] => {
    const path = [...root, key];
    const raw = document.valueAt(path);
    if (!isRecord(raw)) return templateOnly ? [] : [[key, path]];
    for (const field of templateOnly ? ["default"] : ["value", "default"]) {
      if (field in raw) return [[key, [...path, field]]];
    }
    return [];
  });
}

function located(read: Read, path: (string | number)[], value: unknown, layer: ConfigLayer): ConfigValue {
  const node = read.document?.locate(path);
  const span = node?.value ?? fileStart(read.file);
  return {
    value,
    layer,
    at: {
      file: read.file,
      path,
      value: span,
      ...(node?.key ? { key: node.key } : {}),
      viaAlias: node?.viaAlias ?? false,
    },
    secret: false,
  };
}

/** `key` is the project's own (`<project>:key`) unless it names a namespace (`aws:region`). */
export function fullKey(project: string, key: string): string {
  return key.includes(":") ? key : `${project}:${key}`;
}
