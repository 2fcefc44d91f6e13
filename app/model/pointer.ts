/** A JSON pointer (RFC 6901) of a path: how a resource's fields are keyed (`/spec/replicas`). */
export function pointerOf(path: readonly (string | number)[]): string {
  return path.map((segment) => `/${pointerSegment(String(segment))}`).join("");
}

export function pointerSegment(segment: string): string {
  return segment.replaceAll("~", "~0").replaceAll("/", "~1");
}
