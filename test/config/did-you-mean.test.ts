import { describe, expect, it } from "vitest";
import { didYouMean } from "../../app/config/did-you-mean.ts";

const KEYS = ["cloud", "region", "nodeInstanceType", "nodeCount", "currency"];

describe("didYouMean", () => {
  it.each([
    ["regoin", "region"],
    ["Cloud", "cloud"],
    ["nodeType", "nodeInstanceType"],
    ["curency", "currency"],
    ["zone", undefined],
    ["budget", undefined],
  ])("%s → %s", (word, expected) => {
    expect(didYouMean(word, KEYS)).toBe(expected);
  });
});
