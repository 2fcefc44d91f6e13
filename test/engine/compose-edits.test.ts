import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { composeEdits } from "../../app/engine/compose-edits.ts";
import type { TextEdit } from "../../app/engine/finding.ts";
import { applyEdits } from "../../app/engine/fix-edits.ts";

/** The QA pass on greenops fix, item 2: a fix result carries its edits on the text as read, whatever the passes. */

const FILE = "k8s/app.yaml";

/** Edits on a text of this length that do not overlap (at most one insertion at a place), in any order. */
function editsOn(length: number): fc.Arbitrary<TextEdit[]> {
  return fc
    .uniqueArray(fc.integer({ min: 0, max: length }), { maxLength: 8 })
    .chain((points) => {
      const sorted = [...points].sort((a, b) => a - b);
      const spans = sorted.flatMap((start, i) => (i % 2 === 0 ? [[start, sorted[i + 1] ?? start]] : []));
      return fc.tuple(
        ...spans.map(([start = 0, end = 0]) =>
          fc.record({
            file: fc.constant(FILE),
            start: fc.constant(start),
            end: fc.constantFrom(start, end),
            text: fc.constantFrom("", "x", "ab\n", "\n  limits:\n", "\r\n"),
          }),
        ),
      );
    })
    .chain((edits) => fc.shuffledSubarray(edits, { minLength: edits.length }));
}

const text = fc.stringMatching(/^[ab\n:]{0,40}$/);

describe("composeEdits", () => {
  it("gives sorted, disjoint edits on the text as read that make what the passes make", () => {
    fc.assert(
      fc.property(
        text.chain((original) =>
          fc.tuple(fc.constant(original), fc.integer({ min: 1, max: 4 })).chain(([start, passes]) => {
            let arbitrary: fc.Arbitrary<{ text: string; passes: TextEdit[][] }> = fc.constant({
              text: start,
              passes: [],
            });
            for (let i = 0; i < passes; i++)
              arbitrary = arbitrary.chain((so) =>
                editsOn(so.text.length).map((edits) => ({
                  text: applyEdits(so.text, edits),
                  passes: [...so.passes, edits],
                })),
              );
            return arbitrary.map((result) => ({ original: start, ...result }));
          }),
        ),
        ({ original, text: fixed, passes }) => {
          const composed = composeEdits(passes, original);
          expect(applyEdits(original, composed)).toBe(fixed);
          for (const [i, edit] of composed.entries()) {
            expect(edit.start).toBeLessThanOrEqual(edit.end);
            const next = composed[i + 1];
            if (next) expect(edit.end).toBeLessThanOrEqual(next.start);
          }
        },
      ),
    );
  });

  it.each([
    [
      "one pass keeps its edits",
      [
        [
          { start: 4, end: 5, text: "X" },
          { start: 0, end: 0, text: "> " },
        ],
      ],
      "> abcdXf",
    ],
    [
      "an edit inside an earlier one's text joins it",
      [[{ start: 2, end: 2, text: "123" }], [{ start: 3, end: 4, text: "Z" }]],
      "ab1Z3cdef",
    ],
    [
      "an edit after an earlier one's text is moved back",
      [[{ start: 0, end: 2, text: "" }], [{ start: 1, end: 2, text: "D" }]],
      "cDef",
    ],
  ])("%s", (_, passes, fixed) => {
    const withFile = passes.map((edits) => edits.map((edit) => ({ file: FILE, ...edit })));
    const composed = composeEdits(withFile, "abcdef");
    expect(applyEdits("abcdef", composed)).toBe(fixed);
  });
});
