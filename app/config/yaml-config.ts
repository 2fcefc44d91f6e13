import type { ErrorObject, ValidateFunction } from "ajv";
import { type YamlDocument, YamlFile, YamlSyntaxError } from "../iac/yaml/yaml-file.ts";
import { pathOf } from "../model/pointer.ts";
import { type Diagnostic, distinctDiagnostics } from "../model/span.ts";
import { patternProblem, type Validator } from "./ajv.ts";
import { didYouMean } from "./did-you-mean.ts";

export type ConfigResult<T> = { value: T; diagnostics: [] } | { value: undefined; diagnostics: Diagnostic[] };

type Path = (string | number)[];

/** Checks a schema cannot express (policy ids, each policy's options), reported at the offending key. */
export type Refinement<T> = (
  value: T,
  check: {
    report(path: Path, message: string): void;
    /** Validates a part of the value with another schema, its errors located under `path`. */
    validate(path: Path, validate: ValidateFunction, value: unknown): void;
  },
) => void;

/**
 * Reads a one-document YAML configuration file and validates it; every error names the file, the
 * line and the offending key, and unknown keys or values suggest the closest valid one.
 */
export function loadYamlConfig<T>(
  file: string,
  text: string,
  validate: Validator<T>,
  refine?: Refinement<T>,
): ConfigResult<T> {
  let document: YamlDocument | undefined;
  try {
    const yaml = new YamlFile(file, text);
    if (yaml.documents.length > 1)
      return failure(file, 1, "a configuration file holds exactly one YAML document");
    document = yaml.documents[0];
  } catch (error) {
    if (error instanceof YamlSyntaxError) return failure(file, error.line, error.problem, error.column);
    throw error;
  }
  const value = document?.value ?? {};
  if (!validate(value)) {
    const diagnostics = pruneAlternatives(validate.errors ?? []).map((error) =>
      describe(file, document, error),
    );
    return { value: undefined, diagnostics: distinctDiagnostics(diagnostics) };
  }
  const diagnostics: Diagnostic[] = [];
  refine?.(value, {
    report(path, message) {
      const node = document?.locate(path);
      diagnostics.push(
        at(file, node?.key?.startLine ?? node?.value.startLine ?? 1, message, node?.key?.startColumn),
      );
    },
    validate(path, check, part) {
      if (check(part)) return;
      for (const error of pruneAlternatives(check.errors ?? [])) {
        const prefix = path
          .map((segment) => `/${String(segment).replaceAll("~", "~0").replaceAll("/", "~1")}`)
          .join("");
        diagnostics.push(
          describe(file, document, { ...error, instancePath: `${prefix}${error.instancePath}` }),
        );
      }
    },
  });
  return diagnostics.length === 0
    ? { value, diagnostics: [] }
    : { value: undefined, diagnostics: distinctDiagnostics(diagnostics) };
}

function describe(file: string, document: YamlDocument | undefined, error: ErrorObject): Diagnostic {
  const path = pathOf(error.instancePath);
  const where = path.length === 0 ? "the top level" : `"${path.join(".")}"`;

  if (error.keyword === "additionalProperties") {
    const key = String(error.params.additionalProperty);
    const node = document?.locate([...path, key]);
    const known = Object.keys((error.parentSchema?.properties as object | undefined) ?? {});
    const hint = didYouMean(key, known);
    const message = `unknown key "${key}" in ${where}${hint ? `: did you mean "${hint}"?` : ` (allowed: ${known.join(", ")})`}`;
    return at(file, node?.key?.startLine ?? node?.value.startLine ?? 1, message, node?.key?.startColumn);
  }
  const node = document?.locate(path);
  const line = node?.key?.startLine ?? node?.value.startLine ?? 1;
  if (error.keyword === "enum") {
    const allowed = (error.params.allowedValues as unknown[]).map(String);
    const hint = didYouMean(String(node?.text ?? ""), allowed);
    const suggestion = hint ? `: did you mean "${hint}"?` : ` (allowed: ${allowed.join(", ")})`;
    return at(file, line, `${where} must be one of the allowed values${suggestion}`, node?.value.startColumn);
  }
  if (error.keyword === "required") {
    return at(file, line, `${where} is missing the required key "${String(error.params.missingProperty)}"`);
  }
  if (error.keyword === "pattern") {
    return at(file, line, `${where} ${patternProblem(error)}`, node?.value.startColumn);
  }
  if (error.keyword === "oneOf" || error.keyword === "anyOf") {
    const alternatives = (error.parentSchema?.[error.keyword] as { type?: string }[] | undefined) ?? [];
    const types = [...new Set(alternatives.map((a) => a.type ?? "a value of another shape"))];
    return at(file, line, `${where} must be ${types.join(" or ")}`, node?.value.startColumn);
  }
  return at(file, line, `${where} ${error.message ?? "is invalid"}`, node?.value.startColumn);
}

/**
 * A value that fails a oneOf/anyOf fails every alternative: keep the errors of the alternatives whose
 * type it has (an unknown severity is an enum error, not also "must be object"), and the summary only
 * when it has the type of none.
 */
function pruneAlternatives(errors: readonly ErrorObject[]): ErrorObject[] {
  const dropped = new Set<ErrorObject>();
  for (const choice of errors.filter((e) => e.keyword === "oneOf" || e.keyword === "anyOf")) {
    const branches = new Map<string, ErrorObject[]>();
    for (const error of errors) {
      if (error === choice || !error.schemaPath.startsWith(`${choice.schemaPath}/`)) continue;
      const branch = error.schemaPath.slice(choice.schemaPath.length + 1).split("/")[0] ?? "";
      branches.set(branch, [...(branches.get(branch) ?? []), error]);
    }
    const mistyped = (list: ErrorObject[]) =>
      list.some((e) => e.keyword === "type" && e.instancePath === choice.instancePath);
    let fitting = 0;
    for (const list of branches.values()) {
      if (mistyped(list)) for (const error of list) dropped.add(error);
      else fitting++;
    }
    if (fitting > 0) dropped.add(choice);
  }
  return errors.filter((e) => !dropped.has(e));
}

function at(file: string, line: number, message: string, column?: number): Diagnostic {
  return column === undefined
    ? { file, line, severity: "error", message }
    : { file, line, column, severity: "error", message };
}

function failure(file: string, line: number, message: string, column?: number): ConfigResult<never> {
  return { value: undefined, diagnostics: [at(file, line, message, column)] };
}
