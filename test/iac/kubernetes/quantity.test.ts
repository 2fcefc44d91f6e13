import { describe, expect, it } from "vitest";
import {
  formatCpu,
  formatMemory,
  milliValue,
  parseQuantity,
  QuantityError,
  readableMemory,
  unitValue,
} from "../../../app/iac/kubernetes/quantity.ts";
import table from "../../fixtures/kubernetes/apimachinery-quantity-parse.json" with { type: "json" };

describe("parseQuantity against apimachinery's own TestQuantityParse table", () => {
  it.each(table.valid)("$input", ({ input, nanos }) => {
    expect(parseQuantity(input).nanos).toBe(BigInt(nanos));
    expect(parseQuantity(`-${input}`).nanos).toBe(-BigInt(nanos));
    expect(parseQuantity(`+${input}`).nanos).toBe(BigInt(nanos));
  });

  it.each(table.invalid)("rejects %j", (input) => {
    expect(() => parseQuantity(input)).toThrow(QuantityError);
  });
});

describe("Kubernetes documentation examples (concepts/configuration/manage-resources-containers)", () => {
  it("reads 128974848, 129e6, 129M, 128974848000m and 123Mi as about the same memory", () => {
    const bytes = ["128974848", "129e6", "129M", "128974848000m", "123Mi"].map((text) =>
      Number(unitValue(parseQuantity(text))),
    );
    expect(bytes).toEqual([128974848, 129000000, 129000000, 128974848, 128974848]);
  });

  it("reads 0.1 CPU as 100m", () => {
    expect(milliValue(parseQuantity("0.1"))).toBe(100n);
    expect(milliValue(parseQuantity("100m"))).toBe(100n);
  });

  it("reads 400m of memory as 0.4 bytes, rounded up to 1 byte by Value()", () => {
    expect(parseQuantity("400m").nanos).toBe(400_000_000n);
    expect(unitValue(parseQuantity("400m"))).toBe(1n);
  });

  it.each([
    ["1.5Gi", 1610612736n],
    ["250m", 1n],
    ["1e3", 1000n],
    ["2Ti", 2199023255552n],
  ])("reads %s as %d units", (text, units) => {
    expect(unitValue(parseQuantity(text))).toBe(units);
  });

  it("rounds sub-millicore CPU up, as the scheduler's MilliValue does", () => {
    expect(milliValue(parseQuantity("0.0001"))).toBe(1n);
    expect(milliValue(parseQuantity("1500u"))).toBe(2n);
  });

  it("refuses absurd exponents instead of computing them", () => {
    expect(() => parseQuantity("1e999999999")).toThrow(/absurd exponent/);
  });
});

describe("formatting", () => {
  it.each([
    [250, "250m"],
    [1000, "1"],
    [1500, "1500m"],
    [0, "0"],
  ])("formats %d millicores as %s", (milli, text) => {
    expect(formatCpu(milli)).toBe(text);
  });

  it.each([
    [268435456, "256Mi"],
    [1073741824, "1Gi"],
    [1536 * 1024 * 1024, "1536Mi"],
    [1000, "1000"],
  ])("formats %d bytes as %s", (bytes, text) => {
    expect(formatMemory(bytes)).toBe(text);
  });

  it.each([
    [3879732 * 1024, "3.70Gi"],
    [1536 * 1024 * 1024, "1536Mi"],
    [760 * 1024 * 1024, "760Mi"],
    [4056743936, "3.78Gi"],
    [1e9, "954Mi"],
    [20000 * 1024 * 1024, "19.5Gi"],
    [1500, "1.46Ki"],
    [100, "100"],
  ])("shows %d bytes as %s in messages", (bytes, text) => {
    expect(readableMemory(bytes)).toBe(text);
  });
});
