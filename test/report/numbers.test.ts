import { describe, expect, it } from "vitest";
import { codeCell } from "../../app/report/numbers.ts";

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
