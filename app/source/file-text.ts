import { isUtf8 } from "node:buffer";
import type { Stats } from "node:fs";

/** A file as read: its text, or why it was not read. */
export type SourceFile = { path: string; text: string } | { path: string; skipped: string };

/** Files larger than this are reported and left out: no manifest is this big, a generated dump may be. */
export const MAX_FILE_BYTES = 10 * 1024 * 1024;

const REPLACEMENT_CHARACTER = Buffer.from("\uFFFD");

/**
 * Text of a file, or why it is not read: binary content is refused rather than misparsed, and so is
 * text in another encoding than UTF-8 (what Kubernetes reads), which read as UTF-8 would lose its
 * characters, and lose them for good once a fix writes the file back.
 */
export function decode(path: string, bytes: Buffer): SourceFile {
  if (startsUtf16(bytes))
    return {
      path,
      skipped: "UTF-16 text (it starts with a UTF-16 byte order mark): save it as UTF-8; not read",
    };
  const nul = bytes.indexOf(0);
  if (nul !== -1 && nul < 8000) return { path, skipped: "binary file (it contains NUL bytes); not read" };
  const text = bytes.toString("utf8");
  return isUtf8(bytes) ? { path, text } : { path, skipped: notUtf8Reason(text, bytes) };
}

/** A UTF-16 byte order mark, little- or big-endian (compared byte by byte: this runs for every file read). */
function startsUtf16(bytes: Buffer): boolean {
  return (bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff);
}

/** Says where the first byte that is not UTF-8 is: a Latin-1 `é` is one byte, 0xE9, that starts no UTF-8 character. */
function notUtf8Reason(text: string, bytes: Buffer): string {
  const offsetOf = (index: number) => Buffer.byteLength(text.slice(0, index));
  let at = text.indexOf("\uFFFD");
  // A U+FFFD the file itself holds is UTF-8 (EF BF BD); the first other one stands for a byte that is not.
  while (bytes.subarray(offsetOf(at), offsetOf(at) + 3).equals(REPLACEMENT_CHARACTER))
    at = text.indexOf("\uFFFD", at + 1);
  const before = text.slice(0, at);
  const line = before.split("\n").length;
  const column = at - before.lastIndexOf("\n");
  const byte = (bytes[offsetOf(at)] ?? 0).toString(16).toUpperCase().padStart(2, "0");
  return `not UTF-8: byte 0x${byte} at line ${line}, column ${column} (Latin-1 or Windows-1252 text?): save it as UTF-8; not read`;
}

export function tooLarge(path: string, size: number): SourceFile {
  return { path, skipped: tooLargeReason(size) };
}

/** Why a file of `size` bytes is not read. */
export function tooLargeReason(size: number): string {
  const mib = (size / 1024 / 1024).toFixed(1);
  return `file is ${mib} MiB, above the ${MAX_FILE_BYTES / 1024 / 1024} MiB limit; not read`;
}

/** What the system said when a file or folder could not be opened, in words: the code alone says little. */
const FOLDER = "a folder, not a file";

const OPEN_FAILURES: Record<string, string> = {
  EISDIR: FOLDER,
  EACCES: "permission denied (the user running GreenOps may not read it)",
  EPERM: "operation not permitted (the system refuses to open it)",
  ENOENT: "no such file",
  EMFILE: "too many files open at once",
  ENFILE: "too many files open on the system",
  EIO: "input/output error from the disk",
};

/** Why a file or folder could not be opened: the cause in words; the system's code only for others. */
export function unreadableReason(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  const cause = code === undefined ? undefined : OPEN_FAILURES[code];
  if (cause) return cause;
  return `could not be opened (${code ?? (error as Error).message})`;
}

/** What a path that is not a regular file is: a folder, a FIFO, a socket, a device. */
export function notRegularFile(info: Stats): string {
  if (info.isDirectory()) return FOLDER;
  const kind = info.isFIFO()
    ? "a FIFO"
    : info.isSocket()
      ? "a socket"
      : info.isCharacterDevice() || info.isBlockDevice()
        ? "a device"
        : "not a regular file";
  return kind === "not a regular file" ? kind : `${kind}, not a regular file`;
}
