import { describe, expect, it } from "vitest";
import { pathOf, pointerOf } from "../../app/model/pointer.ts";

describe("JSON pointers", () => {
  it.each([
    { path: [], pointer: "" },
    { path: ["spec", "replicas"], pointer: "/spec/replicas" },
    { path: ["spec", "template", "spec", "containers", 0], pointer: "/spec/template/spec/containers/0" },
    {
      path: ["metadata", "annotations", "downscaler/uptime"],
      pointer: "/metadata/annotations/downscaler~1uptime",
    },
    { path: ["a~b", "~1", "/~"], pointer: "/a~0b/~01/~1~0" },
    { path: ["", 12], pointer: "//12" },
  ])("$pointer is the pointer of $path, and back", ({ path, pointer }) => {
    expect(pointerOf(path)).toBe(pointer);
    expect(pathOf(pointer)).toEqual(path);
  });

  it("reads a key of digits as an index, and an escaped one never", () => {
    expect(pathOf("/items/007")).toEqual(["items", 7]);
    expect(pathOf("/x/1~01")).toEqual(["x", "1~1"]);
  });
});
