import { describe, expect, it } from "vitest";
import { codeCell, decimal, rate, usd, whereCell } from "../../app/report/numbers.ts";

describe("codeCell: text as code in a markdown table cell", () => {
  it.each([
    ["environments/prod/api.yaml", "`environments/prod/api.yaml`"],
    ["a|b.yaml", "`a\\|b.yaml`"],
    ["odd`name.yaml", "``odd`name.yaml``"],
    ["two``ticks.yaml", "```two``ticks.yaml```"],
    ["`starts.yaml", "`` `starts.yaml ``"],
    ["ends.yaml`", "`` ends.yaml` ``"],
    ["line\nbreak", "`line break`"],
  ])("%j → %s", (text, cell) => {
    expect(codeCell(text)).toBe(cell);
  });
});

describe("whereCell: a file and line as code in a markdown table cell, the path written as git does", () => {
  it.each([
    ["environments/prod/api.yaml", 7, "`environments/prod/api.yaml:7`"],
    // A line break in a name was a space in the cell: another file's name.
    ["new\nline.yaml", 3, '`"new\\nline.yaml":3`'],
    ["tab\there.yaml", 1, '`"tab\\there.yaml":1`'],
    ["café/ünïcode.yaml", 2, "`café/ünïcode.yaml:2`"],
    ["a|b.yaml", 4, "`a\\|b.yaml:4`"],
  ])("%j line %i → %s", (file, line, cell) => {
    expect(whereCell(file, line)).toBe(cell);
  });
});

describe("number formats: en-US grouping, the fraction digits each format asks for", () => {
  it.each([
    [usd, 0, "$0.00"],
    [usd, 1234567.891, "$1,234,567.89"],
    [usd, -3.5, "−$3.50"],
    [usd, 0.004567, "$0.0046"],
    [rate, 0.031614, "$0.03161"],
    [rate, 0.00001234, "$0.00001234"],
    [rate, 1250.5, "$1,250.50"],
    [decimal, 0, "0"],
    [decimal, 1234.56, "1,234.6"],
    [decimal, 3.14729, "3.15"],
    [decimal, 0.012345, "0.012"],
    [decimal, -0.00012345, "−0.00012"],
  ] as const)("%o(%d) → %s", (format, value, text) => {
    expect(format(value)).toBe(text);
  });

  it("keeps each format's digits whichever format ran first", () => {
    expect([decimal(1234.5), usd(1234.5), rate(12.5), decimal(0.5)]).toEqual([
      "1,234.5",
      "$1,234.50",
      "$12.50",
      "0.5",
    ]);
    expect([usd(2.5), decimal(2.5), rate(2.5), usd(0.0012), rate(0.0012)]).toEqual([
      "$2.50",
      "2.5",
      "$2.50",
      "$0.0012",
      "$0.0012",
    ]);
  });
});
