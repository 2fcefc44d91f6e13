import { advisedReport } from "../ai/advised-report.ts";
import { proposalFinding } from "../ai/proposal-finding.ts";
import type { AiProvider } from "../ai/provider.ts";
import { readRepositoryConfig } from "../config/read-repository-config.ts";
import { configurationErrors } from "../engine/configuration.ts";
import type { checkedEstimateSnapshot } from "../engine/estimate.ts";
import type { Finding, FixResult } from "../engine/finding.ts";
import type { checkedReviewSnapshots } from "../engine/review.ts";
import type { CheckedReview, Report } from "../engine/types.ts";
import type { ProjectOptions } from "../iac/format.ts";
import { type Unevaluated, unevaluatedPrograms } from "../report/unevaluated.ts";
import type { Change } from "../source/changes.ts";
import type { Snapshot } from "../source/snapshot.ts";
import type { ApplyFixes } from "./apply-fixes.ts";
import { githubSnapshot, iacFiles } from "./github-snapshot.ts";
import { concernsIac, mayConcernIac, touchesIac } from "./iac-change.ts";
import type { Octokit } from "./octokit.ts";
import { type ProgramsSwitch, programPermission } from "./programs.ts";
import type { PullRef, Repo } from "./pull-request.ts";
import type { BlobCache } from "./read/blob-cache.ts";
import { BlobStore, type RepositoryBlobs } from "./read/blobs.ts";
import { type Comparison, comparePull } from "./read/compare.ts";
import { defaultBranchConfig, defaultConfigSelection } from "./read/default-config.ts";
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
  /** The touched programs that did not run, and why (the repository did not opt in, a fork, the operator). */
  unevaluated: Unevaluated | undefined;
};

/**
 * The engine's entry points the App calls: the review of two snapshots, the fix applier, the estimate
 * of one snapshot; the AI advisor's provider and whether repository programs may run (the operator's
 * word; each repository still opts in).
 */
export type Engine = {
  review: typeof checkedReviewSnapshots;
  applyFixes: ApplyFixes;
  estimate: typeof checkedEstimateSnapshot;
  ai: AiProvider | string;
  programs: ProgramsSwitch;
};

/** No IaC changed: the changed files, for whoever needs them still. */
export type NothingToReview = { kind: "no-iac"; changes: Change[] };

/** Two commits of a repository as the engine reads them, with what the read found on the way. */
export type ReadChange = {
  comparison: Comparison;
  changes: Change[];
  headTree: Tree;
  blobs: BlobStore;
  base: Snapshot;
  head: Snapshot;
  /** The answer to the selection that rode along with the first blob query. */
  extra: Record<string, unknown>;
};

/**
 * Reads what changed between two commits from GitHub: the compare (merge base, changed files, hunks),
 * the head tree (the base tree too when the compare's list may be cut), and batched GraphQL reads of
 * the IaC blobs not `cached` yet, which also carry `extra` (a selection on the repository). "no-iac"
 * when no IaC changed, nor any file of a program's folder.
 */
export async function readChange(
  octokit: Octokit,
  repo: Repo,
  commits: { base: string; head: string },
  cached: RepositoryBlobs,
  extra?: string,
): Promise<ReadChange | NothingToReview> {
  const { base: baseSha, head: headSha } = commits;
  const comparison = await comparePull(octokit, repo, baseSha, headSha);
  if (comparison.complete && !comparison.changes.some(mayConcernIac))
    return { kind: "no-iac", changes: comparison.changes };
  const headTree = await readTree(octokit, repo, headSha);
  const { baseTree, changes } = await baseSide(octokit, repo, comparison, headTree);
  if (!changes.some(concernsIac([headTree, baseTree]))) return { kind: "no-iac", changes };
  const blobs = new BlobStore(octokit, repo, cached);
  const changedAtBase = changes.flatMap((c) => baseTree.files.get(c.from ?? c.path) ?? []);
  const answer = await blobs.load(
    [...iacFiles(headTree), ...changedAtBase.filter((f) => touchesIac({ path: f.path }))],
    extra,
  );
  return {
    comparison,
    changes,
    headTree,
    blobs,
    base: githubSnapshot(comparison.mergeBase.slice(0, 12), baseTree, blobs),
    head: githubSnapshot(headSha.slice(0, 12), headTree, blobs),
    extra: answer,
  };
}

