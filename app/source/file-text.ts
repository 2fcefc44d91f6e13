/** A file as read: its text, or why it was not read. */
export type SourceFile = { path: string; text: string } | { path: string; skipped: string };

/** Files larger than this are reported and left out: no manifest is this big, a generated dump may be. */
export const MAX_FILE_BYTES = 10 * 1024 * 1024;

/** Text of a file, or why it is not read: binary content is refused rather than misparsed. */
export function decode(path: string, bytes: Buffer): SourceFile {
  if (bytes.subarray(0, 8000).includes(0))
    return { path, skipped: "binary file (it contains NUL bytes); not read" };
  return { path, text: bytes.toString("utf8") };
}

export function tooLarge(path: string, size: number): SourceFile {
  return { path, skipped: tooLargeReason(size) };
}

/** Why a file of `size` bytes is not read. */
export function tooLargeReason(size: number): string {
  const mib = (size / 1024 / 1024).toFixed(1);
  return `file is ${mib} MiB, above the ${MAX_FILE_BYTES / 1024 / 1024} MiB limit; not read`;
}
