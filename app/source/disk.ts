import { closeSync, constants, fstatSync, openSync, readlinkSync, readSync, realpathSync } from "node:fs";
import { dirname, join, sep } from "node:path";
import {
  decode,
  MAX_FILE_BYTES,
  notRegularFile,
  type SourceFile,
  tooLarge,
  unreadableReason,
} from "./file-text.ts";

/**
 * Opens the file itself, never what a link points to (ELOOP on a link), and never waits for a FIFO's
 * writer: a FIFO or a device is refused by its type before a byte is read.
 */
const OPEN_FLAGS = constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK;

/**
 * Reads files of a working tree without leaving it: a path through a directory link out of the
 * repository, a symbolic link, a FIFO, a device or a socket is refused with the reason, and a file
 * above the size limit is refused by its size. One instance per read: it remembers directories.
 */
export class Disk {
  readonly #root: string;
  readonly #realRoot: string;
  /** Directory (relative) → whether its real path is inside the repository, or why it cannot be known. */
  readonly #inside = new Map<string, boolean | string | undefined>();

  constructor(root: string) {
    this.#root = root;
    this.#realRoot = realpathSync.native(root);
  }

  /** The file's text, why it is refused, or undefined when there is no such file. */
  read(path: string): SourceFile | undefined {
    const full = join(this.#root, path);
    const directory = this.#directoryInside(dirname(path));
    if (directory === undefined) return undefined;
    if (typeof directory === "string") return { path, skipped: directory };
    if (!directory) {
      return { path, skipped: "its folder is a symbolic link out of the repository; not read" };
    }
    let fd: number;
    try {
      fd = openSync(full, OPEN_FLAGS);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === "ELOOP") return { path, skipped: linkReason(full) };
      if (code === "ENOENT" || code === "ENOTDIR") return undefined;
      return { path, skipped: `${unreadableReason(error)}; not read` };
    }
    try {
      const info = fstatSync(fd);
      if (!info.isFile()) return { path, skipped: `${notRegularFile(info)}; not read` };
      if (info.size > MAX_FILE_BYTES) return tooLarge(path, info.size);
      return decode(path, readAll(fd, info.size));
    } finally {
      closeSync(fd);
    }
  }

  /**
   * Whether a directory's real path stays in the repository; undefined when it does not exist, why not
   * when it cannot be reached (a folder on the way that may not be searched).
   */
  #directoryInside(directory: string): boolean | string | undefined {
    const known = this.#inside.get(directory);
    if (known !== undefined || this.#inside.has(directory)) return known;
    let inside: boolean | string | undefined;
    try {
      const real = realpathSync.native(join(this.#root, directory));
      inside = real === this.#realRoot || real.startsWith(this.#realRoot + sep);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      inside =
        code === "ENOENT" || code === "ENOTDIR"
          ? undefined
          : `a folder on its path (${directory}) cannot be reached: ${unreadableReason(error)}; not read`;
    }
    this.#inside.set(directory, inside);
    return inside;
  }
}

function readAll(fd: number, size: number): Buffer {
  const bytes = Buffer.allocUnsafe(size);
  let read = 0;
  while (read < size) {
    const count = readSync(fd, bytes, read, size - read, read);
    if (count === 0) break;
    read += count;
  }
  return bytes.subarray(0, read);
}

function linkReason(full: string): string {
  let target = "";
  try {
    target = ` to ${readlinkSync(full)}`;
  } catch {
    // gone meanwhile: the reason stays general
  }
  return `a symbolic link${target}: GreenOps does not follow links (it reads nothing outside the repository, and git stores the link, not its target); not read`;
}
