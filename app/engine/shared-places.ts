import { isDeepStrictEqual } from "node:util";
import { RenderedSource } from "../iac/kustomize/source.ts";
import { type Resource, resourceKey } from "../model/resource.ts";
import type { Edits, Finding, TextEdit } from "./finding.ts";

type Place = { start: number; end: number; owner: string };

/** The finding a fix is for: its policy, its subject, and whether an ignore suppresses it (set later). */
type Asking = Pick<Finding, "policy" | "subject" | "suppressed">;

/** The edits a policy's fix would make for one resource, as the policy gave them (computed once). */
type RawEdits = () => Edits;

/**
 * Where in the files each resource read at the head is written: its document (or a program's call),
 * for a Kustomize render every field's place (a base or a patch), and a value read from another YAML
 * file (a Pulumi stack's config). A text edit inside the place of another resource changes that one
 * too (the same file deployed to two environments or by two Applications, a base two overlays include,
 * a program two stacks run), so it is made by hand, unless the same policy asks each of those
 * resources for that very edit and no ignore keeps one of them as it is.
 */
export class SharedPlaces {
  /** Only the places that overlap another resource's, by file: most files have none. */
  readonly #byFile = new Map<string, Place[]>();
  readonly #owners = new Set<string>();
  readonly #fixes = new Map<string, { finding: Asking; edits: RawEdits }>();
  readonly #text: (file: string) => string | undefined;

  /** `text`: the files as read, to tell which line an insertion goes after. */
  constructor(resources: readonly Resource[], text: (file: string) => string | undefined) {
    this.#text = text;
    // A manifest or a program is shared only when two readers read it: two environments, or two ArgoCD
    // Applications of one environment (one file two Applications deploy to two namespaces, a program
    // two stacks run). Those files' places are compared, and every place of a render, which may nest
    // (a base's document, a patch's field).
    const readerOf = new Map<string, string>();
    const placed = new Map<string, Place[]>();
    const placesIn = (file: string) => placed.get(file) ?? (placed.set(file, []).get(file) as Place[]);
    let last: Resource | undefined;
    for (const resource of resources) {
      const { source } = resource;
      // A file's resources follow each other: most are the last one's file and reader.
      if (
        source.format === "kustomize" ||
        (last?.source.span.file === source.span.file && readerKey(last) === readerKey(resource))
      )
        continue;
      last = resource;
      const first = readerOf.get(source.span.file);
      if (first === undefined) readerOf.set(source.span.file, readerKey(resource));
      else if (first !== readerKey(resource)) placed.set(source.span.file, []);
    }
    for (const resource of resources) {
      const { span, fields, format } = resource.source;
      const owner = resourceKey(resource);
      // Every field of a render, not only those read: a fix may insert into any map a patch writes.
      if (format === "kustomize")
        for (const { value } of RenderedSource.rendered(resource.source).values())
          placesIn(value.file).push({ start: value.startOffset, end: value.endOffset, owner });
      // A value written in another file (a Pulumi stack's config, Pulumi.yaml's for every stack) is
      // compared wherever it is: two stacks of one program may read the same one. A plain manifest's
      // fields are all in its own document.
      else if (format !== "kubernetes")
        for (const { value, yamlPath } of Object.values(fields))
          if (yamlPath && value.file !== span.file)
            placesIn(value.file).push({ start: value.startOffset, end: value.endOffset, owner });
      const places = format === "kustomize" ? placesIn(span.file) : placed.get(span.file);
      places?.push({ start: span.startOffset, end: span.endOffset, owner });
    }
    for (const [file, places] of placed) this.#share(file, overlapping(places));
  }

  #share(file: string, places: Place[]): void {
    if (places.length === 0) return;
    this.#byFile.set(file, places);
    for (const place of places) this.#owners.add(place.owner);
  }

  /**
   * A fix's edits, checked when first read: as the policy gave them, or made by hand when one lies
   * where another resource is written and that resource's finding (same policy, same subject) does
   * not make the same edits, or is suppressed (an ignore keeps that resource as it is).
   */
  guarded(edits: Edits | RawEdits, resource: Resource | undefined, finding: Asking): Edits | RawEdits {
    const owner = resource && resourceKey(resource);
    if (!owner || !this.#owners.has(owner)) return edits;
    let computed: Edits | undefined;
    const raw = () => {
      computed ??= typeof edits === "function" ? edits() : edits;
      return computed;
    };
    const key = (owner: string) => `${finding.policy}\0${finding.subject ?? ""}\0${owner}`;
    this.#fixes.set(key(owner), { finding, edits: raw });
    return () => {
      const own = raw();
      if (!Array.isArray(own)) return own;
      const others = new Set(own.flatMap((edit) => this.#ownersAround(edit, owner)));
      const agree = [...others].every((other) => {
        const theirs = this.#fixes.get(key(other));
        return theirs !== undefined && !theirs.finding.suppressed && sameEdits(theirs.edits(), own);
      });
      return agree ? own : { byHand: "shared" };
    };
  }

  /**
   * The other owners of places an edit lies in. An insertion (new lines after a line, after its trailing
   * comment) lies in every place that holds the line it follows: the map it extends ends on that line.
   */
  #ownersAround(edit: TextEdit, owner: string): string[] {
    const places = this.#byFile.get(edit.file) ?? [];
    const text = edit.start === edit.end ? this.#text(edit.file) : undefined;
    const end = text === undefined ? edit.end : text.lastIndexOf("\n", edit.start - 1) + 1;
    return places
      .filter((place) => place.owner !== owner && place.start <= edit.start && end <= place.end)
      .map((place) => place.owner);
  }
}

/** The places that overlap a place of another owner (sorted by start, so each is compared with those open). */
function overlapping(places: Place[]): Place[] {
  if (places.length < 2) return [];
  const sorted = [...places].sort((a, b) => a.start - b.start || b.end - a.end);
  const shared = new Set<Place>();
  const open: Place[] = [];
  for (const place of sorted) {
    for (let i = open.length - 1; i >= 0; i--) if ((open[i] as Place).end <= place.start) open.splice(i, 1);
    for (const other of open)
      if (other.owner !== place.owner) {
        shared.add(other);
        shared.add(place);
      }
    open.push(place);
  }
  return [...shared];
}

function sameEdits(theirs: Edits, own: TextEdit[]): boolean {
  return Array.isArray(theirs) && isDeepStrictEqual(theirs, own);
}

/** Who reads a resource's file: its environment, and the ArgoCD Application that deploys it. */
function readerKey(resource: Resource): string {
  return `${resource.environment}\0${resource.application?.name ?? ""}`;
}
