import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";

const read = (path: string) => readFileSync(new URL(`../${path}`, import.meta.url), "utf8");

describe("README", () => {
  it("names the test command that .ci/run runs", () => {
    expect(read("README.md")).toContain("npm test");
    expect(read(".ci/run")).toMatch(/^npm test$/m);
  });
});
