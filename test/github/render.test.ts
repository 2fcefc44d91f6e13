import { describe, expect, it } from "vitest";
import { parseHunks, withinOneHunk } from "../../app/github/hunks.ts";
import { PullQueue } from "../../app/github/queue.ts";
import { fitMarkdown } from "../../app/github/render/fit.ts";
import { suggestionBody, suggestionFor } from "../../app/github/render/suggestions.ts";
import { expectGolden } from "../helpers/golden.ts";
import { findingOn } from "./findings.ts";

describe("hunks", () => {
  it.each([
    ["@@ -1,3 +1,4 @@ kind: Deployment", [{ start: 1, end: 4 }]],
    ["@@ -10 +10 @@", [{ start: 10, end: 10 }]],
    ["@@ -5,2 +4,0 @@", []],
    [
      "@@ -1,2 +1,2 @@\n a\n-b\n+c\n@@ -20,3 +20,5 @@\n x",
      [
        { start: 1, end: 2 },
        { start: 20, end: 24 },
      ],
    ],
  ])("%s", (patch, hunks) => {
    expect(parseHunks(patch)).toEqual(hunks);
  });

  it("a range must lie in one hunk", () => {
    const hunks = [
      { start: 1, end: 5 },
      { start: 10, end: 12 },
    ];
    expect(withinOneHunk(hunks, 2, 4)).toBe(true);
    expect(withinOneHunk(hunks, 4, 10)).toBe(false);
    expect(withinOneHunk(hunks, 7, 7)).toBe(false);
  });
});

describe("suggestions", () => {
  const text = 'spec:\n  command: ["sh", "-c", "echo ```done```"]\n  cpu: 750m\n';

  it("uses a fence longer than any backtick run of the replacement", () => {
    const finding = findingOn("a.yaml", text, "cpu: 750m", {
      policy: "p",
      severity: "warning",
      message: "m",
      replacement: "cpu: 400m",
    });
    const body = suggestionBody(finding, '  command: ["sh", "-c", "echo ````done````"]');
    expect(body).toContain("`````suggestion\n");
    expect(body.endsWith("\n`````")).toBe(true);
    expectGolden("github/suggestion-backticks.md", `${body}\n`);
  });

  it("covers whole lines, and only inside one hunk", () => {
    const finding = findingOn("a.yaml", text, "750m", {
      policy: "p",
      severity: "warning",
      message: "m",
      replacement: "400m",
    });
    expect(suggestionFor(finding, text, [{ start: 1, end: 3 }])?.comment).toMatchObject({
      line: 3,
      side: "RIGHT",
    });
    expect(suggestionFor(finding, text, [{ start: 3, end: 3 }])?.comment.body).toContain(
      "```suggestion\n  cpu: 400m\n```",
    );
    expect(suggestionFor(finding, text, [{ start: 1, end: 2 }])).toBeUndefined();
    expect(suggestionFor(finding, text, undefined)).toBeUndefined();
  });
});

describe("fitMarkdown", () => {
  it("cuts at a line, closes an open <details>, and says where the rest is", () => {
    const text = `<details><summary>x</summary>\n\n${"| a | b |\n".repeat(100)}</details>\n`;
    const fitted = fitMarkdown(text, 300, "…truncated: see the check run.");
    expect(fitted.length).toBeLessThanOrEqual(300);
    expect(fitted).toContain("</details>");
    expect(fitted.endsWith("…truncated: see the check run.\n")).toBe(true);
  });
});

describe("PullQueue", () => {
  type Named = { key: string; kind: string; at: number; name: string };
  const rules = { review: { identity: (job: Named) => `review ${job.key} ${job.name}`, supersedes: true } };

  it("runs one pull request's jobs in order; a newer review replaces a waiting one, a redelivered one adds nothing", async () => {
    const ran: string[] = [];
    const superseded: string[] = [];
    let release: () => void = () => undefined;
    const blocked = new Promise<void>((resolve) => {
      release = resolve;
    });
    const queue = new PullQueue<Named>(
      {
        run: async (job) => {
          if (job.name === "a") await blocked;
          ran.push(job.name);
        },
        superseded: async (job) => {
          superseded.push(job.name);
        },
        failed: async () => undefined,
      },
      rules,
    );
    await queue.push({ key: "o/r#1", kind: "review", at: 1, name: "a" });
    await Promise.resolve();
    await queue.push({ key: "o/r#1", kind: "review", at: 3, name: "c" });
    await queue.push({ key: "o/r#1", kind: "fix", at: 2, name: "fix" });
    // a late redelivery of an older push: it must not replace c
    await queue.push({ key: "o/r#1", kind: "review", at: 2, name: "b" });
    expect(await queue.push({ key: "o/r#1", kind: "review", at: 3, name: "c" })).toBe("duplicate");
    await queue.push({ key: "o/r#2", kind: "review", at: 1, name: "other" });
    expect(await queue.counts()).toMatchObject({ running: 2, waiting: 3 });
    release();
    await queue.idle();
    expect(superseded).toEqual(["b"]);
    expect(ran).toEqual(["other", "a", "c", "fix"]);
  });

  it("tries a failing job again with backoff, then reports it failed", async () => {
    const tries: { number: number; last: boolean; retried: boolean }[] = [];
    const failed: unknown[] = [];
    const queue = new PullQueue<Named>(
      {
        run: async (_job, attempt) => {
          tries.push({ number: attempt.number, last: attempt.last, retried: attempt.retried });
          throw new Error("GitHub answered 502");
        },
        superseded: async () => undefined,
        failed: async (_job, error) => {
          failed.push(error);
        },
      },
      rules,
      { attempts: 3, backoffMs: 1 },
    );
    await queue.push({ key: "o/r#1", kind: "review", at: 1, name: "a" });
    await queue.idle();
    expect(tries).toEqual([
      { number: 1, last: false, retried: false },
      { number: 2, last: false, retried: true },
      { number: 3, last: true, retried: true },
    ]);
    expect(String(failed[0])).toBe("Error: GitHub answered 502");
  });

  it("keeps a held identity taken after its job ran, until its time is over", async () => {
    type Scheduled = { key: string; kind: string; at: number; end: number };
    const ran: number[] = [];
    const queue = new PullQueue<Scheduled>(
      {
        run: async (job) => {
          ran.push(job.at);
        },
        superseded: async () => undefined,
        failed: async () => undefined,
      },
      { scan: { identity: (job) => `scan ${job.key} ${job.end}`, heldUntil: (job) => job.end } },
    );
    const scan = (at: number, end: number) => queue.push({ key: "o/r scan", kind: "scan", at, end });
    expect(await scan(10, 100)).toBe("queued");
    await queue.idle();
    expect(await scan(50, 100)).toBe("duplicate");
    expect(await scan(100, 100)).toBe("queued"); // the hold is over at its end
    await queue.idle();
    expect(await scan(150, 200)).toBe("queued");
    await queue.idle();
    expect(ran).toEqual([10, 100, 150]);
  });
});
