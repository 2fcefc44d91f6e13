import { randomUUID } from "node:crypto";
import type { FakeGitHub } from "../github/fake-github/fake-github.ts";
import { environmentFiles, moreCpu } from "../github/fixture.ts";
import { pullRequestPayload } from "../github/payloads.ts";

export type Delivery = { name: "pull_request"; id: string; payload: object };
export type Pull = { number: number; branch: string; heads: string[]; deliveries: Delivery[] };

const T0 = Date.UTC(2026, 10, 20, 9, 0, 0);

/**
 * `count` pull requests on the fake's repository, each a branch changing the prod API's CPU request,
 * with `commits(i)` commits each: its deliveries are the real `opened` and `synchronize` payloads,
 * `updated_at` one second apart per push (as GitHub stamps them).
 */
export function manyPulls(github: FakeGitHub, count: number, commits: (i: number) => number): Pull[] {
  const base = github.commit(undefined, environmentFiles(), "Initial infrastructure");
  github.branch("main", base);
  return Array.from({ length: count }, (_, i) => {
    const pull: Pull = { number: i + 1, branch: `feature-${i + 1}`, heads: [], deliveries: [] };
    github.pull(pull.number, { base: "main", head: pull.branch });
    for (let k = 0; k < commits(i); k++) pushTo(github, pull, base);
    return pull;
  });
}

/** One more commit on the pull request's branch, and its webhook. */
export function pushTo(github: FakeGitHub, pull: Pull, base: string): string {
  const k = pull.heads.length;
  const head = github.commit(
    pull.heads.at(-1) ?? base,
    moreCpu(`${600 + pull.number * 10 + k}m`),
    `push ${k}`,
  );
  github.branch(pull.branch, head);
  pull.heads.push(head);
  const payload = pullRequestPayload(k === 0 ? "opened" : "synchronize", {
    number: pull.number,
    head: { sha: head, ref: pull.branch },
    base: { sha: base, ref: "main" },
  });
  payload.pull_request.updated_at = new Date(T0 + pull.number * 60_000 + k * 1000)
    .toISOString()
    .replace(".000", "");
  pull.deliveries.push({ name: "pull_request", id: randomUUID(), payload });
  return head;
}

export function baseOf(github: FakeGitHub): string {
  return github.branches.get("main") ?? "";
}

/** What GitHub shows for a pull request: checks on its head, open checks anywhere, GreenOps' comments. */
export function outcome(github: FakeGitHub, pull: Pull) {
  const head = pull.heads.at(-1);
  const mine = github.checkRuns.filter((r) => pull.heads.includes(r.head_sha));
  return {
    headChecks: mine.filter((r) => r.head_sha === head).map((r) => r.status),
    open: mine.filter((r) => r.status !== "completed").length,
    comments: github.comments
      .filter((c) => c.issue === pull.number && c.author === "greenops[bot]")
      .map((c) => /head=([0-9a-f]{40})/.exec(c.body)?.[1] === head),
  };
}