/** The engine's review of a change read by {@link readChange}; `projects` says whether programs run. */
export function reviewChange(
  read: ReadChange,
  engine: Engine,
  headInfo: { ref: string; commit: string },
  projects: Partial<ProjectOptions>,
) {
  const mergeBase = read.comparison.mergeBase;
  return engine.review({
    base: {
      snapshot: read.base,
      info: { ref: mergeBase.slice(0, 12), commit: mergeBase, reason: "merge base" },
    },
    head: { snapshot: read.head, info: headInfo },
    files: read.changes,
    searched: "head",
    projects,
  });
}

/**
 * Whether the pull request's programs run: the operator's switch, the default branch's settings (read
 * in the first blob query), and for a fork, its opt-in for forks. The head's settings never count.
 */
async function pullPrograms(read: ReadChange, pull: PullRef, engine: Engine) {
  const [trusted, head] = await Promise.all([
    defaultBranchConfig(read.extra),
    readRepositoryConfig(read.head),
  ]);
  return programPermission({ operator: engine.programs, trusted, fork: pull.fork, head: head.config });
}

/**
 * Reads the pull request's changes from GitHub ({@link readChange}, with the pull request's state in
 * the first blob query; blobs an earlier run read come from `cache`) and runs the engine on them, then
 * the suggestions and the verified fixes.
 */
export async function reviewPull(
  octokit: Octokit,
  pull: PullRef,
  engine: Engine,
  cache: BlobCache,
): Promise<Reviewed | NothingToReview> {
  const repo = { owner: pull.owner, repo: pull.repo };
  const read = await readChange(
    octokit,
    repo,
    { base: pull.baseSha, head: pull.headSha },
    cache.of(pull.installationId, repo),
    `${pullStateSelection(pull.number, pull.headSha)}\n    ${defaultConfigSelection()}`,
  );
  if ("kind" in read) return read;
  const { comparison, headTree, blobs, head } = read;
  const state = await pullState(octokit, repo, pull.number, read.extra);
  const programs = await pullPrograms(read, pull, engine);
  const checked = await reviewChange(
    read,
    engine,
    { ref: `${pull.headRef} (${pull.headSha.slice(0, 7)})`, commit: pull.headSha },
    programs,
  );
  const report = await advisedReport(checked, false, engine.ai);
  // Verified AI proposals are offered as suggestions only: never in Apply fixes.
  const proposals = (report.ai?.proposals ?? []).map((p) => proposalFinding(p, report.ai));
  const offered = [...report.findings, ...proposals];
  const texts = new Map(
    (await head.read(offered.flatMap((f) => f.fix?.edits.map((e) => e.file) ?? []))).flatMap((f) =>
      "text" in f ? [[f.path, f.text] as const] : [],
    ),
  );
  // The fixes the review's check offered (a fix that failed it is made by hand and has no edits: see
  // fix-outcomes.ts), and verified AI proposals (verifyProposal's check).
  const suggestions = offered.flatMap((finding) => {
    if (finding.suppressed || !finding.fix) return [];
    const file = finding.fix.edits[0]?.file ?? "";
    const text = texts.get(file);
    return text === undefined ? [] : (suggestionFor(finding, text, comparison.hunks.get(file)) ?? []);
  });
  // Safe fixes only, on files read whole; on every pass of the fix loop; none while the configuration
  // has errors (MISCONFIGURED).
  const misconfigured = configurationErrors(report.findings).length > 0;
  const fixable = (f: Finding) =>
    !misconfigured &&
    !f.suppressed &&
    f.fix?.kind === "safe" &&
    f.fix.edits.every((e) => {
      const file = headTree.files.get(e.file);
      return file !== undefined && !blobs.truncated(file);
    });
  const first = report.findings.filter(fixable);
  const fixes = first.length > 0 ? await engine.applyFixes(first, checked, fixable) : undefined;
  return {
    kind: "reviewed",
    report,
    fixes,
    suggestions,
    state,
    head,
    configs: checked.configs,
    unevaluated: unevaluatedPrograms(report),
  };
}

/** The base side: derived from the head tree and the compare when its list is complete, else read. */
async function baseSide(octokit: Octokit, repo: Repo, comparison: Comparison, headTree: Tree) {
  if (comparison.complete) {
    return {
      baseTree: baseFromHead(headTree, comparison.mergeBase, comparison.changes),
      changes: comparison.changes,
    };
  }
  const baseTree = await readTree(octokit, repo, comparison.mergeBase);
  return { baseTree, changes: diffTrees(baseTree, headTree) };
}
