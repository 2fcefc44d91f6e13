import { ANNOTATIONS_PER_REQUEST } from "../limits.ts";
import type { Octokit } from "../octokit.ts";
import type { Repo } from "../pull-request.ts";

export const CHECK_NAME = "GreenOps";

export type AnnotationLevel = "notice" | "warning" | "failure";

export type Annotation = {
  path: string;
  start_line: number;
  end_line: number;
  start_column?: number;
  end_column?: number;
  annotation_level: AnnotationLevel;
  message: string;
  title?: string;
  raw_details?: string;
};

export type CheckOutput = { title: string; summary: string; text?: string; annotations: Annotation[] };

export type CheckAction = { label: string; description: string; identifier: string };

export type Conclusion = "success" | "failure" | "neutral" | "cancelled";

export type Completion = { conclusion: Conclusion; output: CheckOutput; actions: CheckAction[] };

export type CheckRef = { id: number; url: string };

/**
 * The check on the head commit, in progress, at once: the pull request shows GreenOps is at work.
 * `external_id` holds the pull request's number: GitHub sends fork heads' check runs with no pull request.
 */
export async function startCheck(
  octokit: Octokit,
  repo: Repo,
  headSha: string,
  externalId: string,
  name = CHECK_NAME,
): Promise<CheckRef> {
  const { data } = await octokit.rest.checks.create({
    ...repo,
    name,
    head_sha: headSha,
    status: "in_progress",
    external_id: externalId,
    started_at: new Date().toISOString(),
  });
  return { id: data.id, url: data.html_url ?? data.details_url ?? "" };
}

/** A progress note on a check still in progress (one write: the title and summary). */
export async function progressCheck(
  octokit: Octokit,
  repo: Repo,
  checkRunId: number,
  output: { title: string; summary: string },
): Promise<void> {
  await octokit.rest.checks.update({ ...repo, check_run_id: checkRunId, output });
}

/**
 * The check of a review: created, or, when an earlier try may have created it already (its worker died
 * before saving its id), the one still open on that commit for that pull request.
 */
export async function openCheck(
  octokit: Octokit,
  repo: Repo,
  headSha: string,
  externalId: string,
  lookFirst: boolean,
): Promise<CheckRef> {
  if (lookFirst) {
    const { data } = await octokit.rest.checks.listForRef({
      ...repo,
      ref: headSha,
      check_name: CHECK_NAME,
      filter: "latest",
    });
    const open = data.check_runs.find((run) => run.status !== "completed" && run.external_id === externalId);
    if (open) return { id: open.id, url: open.html_url ?? open.details_url ?? "" };
  }
  return startCheck(octokit, repo, headSha, externalId);
}

/**
 * Completes the check. GitHub takes 50 annotations per request and appends each request's: the
 * batches go first (most severe first), the last request completes the run with the rest.
 */
export async function completeCheck(
  octokit: Octokit,
  repo: Repo,
  checkRunId: number,
  completion: Completion,
): Promise<void> {
  const { output } = completion;
  const batches: Annotation[][] = [];
  for (let i = 0; i < output.annotations.length; i += ANNOTATIONS_PER_REQUEST) {
    batches.push(output.annotations.slice(i, i + ANNOTATIONS_PER_REQUEST));
  }
  const last = batches.pop() ?? [];
  for (const annotations of batches) {
    await octokit.rest.checks.update({
      ...repo,
      check_run_id: checkRunId,
      output: { title: output.title, summary: output.summary, annotations },
    });
  }
  await octokit.rest.checks.update({
    ...repo,
    check_run_id: checkRunId,
    status: "completed",
    conclusion: completion.conclusion,
    completed_at: new Date().toISOString(),
    output: {
      title: output.title,
      summary: output.summary,
      ...(output.text ? { text: output.text } : {}),
      annotations: last,
    },
    actions: completion.actions,
  });
}
