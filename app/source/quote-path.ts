/** git's escapes for the control characters that have one (core.quotePath). */
const ESCAPES: Record<number, string> = {
  7: "\\a",
  8: "\\b",
  9: "\\t",
  10: "\\n",
  11: "\\v",
  12: "\\f",
  13: "\\r",
  34: '\\"',
  92: "\\\\",
};

/**
 * A path as git prints it with its default `core.quotePath=true`: as is when it is printable ASCII
 * without `"` or `\`, else in double quotes with C-style escapes, other control characters and every
 * byte of a non-ASCII character's UTF-8 in octal (`"caf\303\251.yaml"`), so a line that names a path
 * stays one line and says exactly which file it is.
 */
export function quotePath(path: string): string {
  if (!/[^\x20-\x7e]|["\\]/.test(path)) return path;
  let quoted = "";
  for (const byte of new TextEncoder().encode(path)) {
    if (ESCAPES[byte] !== undefined) quoted += ESCAPES[byte];
    else if (byte >= 0x20 && byte <= 0x7e) quoted += String.fromCharCode(byte);
    else quoted += `\\${byte.toString(8).padStart(3, "0")}`;
  }
  return `"${quoted}"`;
}
