import { afterEach, describe, expect, it } from "vitest";
import { expectGolden } from "../helpers/golden.ts";
import { moreCpu, opened, openPull } from "./fixture.ts";
import { type Harness, harness } from "./harness.ts";

let h: Harness;

afterEach(() => {
  h.github.assertClean();
});

describe("a small pull request", () => {
  it("gets a check with the cost delta and one summary comment", async () => {
    h = await harness();
    const scenario = openPull(h.github, moreCpu());
    await h.deliver("pull_request", opened(scenario));
    const [run] = h.github.checkRuns;
    expect(run?.status).toBe("completed");
    expect(run?.conclusion).toBe("success");
    expect(run?.head_sha).toBe(scenario.head);
    expect(run?.output.title).toMatch(/^\+\$\d+\.\d\d\/mo · \+[\d.]+ kgCO2e\/mo$/);
    expect(h.github.comments).toHaveLength(1);
    expect(h.github.comments[0]?.body.startsWith(`<!-- greenops:summary head=${scenario.head} -->`)).toBe(
      true,
    );
    expectGolden("github/small-pr-comment.md", h.github.comments[0]?.body ?? "");
    expectGolden(
      "github/small-pr-check.json",
      `${JSON.stringify({ title: run?.output.title, summary: run?.output.summary, conclusion: run?.conclusion, annotations: run?.annotations, actions: run?.actions }, null, 2)}\n`,
    );
    console.log(h.github.calls().map((c) => `${c.method} ${c.template} ${c.status}`));
  });
});
