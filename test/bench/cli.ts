import { readFileSync } from "node:fs";

/** The CLI as users start it: bin/greenops.js, with the Node.js flags of its first line. */
export const BIN = new URL("../../bin/greenops.js", import.meta.url).pathname;

/** The flags of the bin's `#!/usr/bin/env -S node …` line: a shell that runs the bin passes them. */
export const NODE_FLAGS = (readFileSync(BIN, "utf8").split("\n", 1)[0] ?? "")
  .split(/\s+/)
  .filter((word) => word.startsWith("--"));

/** Arguments for this Node.js that run the CLI as the bin's first line would. */
export function cliArgs(args: readonly string[]): string[] {
  return [...NODE_FLAGS, BIN, ...args];
}
