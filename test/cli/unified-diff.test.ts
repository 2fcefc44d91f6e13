import { applyPatch, createTwoFilesPatch } from "diff";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { unifiedDiff } from "../../app/cli/unified-diff.ts";
import type { TextEdit } from "../../app/engine/finding.ts";
import { applyEdits } from "../../app/engine/fix-edits.ts";
import { expectGolden } from "../helpers/golden.ts";

/** The QA pass on greenops fix, item 2: the diff of `greenops fix` is built from the edits, as `git diff` shows them. */

const FILE = "environments/staging/shop/web.yaml";

/** Thirty numbered lines: `line 1` to `line 30`. */
const LINES = Array.from({ length: 30 }, (_, i) => `line ${i + 1}\n`).join("");

/** An edit replacing `needle` (its first occurrence, from `from`) with `text`. */
function at(text: string, needle: string, replacement: string): TextEdit {
  const start = text.indexOf(needle);
  if (start < 0) throw new Error(`${needle} not in the text`);
  return { file: FILE, start, end: start + needle.length, text: replacement };
}

function inserted(text: string, before: string, insertion: string): TextEdit {
  const start = text.indexOf(before);
  return { file: FILE, start, end: start, text: insertion };
}

const CASES: [name: string, before: string, edits: (text: string) => TextEdit[]][] = [
  [
    "edits-near-and-far",
    LINES,
    (t) => [
      at(t, "line 5\n", "line five\n"),
      inserted(t, "line 9\n", "new a\nnew b\n"),
      at(t, "line 10\n", "line ten\n"),
      at(t, "line 22\n", ""),
    ],
  ],
  [
    "first-and-last-line",
    LINES,
    (t) => [at(t, "line 1\n", "line one\n"), at(t, "line 30\n", "line 30\nline 31\n")],
  ],
  [
    "no-final-newline",
    LINES.slice(0, -1),
    (t) => [
      at(t, "line 2\n", "line two\n"),
      { file: FILE, start: t.length, end: t.length, text: "\nline 31" },
    ],
  ],
  [
    "crlf",
    "apiVersion: v1\r\nkind: PersistentVolumeClaim\r\nspec:\r\n  storageClassName: gp2 # as in 2021\r\n  resources:\r\n    requests:\r\n      storage: 100Gi\r\n",
    (t) => [at(t, "gp2", "gp3"), inserted(t, "  resources:", "  volumeMode: Filesystem\r\n")],
  ],
  [
    "two-edits-on-one-line",
    LINES,
    (t) => {
      const start = t.indexOf("line 12\n");
      return [
        { file: FILE, start, end: start + 4, text: "LINE" },
        { file: FILE, start: start + 5, end: start + 7, text: "twelve" },
      ];
    },
  ],
];

describe("unifiedDiff", () => {
  it.each(CASES)("%s: as git diff and the diff package show it", (name, before, edits) => {
    const list = edits(before);
    const after = applyEdits(before, list);
    const diff = unifiedDiff(FILE, before, list);
    expectGolden(`fix-diff/${name}.diff`, diff);
    const compared = createTwoFilesPatch(`a/${FILE}`, `b/${FILE}`, before, after, "", "", { context: 3 });
    expect(diff).toBe(compared.replace(/^=+\n/, ""));
  });

  it("quotes a path as git does", () => {
    const diff = unifiedDiff('shop/new\nline "web".yaml', "a\n", [
      { file: FILE, start: 0, end: 1, text: "b" },
    ]);
    expect(diff.split("\n").slice(0, 2)).toEqual([
      '--- "a/shop/new\\nline \\"web\\".yaml"',
      '+++ "b/shop/new\\nline \\"web\\".yaml"',
    ]);
  });

  it("is the diff package's diff when no line can be matched in two ways", () => {
    // Lines of one width, and edits that each write a line of their own: no line made by an edit can
    // equal another line of the file, so the shortest diff is the one the edits make.
    const text = Array.from({ length: 30 }, (_, i) => `line ${String(i + 1).padStart(2, "0")}\n`).join("");
    let made = 0;
    const edits = fc
      .uniqueArray(fc.integer({ min: 0, max: text.length }), { minLength: 1, maxLength: 10 })
      .map((points) => [...points].sort((a, b) => a - b))
      .chain((points) =>
        fc.tuple(
          ...points.flatMap((start, i) =>
            i % 2 === 0
              ? [
                  fc.record({
                    file: fc.constant(FILE),
                    start: fc.constant(start),
                    end: fc.constantFrom(start, points[i + 1] ?? start),
                    text: fc
                      .constantFrom("N", "N\n", "\nN", "N\nN\n")
                      .map((t) => t.replaceAll("N", `new ${made++}`)),
                  }),
                ]
              : [],
          ),
        ),
      );
    fc.assert(
      fc.property(edits, (list) => {
        const after = applyEdits(text, list);
        const expected = createTwoFilesPatch(`a/${FILE}`, `b/${FILE}`, text, after, "", "", { context: 3 });
        expect(unifiedDiff(FILE, text, list)).toBe(expected.replace(/^=+\n/, ""));
      }),
      { numRuns: 500 },
    );
  });

  it("is a patch that turns the text as read into the fixed text, whatever the edits", () => {
    const text = fc.stringMatching(/^(?:[ab ]{0,3}\r?\n){0,30}[ab]{0,2}$/);
    const edits = (length: number) =>
      fc
        .uniqueArray(fc.integer({ min: 0, max: length }), { maxLength: 10 })
        .map((points) => [...points].sort((a, b) => a - b))
        .chain((points) =>
          fc.tuple(
            ...points.flatMap((start, i) =>
              i % 2 === 0
                ? [
                    fc.record({
                      file: fc.constant(FILE),
                      start: fc.constant(start),
                      end: fc.constantFrom(start, points[i + 1] ?? start),
                      text: fc.constantFrom("", "c", "c\n", "\nc", "a\n", "c\r\nd\r\n"),
                    }),
                  ]
                : [],
            ),
          ),
        );
    fc.assert(
      fc.property(
        text.chain((before) => fc.tuple(fc.constant(before), edits(before.length))),
        ([before, list]) => {
          const after = applyEdits(before, list);
          const diff = unifiedDiff(FILE, before, list);
          expect(applyPatch(before, diff)).toBe(after);
        },
      ),
      { numRuns: 500 },
    );
  });
});
