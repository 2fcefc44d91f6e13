import { posix } from "node:path";
import type { Span } from "../../model/span.ts";
import { isRecord } from "../cloud/attributes.ts";
import { YamlFile, YamlSyntaxError } from "../yaml/yaml-file.ts";

export const KUSTOMIZATION = /(^|\/)(kustomization\.ya?ml|Kustomization)$/;

/** A kustomization file, read. */
export type Kustomization = { file: string; dir: string; yaml: YamlFile; value: Record<string, unknown> };

export type Problem = { file: string; line: number; message: string };

/** What a kustomization refers to, each entry resolved against its directory. */
export type Reference =
  | { kind: "kustomization"; path: string; entry: string }
  | { kind: "file"; path: string; entry: string }
  | { kind: "remote"; entry: string }
  | { kind: "outside"; entry: string };

const REMOTE =
  /^(https?:\/\/|git@|ssh:\/\/|git::|github\.com\/|gitlab\.com\/|bitbucket\.org\/)|\?ref=|\/\/[^/]/;

export function readKustomization(file: string, text: string): Kustomization | Problem {
  try {
    const yaml = new YamlFile(file, text);
    const value = yaml.documents[0]?.value;
    return { file, dir: posix.dirname(file), yaml, value: isRecord(value) ? value : {} };
  } catch (error) {
    if (!(error instanceof YamlSyntaxError)) throw error;
    return { file, line: error.line, message: `${error.problem}; not rendered` };
  }
}

/** Where a top-level field (or an item of a list field) of the kustomization is written. */
export function spanOf(k: Kustomization, path: (string | number)[]): Span {
  const document = k.yaml.documents[0];
  const located = document?.locate(path);
  return located?.key ?? located?.value ?? document?.span() ?? k.yaml.lines.span(k.file, 0, 0);
}

function strings(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === "string") : [];
}

/** The `path` of each item of a list (patches, replacements). */
function listedPaths(list: unknown): string[] {
  return Array.isArray(list)
    ? list.flatMap((p) => (isRecord(p) && typeof p.path === "string" ? [p.path] : []))
    : [];
}

/** The files configMapGenerator and secretGenerator read: `files` (`key=path` or `path`), `envs`, `env`. */
function generatorSources(value: Record<string, unknown>): string[] {
  return [value.configMapGenerator, value.secretGenerator].flatMap((list) =>
    Array.isArray(list)
      ? list.flatMap((generator) =>
          isRecord(generator)
            ? [
                ...strings(generator.files).map((entry) => entry.slice(entry.indexOf("=") + 1)),
                ...strings(generator.envs),
                ...(typeof generator.env === "string" ? [generator.env] : []),
              ]
            : [],
        )
      : [],
  );
}

/**
 * Every file or directory a kustomization names: resources, bases, components, patch files, and the
 * files kustomize reads for generators, transformers, replacements and schemas.
 */
export function references(k: Kustomization, paths: Set<string>): Reference[] {
  const named = [
    ...strings(k.value.resources),
    ...strings(k.value.bases),
    ...strings(k.value.components),
    ...strings(k.value.patchesStrategicMerge).filter((p) => !p.includes("\n")),
    ...[k.value.patches, k.value.patchesJson6902, k.value.replacements].flatMap(listedPaths),
    ...generatorSources(k.value),
    ...[k.value.generators, k.value.transformers, k.value.validators]
      .flatMap(strings)
      .filter((e) => !e.includes("\n")),
    ...strings(k.value.crds),
    ...strings(k.value.configurations),
    ...(isRecord(k.value.openapi) && typeof k.value.openapi.path === "string" ? [k.value.openapi.path] : []),
  ];
  return named.map((entry): Reference => {
    if (REMOTE.test(entry)) return { kind: "remote", entry };
    if (posix.isAbsolute(entry)) return { kind: "outside", entry };
    const path = posix.normalize(posix.join(k.dir, entry));
    if (path === ".." || path.startsWith("../")) return { kind: "outside", entry };
    const kustomization = ["kustomization.yaml", "kustomization.yml", "Kustomization"]
      .map((name) => (path === "." ? name : `${path}/${name}`))
      .find((candidate) => paths.has(candidate));
    if (kustomization) return { kind: "kustomization", path: kustomization, entry };
    return { kind: "file", path, entry };
  });
}

/** Kustomization fields GreenOps' own renderer does not apply (kubectl kustomize does). */
export const UNSUPPORTED = [
  "helmCharts",
  "helmChartInflationGenerator",
  "generators",
  "transformers",
  "validators",
  "replacements",
  "vars",
  "configMapGenerator",
  "secretGenerator",
];
