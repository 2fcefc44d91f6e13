import { advisedReport } from "../ai/advised-report.ts";
import { proposalFinding } from "../ai/proposal-finding.ts";
import type { AiProvider } from "../ai/provider.ts";
import { isSettingsFile } from "../engine/environments.ts";
import type { FixResult } from "../engine/finding.ts";
import { mayBeIac } from "../engine/formats.ts";
import type { Report } from "../engine/report.ts";
import type { CheckedReview, checkedReviewSnapshots } from "../engine/review.ts";
import type { Snapshot } from "../source/snapshot.ts";
import type { ApplyFixes } from "./apply-fixes.ts";
import { githubSnapshot, iacFiles } from "./github-snapshot.ts";
import type { Octokit } from "./octokit.ts";
import type { PullRef } from "./pull-request.ts";
import { BlobStore } from "./read/blobs.ts";
import { type Comparison, comparePull } from "./read/compare.ts";
import { type PullState, pullState, pullStateSelection } from "./read/pull-state.ts";
import { baseFromHead, diffTrees, readTree, type Tree } from "./read/trees.ts";
import { type Suggestion, suggestionFor } from "./render/suggestions.ts";

export type Reviewed = {
  kind: "reviewed";
  report: Report;
  /** Verified fixes for this head: what a fix commit would hold. */
  fixes: FixResult | undefined;
  suggestions: Suggestion[];
  state: PullState;
  head: Snapshot;
  /** Each side's `.github/greenops.yml` (the AI advisor's opt-in). */
  configs: CheckedReview["configs"];
};

/**
 * The engine's entry points the App calls: the review of two snapshots, the fix applier, and the AI
 * advisor's provider (used only for repositories that opt in).
 */
export type Engine = {
  review: typeof checkedReviewSnapshots;
  applyFixes: ApplyFixes;
  ai: AiProvider | string;
};

export type NothingToReview = { kind: "no-iac"; changed: number };

/**
 * Reads the pull request's changes from GitHub and runs the engine on them. Requests: the compare
 * (merge base, changed files, hunks), the head tree (the base tree too when the compare's list may be
 * cut), and batched GraphQL reads of the IaC blobs that also carry the pull request's state.
 */
export async function reviewPull(
  octokit: Octokit,
  pull: PullRef,
  engine: Engine,
): Promise<Reviewed | NothingToReview> {
  const repo = { owner: pull.owner, repo: pull.repo };
  const comparison = await comparePull(octokit, repo, pull.baseSha, pull.headSha);
  if (comparison.complete && !comparison.changes.some(touchesIac))
    return { kind: "no-iac", changed: comparison.changes.length };
  const headTree = await readTree(octokit, repo, pull.headSha);
  const { baseTree, changes } = await baseSide(octokit, pull, comparison, headTree);
  if (!changes.some(touchesIac)) return { kind: "no-iac", changed: changes.length };

  const blobs = new BlobStore(octokit, repo);
  const changedAtBase = changes.flatMap((c) => baseTree.files.get(c.from ?? c.path) ?? []);
  const answer = await blobs.load(
    [...iacFiles(headTree), ...changedAtBase.filter((f) => touchesIac({ path: f.path }))],
    pullStateSelection(pull.number, pull.headSha),
  );
  const state = await pullState(octokit, repo, pull.number, answer);
  const base = githubSnapshot(comparison.mergeBase.slice(0, 12), baseTree, blobs);
  const head = githubSnapshot(pull.headSha.slice(0, 12), headTree, blobs);
  const checked = await engine.review({
    base: {
      snapshot: base,
      info: { ref: comparison.mergeBase.slice(0, 12), commit: comparison.mergeBase, reason: "merge base" },
    },
    head: {
      snapshot: head,
      info: { ref: `${pull.headRef} (${pull.headSha.slice(0, 7)})`, commit: pull.headSha },
    },
    files: changes,
    searched: "head",
  });
  const report = await advisedReport(checked, false, engine.ai);
  // Verified AI proposals are offered as suggestions only: never in Apply fixes.
  const offered = [
    ...report.findings,
    ...(report.ai?.proposals ?? []).map((p) => proposalFinding(p, report.ai)),
  ];
  const texts = new Map(
    (await head.read(offered.flatMap((f) => f.fix?.edits.map((e) => e.file) ?? []))).flatMap((f) =>
      "text" in f ? [[f.path, f.text] as const] : [],
    ),
  );
  const suggestions = offered.flatMap((finding) => {
    if (finding.suppressed || !finding.fix) return [];
    const file = finding.fix.edits[0]?.file ?? "";
    const text = texts.get(file);
    return text === undefined ? [] : (suggestionFor(finding, text, comparison.hunks.get(file)) ?? []);
  });
  const fixable = report.findings.filter(
    (f) =>
      !f.suppressed &&
      f.fix?.kind === "safe" &&
      f.fix.edits.every((e) => {
        const file = headTree.files.get(e.file);
        return file !== undefined && !blobs.truncated(file);
      }),
  );
  const fixes = fixable.length > 0 ? await engine.applyFixes(fixable, checked) : undefined;
  return { kind: "reviewed", report, fixes, suggestions, state, head, configs: checked.configs };
}

/** The base side: derived from the head tree and the compare when its list is complete, else read. */
async function baseSide(octokit: Octokit, pull: PullRef, comparison: Comparison, headTree: Tree) {
  if (comparison.complete) {
    return {
      baseTree: baseFromHead(headTree, comparison.mergeBase, comparison.changes),
      changes: comparison.changes,
    };
  }
  const baseTree = await readTree(octokit, { owner: pull.owner, repo: pull.repo }, comparison.mergeBase);
  return { baseTree, changes: diffTrees(baseTree, headTree) };
}

function touchesIac(change: { path: string; from?: string | undefined }): boolean {
  return [change.path, change.from].some((p) => p !== undefined && (mayBeIac(p) || isSettingsFile(p)));
}
