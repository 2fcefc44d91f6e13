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
  return /^[\x20-\x21\x23-\x5b\x5d-\x7e]*$/.test(path) ? path : quoted(path, false);
}

/**
 * {@link quotePath} with non-ASCII characters written as they are, as `core.quotePath=false` does:
 * for readers that show Unicode (a markdown report).
 */
export function quotePathKeepingUnicode(path: string): string {
  return holds(path, (code) => isControl(code) || code === 0x22 || code === 0x5c) ? quoted(path, true) : path;
}

/** A control character: each is escaped, never written as it is. */
function isControl(code: number): boolean {
  return code < 0x20 || code === 0x7f;
}

function holds(path: string, test: (code: number) => boolean): boolean {
  for (let i = 0; i < path.length; i++) if (test(path.charCodeAt(i))) return true;
  return false;
}

function quoted(path: string, keepUnicode: boolean): string {
  let text = "";
  for (const char of path) {
    if (keepUnicode && char > "\x7f") text += char;
    else for (const byte of encoder.encode(char)) text += escaped(byte);
  }
  return `"${text}"`;
}

const encoder = new TextEncoder();

function escaped(byte: number): string {
  if (ESCAPES[byte] !== undefined) return ESCAPES[byte];
  if (byte >= 0x20 && byte <= 0x7e) return String.fromCharCode(byte);
  return `\\${byte.toString(8).padStart(3, "0")}`;
}

/**
 * A path as one word a POSIX shell reads back as it is, for a command the user may paste: as is when
 * it needs no quoting, in single quotes otherwise, and in bash's `$'…'` with C escapes when it holds a
 * control character (a line break inside single quotes would split the line the command is on).
 */
export function shellWord(path: string): string {
  if (/^[\w@%+=:,./-]+$/.test(path)) return path;
  if (!holds(path, isControl)) return `'${path.replaceAll("'", `'\\''`)}'`;
  return `$'${quoted(path, true).slice(1, -1).replaceAll("'", "\\'")}'`;
}
