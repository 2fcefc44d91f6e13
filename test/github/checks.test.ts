import { describe, expect, it } from "vitest";
import { type Annotation, type AnnotationPlace, unwritten } from "../../app/github/write/checks.ts";

const at = (
  line: number,
  message = `finding on line ${line}`,
  title = "GreenOps · rightsizing",
): Annotation => ({
  path: "environments/prod/shop/api.yaml",
  start_line: line,
  end_line: line,
  annotation_level: "warning",
  title,
  message,
});

/** An annotation as GitHub's list gives it back: unset columns as null. */
const listed = (annotation: Annotation): AnnotationPlace => ({
  ...annotation,
  start_column: null,
  end_column: null,
});
const held = (...annotations: Annotation[]) => annotations.map(listed);

describe("annotations a retry still has to write", () => {
  it.each([
    ["none written: all of them", [at(1), at(2), at(3)], held(), [1, 2, 3]],
    ["a dead try's first batch: the rest", [at(1), at(2), at(3)], held(at(1), at(2)), [3]],
    ["every one written: none", [at(1), at(2)], held(at(1), at(2)), []],
    [
      "a figure worded anew (telemetry moved): not again",
      [at(1, "p95 310m"), at(2)],
      held(at(1, "p95 305m")),
      [2],
    ],
    ["two equal ones, one written: the other", [at(4), at(4), at(5)], held(at(4)), [4, 5]],
    [
      "another policy on the same line: written",
      [at(1), at(1, "m", "GreenOps · prefer-arm")],
      held(at(1)),
      [1],
    ],
  ])("%s", (_case, annotations, written, lines) => {
    expect(unwritten(annotations, written).map((a) => a.start_line)).toEqual(lines);
  });
});
