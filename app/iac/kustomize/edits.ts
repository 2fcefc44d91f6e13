import type { ByHand, Edits, TextEdit } from "../../engine/finding.ts";
import { pathOf, pointerOf } from "../../model/pointer.ts";
import type { FieldSpan, Resource } from "../../model/resource.ts";
import { YamlEditor, type YamlValue } from "../yaml/yaml-edits.ts";
import type { YamlPath } from "../yaml/yaml-file.ts";
import { KUSTOMIZATION } from "./kustomization.ts";
import { namesTarget } from "./patch.ts";
import { RenderedSource } from "./source.ts";

/** Where a change is written: a map (or the value itself) in a YAML document, and the keys below it. */
type Place = { file: string; document: number; root: YamlPath; below: YamlPath };

const NOT_WRITTEN = { byHand: "not-written" } as const satisfies Edits;
const INLINE_PATCH = { byHand: "inline-patch" } as const satisfies Edits;

/**
 * Edits that set fields of a Kustomize-rendered resource in the files it is rendered from, as the
 * manifest editor writes them (YAML quoting and style, comments kept, missing maps created): a field
 * written in a base or a patch is replaced there; a missing one is inserted into its nearest written
 * parent — in the overlay's patch when that patch writes the same parent map (it already tunes those
 * fields for this overlay), else where the parent is declared (the base). Made by hand when the field
 * or its parent is written where no edit reaches: an inline patch (inline-patch), a name prefix.
 */
export function renderedEdits(
  text: (file: string) => string | undefined,
  resource: Resource,
  changes: { path: (string | number)[]; value: YamlValue }[],
): Edits {
  const rendered = RenderedSource.rendered(resource.source);
  const groups = new Map<string, { place: Place; changes: { path: YamlPath; value: YamlValue }[] }>();
  for (const { path, value } of changes) {
    const place = placeOf(rendered, path);
    if (!("file" in place)) return place;
    const key = JSON.stringify([place.file, place.document, place.root]);
    const group = groups.get(key) ?? { place, changes: [] };
    group.changes.push({ path: place.below, value });
    groups.set(key, group);
  }
  const editor = new YamlEditor(text);
  const edits: TextEdit[] = [];
  for (const { place, changes } of groups.values()) {
    const own = editor.setAll(place.file, place.document, place.root, changes);
    if (!Array.isArray(own)) return own;
    edits.push(...own);
  }
  return edits;
}

/** The nearest field of `path` (itself or a parent) the render locates, and where to write below it. */
function placeOf(rendered: ReadonlyMap<string, FieldSpan>, path: YamlPath): Place | { byHand: ByHand } {
  for (let depth = path.length; depth >= 0; depth--) {
    const pointer = pointerOf(path.slice(0, depth));
    const field = rendered.get(pointer);
    if (!field) continue;
    if (!field.yamlPath) return field.inlinePatch ? INLINE_PATCH : NOT_WRITTEN;
    const below = path.slice(depth);
    // A container (a list item) is declared by the base: a patch names it only to find it.
    const patch =
      below.length > 0 && typeof path[depth - 1] === "string"
        ? patchWriting(rendered, pointer, field)
        : undefined;
    const host = patch ?? { file: field.value.file, document: field.yamlDocument ?? 0, root: field.yamlPath };
    return { ...host, below };
  }
  return NOT_WRITTEN;
}

/**
 * Where another file (an overlay's patch) writes the map at `pointer` too, from the fields it sets
 * under it; undefined unless exactly one place does. A field whose path there does not end with the
 * same keys (a JSON 6902 operation's value), a kustomization's own line (`replicas`, `namespace`),
 * or a field that only names what the patch patches (`metadata.name`, a container's `name`) does
 * not tell where the map is.
 */
function patchWriting(
  rendered: ReadonlyMap<string, FieldSpan>,
  pointer: string,
  own: FieldSpan,
): Omit<Place, "below"> | undefined {
  const places = new Map<string, Omit<Place, "below">>();
  const depth = pathOf(pointer).length;
  for (const [inner, field] of rendered) {
    const { file } = field.value;
    if (!inner.startsWith(`${pointer}/`) || !field.yamlPath || KUSTOMIZATION.test(file)) continue;
    const document = field.yamlDocument ?? 0;
    const path = pathOf(inner);
    if ((file === own.value.file && document === (own.yamlDocument ?? 0)) || namesTarget(path)) continue;
    const tail = path.slice(depth);
    const root = field.yamlPath.slice(0, field.yamlPath.length - tail.length);
    if (root.length === 0 || !sameKeys(field.yamlPath.slice(root.length), tail)) continue;
    places.set(JSON.stringify([file, document, root]), { file, document, root });
  }
  return places.size === 1 ? [...places.values()][0] : undefined;
}

/** Whether two paths name the same keys (list indexes may differ: a patch lists only some items). */
function sameKeys(a: YamlPath, b: YamlPath): boolean {
  return (
    a.length === b.length &&
    a.every((segment, i) => {
      const other = b[i];
      return String(segment) === String(other) || (typeof segment === "number" && typeof other === "number");
    })
  );
}
