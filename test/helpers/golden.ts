import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { expect } from "vitest";

const GOLDEN = new URL("../golden/", import.meta.url);

/** Compares text with test/golden/<name>; UPDATE_GOLDEN=1 rewrites the file instead. */
export function expectGolden(name: string, actual: string): void {
  const path = new URL(name, GOLDEN);
  if (process.env.UPDATE_GOLDEN === "1" || !existsSync(path)) {
    if (process.env.CI === "true" && !existsSync(path))
      throw new Error(`missing golden file test/golden/${name}`);
    mkdirSync(dirname(path.pathname), { recursive: true });
    writeFileSync(path, actual);
    return;
  }
  expect(actual, `test/golden/${name} (run UPDATE_GOLDEN=1 npm test to accept)`).toBe(
    readFileSync(path, "utf8"),
  );
}
