import { isDeepStrictEqual } from "node:util";
import { pathOf, pointerOf } from "../../model/pointer.ts";
import type { FieldSpan, Resource } from "../../model/resource.ts";
import { type Diagnostic, fileStart } from "../../model/span.ts";
import { isRecord } from "../cloud/attributes.ts";
import type { ParseContext, ParseResult, Project, ProjectIo, ProjectReader } from "../format.ts";
import { parseManifests } from "../kubernetes/parse.ts";
import { kubectlKustomize, kubectlOnPath } from "./kubectl.ts";
import {
  KUSTOMIZATION,
  type Kustomization,
  type Problem,
  readKustomization,
  references,
} from "./kustomization.ts";
import type { LocatedObject } from "./located.ts";
import { ALREADY_REGISTERED, referenceProblem, render } from "./render.ts";
import { RenderedSource } from "./source.ts";

/**
 * Kustomize directories: every kustomization that no other one includes is rendered, with
 * `kubectl kustomize` when it is available, else GreenOps' own subset (render.ts); the files it
 * includes are read through it, not on their own.
 */
export const kustomizeProjects: ProjectReader = {
  async find(io) {
    const paths = new Set(io.paths);
    const kustomizations = new Map<string, Kustomization | Problem>();
    for (const file of await io.read(io.paths.filter((p) => KUSTOMIZATION.test(p)))) {
      if (!("skipped" in file)) kustomizations.set(file.path, readKustomization(file.path, file.text));
    }
    const included = new Set<string>();
    for (const k of kustomizations.values()) {
      if ("message" in k) continue;
      for (const reference of references(k, paths))
        if (reference.kind === "kustomization") included.add(reference.path);
    }
    return [...kustomizations.keys()]
      .filter((root) => !included.has(root))
      .map((root): Project => {
        const files = closure(root, kustomizations, paths);
        return { root, files, consumes: files };
      });
  },
  evaluate: renderProject,
};

/** A kustomization and every file it includes, through included kustomizations. */
function closure(
  root: string,
  kustomizations: Map<string, Kustomization | Problem>,
  paths: Set<string>,
): string[] {
  const files = new Set<string>();
  const visit = (file: string) => {
    if (files.has(file)) return;
    files.add(file);
    const k = kustomizations.get(file);
    if (!k || "message" in k) return;
    for (const reference of references(k, paths)) {
      if (reference.kind === "kustomization") visit(reference.path);
      else if (reference.kind === "file" && paths.has(reference.path)) files.add(reference.path);
    }
  };
  visit(root);
  return [...files];
}

async function renderProject(project: Project, io: ProjectIo): Promise<ParseResult> {
  const files = new Map<string, string>();
  const read = await io.read(project.files);
  for (const file of read) if (!("skipped" in file)) files.set(file.path, file.text);
  // kubectl would render a copy without the files not read, and fail on them in its own words.
  const refused = read.some((file) => "skipped" in file);
  const paths = new Set(io.paths);
  const root = readKustomization(project.root, files.get(project.root) ?? "");
  if (!("message" in root) && root.value.kind === "Component") {
    const message =
      "a Kustomize component that no kustomization of the repository includes: a component patches what includes it, so it is not rendered on its own";
    return { resources: [], diagnostics: [{ file: project.root, line: 1, severity: "notice", message }] };
  }
  const rendered = render(project.root, files, paths);
  const blocking = blockingProblems(project.root, files, paths);
  const diagnostics: Diagnostic[] = [...rendered.problems, ...rendered.repeated.values(), ...blocking].map(
    (p) => ({
      ...p,
      severity: "error" as const,
    }),
  );
  const context = io.context(project.root);
  let objects: LocatedObject[] | undefined;
  const binary = io.options.kubectl ?? kubectlOnPath();
  if (binary && blocking.length === 0 && !refused) {
    const output = await kubectlKustomize(binary, project, io);
    if ("error" in output) {
      // An object included twice: kubectl refuses it as the subset's error says, at the entry; once.
      if (rendered.repeated.size === 0 || !output.error.includes(ALREADY_REGISTERED))
        diagnostics.push({
          file: project.root,
          line: 1,
          severity: "error",
          message: `kubectl kustomize failed: ${output.error}`,
        });
    } else {
      objects = withLocations(output.objects, rendered.objects, project.root);
      diagnostics.splice(
        0,
        diagnostics.length,
        ...diagnostics.filter((d) => blocking.some((b) => b.message === d.message)),
      );
    }
  }
  // Without kubectl, or when it failed, the subset's render stands in: said with what it does not apply.
  if (!objects) {
    objects = rendered.objects;
    diagnostics.push(...rendered.unsupported.map((p) => ({ ...p, severity: "warning" as const })));
  }
  if (blocking.length > 0)
    return { resources: [], diagnostics: diagnostics.map((d) => ({ ...d, unread: project.root })) };
  const resources: Resource[] = [];
  for (const object of objects) {
    const read = toResources(object, project.root, context);
    resources.push(...read.resources);
    diagnostics.push(...read.diagnostics);
  }
  return { resources, diagnostics };
}

