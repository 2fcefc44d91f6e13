import { describe, expect, it } from "vitest";
import { plainScalarNumberText } from "../../../app/iac/kubernetes/go-yaml-scalar.ts";

describe("plainScalarNumberText (go-yaml v2 resolution, then encoding/json)", () => {
  it.each([
    ["3", "3"],
    ["1e3", "1000"],
    ["0.5", "0.5"],
    [".5", "0.5"],
    ["5.", "5"],
    ["1_000", "1000"],
    ["0x10", "16"],
    ["010", "8"],
    ["0o17", "15"],
    ["0b101", "5"],
    ["08", "8"],
    ["-2", "-2"],
    ["1e21", "1e+21"],
    ["0.0000001", "1e-7"],
    ["18446744073709551615", "18446744073709551615"],
    ["0xFF", "255"],
    ["0XaB", "171"],
    ["+0b11", "3"],
    ["1E3", "1000"],
    ["-.5", "-0.5"],
  ])("%s → %s", (raw, json) => {
    expect(plainScalarNumberText(raw)).toBe(json);
  });

  it.each(["250m", "1Gi", "abc", "", "1e400", "1.5Gi", "true", "12Ki", "0x1G", "1_000m", "5e", ".inf"])(
    "%j is not a number",
    (raw) => {
      expect(plainScalarNumberText(raw)).toBeUndefined();
    },
  );
});
