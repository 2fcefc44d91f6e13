import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { expectGolden } from "../helpers/golden.ts";
import { opened, openPull } from "./fixture.ts";
import { checkJson, type Harness, harness } from "./harness.ts";

/**
 * Fixes whose edit cannot be written (values shared through a YAML anchor) on every GitHub surface,
 * with the engine's own policies and fix loop: the annotation and the summary comment say they are
 * made by hand and why, Apply fixes counts only the fix that can be written, and the review has no
 * suggestion for them.
 */

let h: Harness;

afterEach(() => {
  h.github.assertClean();
});

const BATCH = "environments/staging/shop/batch.yaml";
const BATCH_TEXT = readFileSync(
  join(new URL("../fixtures/by-hand/anchor", import.meta.url).pathname, BATCH),
  "utf8",
);
const BY_HAND =
  /its edit cannot be written here \(its value is shared through a YAML anchor that an alias also reads\): make it by hand/;

describe("a pull request whose fixes edit values an anchor shares", () => {
  it("says they are made by hand everywhere, and offers to commit only the one that can be written", async () => {
    h = await harness();
    const scenario = openPull(h.github, { [BATCH]: BATCH_TEXT });
    await h.deliver("pull_request", opened(scenario));
    const [run] = h.github.checkRuns;
    expect(run?.actions).toEqual([
      { label: "Apply fixes", description: "Commit 1 verified fix", identifier: "fix" },
    ]);
    expectGolden("github/by-hand-check.json", checkJson(h));
    const annotated = (run?.annotations ?? []).filter((a) => BY_HAND.test(String(a.message)));
    expect(annotated.map((a) => [a.title, a.start_line])).toEqual([
      ["GreenOps · limits-ratio", 20],
      ["GreenOps · limits-ratio", 20],
      ["GreenOps · storage-class", 29],
      ["GreenOps · storage-class", 37],
    ]);
    const suggested = h.github.reviews.flatMap((review) => review.comments) as { line: number }[];
    // nonprod-schedule's annotation (it ends on line 6) and the claim's gp3
    expect(suggested.map((c) => c.line).sort((a, b) => a - b)).toEqual([6, 49]);
    expect(h.github.comments).toHaveLength(1);
    expectGolden("github/by-hand-comment.md", h.github.comments[0]?.body ?? "");
  });
});