/** Remote resources and paths outside the repository: the directory is not rendered at all. */
function blockingProblems(root: string, files: Map<string, string>, paths: Set<string>): Problem[] {
  const problems: Problem[] = [];
  for (const [file, text] of files) {
    if (!KUSTOMIZATION.test(file) || (file !== root && !paths.has(file))) continue;
    const k = readKustomization(file, text);
    if ("message" in k) continue;
    for (const reference of references(k, paths)) {
      if (reference.kind === "remote" || reference.kind === "outside")
        problems.push(referenceProblem(k, reference));
    }
  }
  return problems;
}

/**
 * kubectl's objects, located where GreenOps' subset located the same field with the same value; list
 * items are matched by name, since kubectl's strategic merge may put a patched container first.
 */
function withLocations(
  objects: Record<string, unknown>[],
  subset: LocatedObject[],
  root: string,
): LocatedObject[] {
  const fallback = fileStart(root);
  // The first of the subset's objects of each identity, as a search from the start would find it.
  const twins = new Map<string, LocatedObject>();
  for (const object of subset)
    if (!twins.has(identity(object.value))) twins.set(identity(object.value), object);
  return objects.map((value) => {
    const twin = twins.get(identity(value));
    if (!twin) return { value, fields: new Map(), span: fallback };
    const fields = new Map<string, FieldSpan>();
    for (const [path, span] of twin.fields) {
      const same = counterpart(value, twin.value, path);
      if (same !== undefined && isDeepStrictEqual(at(value, same), at(twin.value, path)))
        fields.set(same, span);
    }
    return { value, fields, span: twin.span };
  });
}

/**
 * The pointer in `value` of the field at `pointer` in `twin`: an item of a list whose items have names
 * is the item of the same name (undefined when there is none), any other the item at the same index.
 */
function counterpart(value: unknown, twin: unknown, pointer: string): string | undefined {
  const path = pathOf(pointer);
  let [node, other] = [value, twin];
  for (const [i, key] of path.entries()) {
    const name =
      Array.isArray(node) && Array.isArray(other)
        ? (other[key as number] as { name?: unknown })?.name
        : undefined;
    if (typeof name === "string" && Array.isArray(node)) {
      path[i] = node.findIndex((item) => isRecord(item) && item.name === name);
      if (path[i] === -1) return undefined;
    }
    node = child(node, path[i] ?? "");
    other = child(other, key);
  }
  return pointerOf(path);
}

function identity(value: Record<string, unknown>): string {
  const metadata = isRecord(value.metadata) ? value.metadata : {};
  return `${String(value.kind)}/${String(metadata.namespace ?? "")}/${String(metadata.name)}`;
}

function at(value: unknown, pointer: string): unknown {
  return pathOf(pointer).reduce<unknown>(child, value);
}

function child(node: unknown, key: string | number): unknown {
  return isRecord(node) || Array.isArray(node) ? (node as Record<string | number, unknown>)[key] : undefined;
}

/**
 * Reads a rendered object as the Kubernetes parser reads a manifest, then points the resource and
 * each field at the file (and line) that defined it; diagnostics follow their field.
 */
function toResources(object: LocatedObject, root: string, context: ParseContext): ParseResult {
  const parsed = parseManifests(root, JSON.stringify(object.value, null, 2), context);
  const fallback: FieldSpan = { value: object.span };
  const lines = new Map<number, FieldSpan>();
  const resources = parsed.resources.map((resource) => {
    const fields: Record<string, FieldSpan> = {};
    for (const [path, synthetic] of Object.entries(resource.source.fields)) {
      const located = object.fields.get(path) ?? fallback;
      fields[path] = located;
      lines.set(synthetic.value.startLine, located);
    }
    return { ...resource, source: new RenderedSource(object.span, fields, object.fields) };
  });
  const diagnostics = parsed.diagnostics.map((d) => {
    const located = lines.get(d.line) ?? fallback;
    return {
      ...d,
      file: located.value.file,
      line: located.value.startLine,
      column: located.value.startColumn,
    };
  });
  return { resources, diagnostics };
}
