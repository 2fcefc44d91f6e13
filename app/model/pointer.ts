/**
 * JSON pointers (RFC 6901): how a resource's fields are keyed (`/spec/replicas`), and the paths they
 * stand for. Both directions run for every field read and every finding, so segments that need no
 * escaping (nearly all) are used as they are.
 */

/** The pointer of a path. */
export function pointerOf(path: readonly (string | number)[]): string {
  let pointer = "";
  for (let i = 0; i < path.length; i++) {
    const segment = path[i] as string | number;
    pointer += `/${typeof segment === "number" ? segment : pointerSegment(segment)}`;
  }
  return pointer;
}

export function pointerSegment(segment: string): string {
  return segment.includes("~") || segment.includes("/")
    ? segment.replaceAll("~", "~0").replaceAll("/", "~1")
    : segment;
}

/** The path of a pointer, sequence indexes (segments of digits) as numbers. */
export function pathOf(pointer: string): (string | number)[] {
  if (pointer === "") return [];
  return pointer.slice(1).split("/").map(pathSegment);
}

/** A segment as a path segment: an escaped one (`~0`, `~1`) is never an index. */
function pathSegment(segment: string): string | number {
  if (segment.includes("~")) return segment.replaceAll("~1", "/").replaceAll("~0", "~");
  return /^\d+$/.test(segment) ? Number(segment) : segment;
}
