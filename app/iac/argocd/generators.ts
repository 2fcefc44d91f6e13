import { posix } from "node:path";
import { isRecord } from "../cloud/attributes.ts";
import { YamlFile, YamlSyntaxError } from "../yaml/yaml-file.ts";

/** An Application generated from an ApplicationSet's template. */
export type Generated = Record<string, unknown>;

type Params = Map<string, unknown>;

/**
 * The Applications an ApplicationSet generates: its list generators' elements and its git
 * generators' directories (`directories[{path, exclude}]`) and files (`files[{path}]`, their keys
 * as parameters), rendered into `template` (fasttemplate `{{param}}`, or `{{.param}}` with
 * goTemplate). Other generators need a cluster or an API: they are reported.
 */
export function expandApplicationSet(
  set: Record<string, unknown>,
  paths: string[],
  files: Map<string, string>,
): { applications: Generated[]; problems: string[] } {
  const spec = isRecord(set.spec) ? set.spec : {};
  const template = isRecord(spec.template) ? spec.template : {};
  const goTemplate = spec.goTemplate === true;
  const problems: string[] = [];
  const applications: Generated[] = [];
  for (const generator of Array.isArray(spec.generators) ? spec.generators : []) {
    if (!isRecord(generator)) continue;
    for (const params of paramsOf(generator, paths, files, goTemplate, problems)) {
      applications.push(renderTemplate(template, params, goTemplate, problems) as Generated);
    }
  }
  return { applications, problems: [...new Set(problems)] };
}

function paramsOf(
  generator: Record<string, unknown>,
  paths: string[],
  files: Map<string, string>,
  goTemplate: boolean,
  problems: string[],
): Params[] {
  if (isRecord(generator.list)) {
    const elements = Array.isArray(generator.list.elements) ? generator.list.elements : [];
    return elements.filter(isRecord).map((element) => flatten(element));
  }
  if (isRecord(generator.git)) {
    const git = generator.git;
    const directories = Array.isArray(git.directories) ? git.directories.filter(isRecord) : [];
    const configFiles = Array.isArray(git.files) ? git.files.filter(isRecord) : [];
    const found: Params[] = [];
    if (directories.length > 0) {
      const included = directories.filter((d) => d.exclude !== true).map((d) => glob(String(d.path)));
      const excluded = directories.filter((d) => d.exclude === true).map((d) => glob(String(d.path)));
      for (const dir of directoriesOf(paths)) {
        if (included.some((r) => r.test(dir)) && !excluded.some((r) => r.test(dir)))
          found.push(pathParams(dir, goTemplate));
      }
    }
    for (const entry of configFiles) {
      const pattern = glob(String(entry.path));
      for (const path of paths.filter((p) => pattern.test(p))) {
        const values = configValues(files.get(path));
        if (values) found.push(new Map([...flatten(values), ...pathParams(posix.dirname(path), goTemplate)]));
        else problems.push(`git generator file ${path} could not be read`);
      }
    }
    return found;
  }
  const kind = Object.keys(generator).find((key) => key !== "selector") ?? "unknown";
  problems.push(`the ApplicationSet's ${kind} generator is not evaluated: its Applications are not mapped`);
  return [];
}

/** The files an ApplicationSet's git file generators read, among the repository's paths. */
export function generatorFiles(set: Record<string, unknown>, paths: string[]): string[] {
  const spec = isRecord(set.spec) ? set.spec : {};
  return (Array.isArray(spec.generators) ? spec.generators : []).flatMap((generator) => {
    const git = isRecord(generator) && isRecord(generator.git) ? generator.git : undefined;
    const entries = Array.isArray(git?.files) ? git.files.filter(isRecord) : [];
    return entries.flatMap((entry) => paths.filter((p) => glob(String(entry.path)).test(p)));
  });
}

function configValues(text: string | undefined): Record<string, unknown> | undefined {
  if (text === undefined) return undefined;
  try {
    const value = new YamlFile("config", text).documents[0]?.value;
    return isRecord(value) ? value : undefined;
  } catch (error) {
    if (error instanceof YamlSyntaxError) return undefined;
    throw error;
  }
}

/** Parameters of a directory: `path`, `path.basename`, `path[n]` (and `path.path`, `path.segments` for goTemplate). */
function pathParams(dir: string, goTemplate: boolean): Params {
  const segments = dir.split("/");
  const basename = segments.at(-1) ?? "";
  const params: Params = new Map<string, unknown>([
    ["path.basename", basename],
    ["path.basenameNormalized", basename.replace(/[^a-zA-Z0-9-]/g, "-").toLowerCase()],
  ]);
  if (goTemplate) {
    params.set("path.path", dir);
    params.set("path.segments", segments);
  } else params.set("path", dir);
  for (const [i, segment] of segments.entries()) params.set(`path[${i}]`, segment);
  return params;
}

function flatten(value: Record<string, unknown>, prefix = ""): Params {
  const params: Params = new Map();
  for (const [key, item] of Object.entries(value)) {
    const name = `${prefix}${key}`;
    if (isRecord(item)) for (const [k, v] of flatten(item, `${name}.`)) params.set(k, v);
    else params.set(name, item);
  }
  return params;
}

const PLACEHOLDER = /\{\{\s*(\.?)([\w.[\]-]+)\s*\}\}/g;

function renderTemplate(node: unknown, params: Params, goTemplate: boolean, problems: string[]): unknown {
  if (typeof node === "string") {
    return node.replace(PLACEHOLDER, (whole, dot: string, name: string) => {
      const value = params.get(name);
      if ((goTemplate && dot === "") || value === undefined) {
        problems.push(`the template's ${whole} is not a known parameter; left as written`);
        return whole;
      }
      return String(value);
    });
  }
  if (Array.isArray(node)) return node.map((item) => renderTemplate(item, params, goTemplate, problems));
  if (isRecord(node)) {
    return Object.fromEntries(
      Object.entries(node).map(([k, v]) => [k, renderTemplate(v, params, goTemplate, problems)]),
    );
  }
  return node;
}

function directoriesOf(paths: string[]): string[] {
  const directories = new Set<string>();
  for (const path of paths) {
    for (let dir = posix.dirname(path); dir !== "."; dir = posix.dirname(dir)) directories.add(dir);
  }
  return [...directories].sort();
}

/** A git generator's path pattern (`*` within a segment, `**` across) as an anchored regex. */
function glob(pattern: string): RegExp {
  const source = pattern
    .replace(/^\.\//, "")
    .split("**")
    .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, "\\$&").replaceAll("*", "[^/]*"))
    .join(".*");
  return new RegExp(`^${source}$`);
}
