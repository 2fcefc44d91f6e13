import { describe, expect, it } from "vitest";
import { parseCsv, splitRows } from "../../app/estimate/catalog/csv.ts";

describe("splitRows", () => {
  it.each([
    [
      "plain lines",
      "a,b\nc,d\n",
      [
        ["a", "b"],
        ["c", "d"],
      ],
    ],
    [
      "no final newline",
      "a,b\nc,d",
      [
        ["a", "b"],
        ["c", "d"],
      ],
    ],
    [
      "CRLF",
      "a,b\r\nc,d\r\n",
      [
        ["a", "b"],
        ["c", "d"],
      ],
    ],
    [
      "a lone CR ends a row",
      "a,b\rc,d\n",
      [
        ["a", "b"],
        ["c", "d"],
      ],
    ],
    ["a final lone CR", "a,b\r", [["a", "b"]]],
    ["empty cells and lines", "a,,\n\n,b\n", [["a", "", ""], [""], ["", "b"]]],
    [
      "quoted commas and newlines",
      'a,"b,c"\n"d\ne",f\n',
      [
        ["a", "b,c"],
        ["d\ne", "f"],
      ],
    ],
    ["doubled quotes", '"say ""hi""",x\n', [['say "hi"', "x"]]],
    [
      "plain lines after a quoted one",
      'a,"b"\nc,d\n',
      [
        ["a", "b"],
        ["c", "d"],
      ],
    ],
    [
      "quoted lines after plain ones",
      'a,b\n"c\r\nd",e\r\nf,g',
      [
        ["a", "b"],
        ["c\r\nd", "e"],
        ["f", "g"],
      ],
    ],
    ["nothing", "", []],
  ])("%s", (_, text, rows) => {
    expect(splitRows(text)).toEqual(rows);
  });
});

describe("parseCsv", () => {
  it("names cells by the header, leaves empty cells and blank lines out", () => {
    expect(parseCsv('name,cpu,note\nm5.large,2,\n\nc5.xlarge,4,"fast, new"\n')).toEqual([
      { name: "m5.large", cpu: "2" },
      { name: "c5.xlarge", cpu: "4", note: "fast, new" },
    ]);
  });

  it("converts each column's cells as `convert` says for that column, asked once per column", () => {
    const asked: string[] = [];
    const convert = (column: string) => {
      asked.push(column);
      return column === "cpu" ? Number : String;
    };
    expect(parseCsv("name,cpu\nm5.large,2\nc5.xlarge,\nr5.large,16\n", convert)).toEqual([
      { name: "m5.large", cpu: 2 },
      { name: "c5.xlarge" },
      { name: "r5.large", cpu: 16 },
    ]);
    expect(asked).toEqual(["name", "cpu"]);
  });
});
