import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { JsonFile, JsonSyntaxError } from "../../../app/iac/json/json-file.ts";

describe("JsonFile", () => {
  it("builds the same values as JSON.parse", () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.boolean(), (value, pretty) => {
        const text = JSON.stringify(value, null, pretty ? 2 : undefined);
        expect(new JsonFile("x.json", text).value).toEqual(JSON.parse(text));
      }),
    );
  });

  it("locates members of objects and arrays, keys included", () => {
    const text = '{\n  "a": [1, {"b": "x\\"y"}],\n  "c": {}\n}\n';
    const json = new JsonFile("x.json", text);
    expect(json.locatePath(["a"])?.key).toMatchObject({ startLine: 2, startColumn: 3 });
    expect(json.locatePath(["a", 1])?.value).toMatchObject({ startLine: 2, startColumn: 12, endColumn: 25 });
    expect(json.locatePath(["a", 1, "b"])?.value).toMatchObject({ startColumn: 18, endColumn: 24 });
    expect(json.locatePath(["c"])?.value).toMatchObject({ startLine: 3, startColumn: 8, endColumn: 10 });
    expect(json.locatePath(["nope"])).toBeUndefined();
  });

  it.each([
    ['{"a": 1,}', 1, 9, "expected a property name in double quotes"],
    ['{"a" 1}', 1, 6, "expected ':' after a property name"],
    ["[1 2]", 1, 4, "expected ',' or ']' in an array"],
    ['"abc', 1, 1, "unterminated string"],
    ["{}\n{}", 2, 1, "unexpected text after the JSON value"],
    ["", 1, 1, "unexpected end of input"],
  ])("reports %j at line %i, column %i", (text, line, column, reason) => {
    expect(() => new JsonFile("x.json", text)).toThrow(JsonSyntaxError);
    try {
      new JsonFile("x.json", text);
    } catch (error) {
      expect(error).toMatchObject({ line, column, reason });
    }
  });

  it("refuses pathological nesting instead of overflowing the stack", () => {
    expect(() => new JsonFile("x.json", "[".repeat(10_000))).toThrow(/nested deeper/);
  });
});
