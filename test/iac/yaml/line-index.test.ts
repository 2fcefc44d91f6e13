import { describe, expect, it } from "vitest";
import { LineIndex } from "../../../app/iac/yaml/line-index.ts";

describe("LineIndex", () => {
  it.each([
    // text, lines, each 1-based line's start and the one past the last (the end of the text)
    ["a: 1\nb: 2\n", 3, [0, 5, 10, 10]],
    ["a: 1\nb: 2", 2, [0, 5, 9]],
    ["", 1, [0, 0]],
    ["\n\n", 3, [0, 1, 2, 2]],
  ])("%j has %i lines starting at %j", (text, lines, offsets) => {
    const index = new LineIndex(text);
    expect(index.lines).toBe(lines);
    expect(offsets.map((_, i) => index.offset(i + 1))).toEqual(offsets);
    expect(offsets.slice(0, lines).map((offset) => index.lineOf(offset))).toEqual(
      offsets.slice(0, lines).map((_, i) => i),
    );
  });
});
