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
 * Where a check goes: its commit, its name, and its `external_id` (a review's: the pull request's
 * number, since GitHub sends fork heads' check runs with no pull request; a deployment's: the commit).
 */
export type CheckPlace = { headSha: string; name: string; externalId: string };

/** The check on the commit, in progress, at once: GitHub shows GreenOps is at work. */
async function startCheck(octokit: Octokit, repo: Repo, place: CheckPlace): Promise<CheckRef> {
  const { data } = await octokit.rest.checks.create({
    ...repo,
    name: place.name,
    head_sha: place.headSha,
    status: "in_progress",
    external_id: place.externalId,
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
 * A job's check: created, or, when an earlier try may have created it already (its worker died, or
 * GitHub's answer was lost, before the try saved its id), the one still open at that place.
 */
export async function openCheck(
  octokit: Octokit,
  repo: Repo,
  place: CheckPlace,
  lookFirst: boolean,
): Promise<CheckRef> {
  if (lookFirst) {
    const { data } = await octokit.rest.checks.listForRef({
      ...repo,
      ref: place.headSha,
      check_name: place.name,
      filter: "latest",
    });
    const open = data.check_runs.find(
      (run) => run.status !== "completed" && run.external_id === place.externalId,
    );
    if (open) return { id: open.id, url: open.html_url ?? open.details_url ?? "" };
  }
  return startCheck(octokit, repo, place);
}

/**
 * Completes the check. GitHub takes 50 annotations per request and appends each request's: the
 * batches go first (most severe first), the last request completes the run with the rest. `resumed`:
 * an earlier try may have written some batches before it died, so only the annotations the run does
 * not hold yet are sent (see {@link unwritten}).
 */
export async function completeCheck(
  octokit: Octokit,
  repo: Repo,
  checkRunId: number,
  completion: Completion,
  resumed = false,
): Promise<void> {
  const { output } = completion;
  const annotations =
    resumed && output.annotations.length > 0
      ? unwritten(output.annotations, await writtenAnnotations(octokit, repo, checkRunId))
      : output.annotations;
  const batches: Annotation[][] = [];
  for (let i = 0; i < annotations.length; i += ANNOTATIONS_PER_REQUEST) {
    batches.push(annotations.slice(i, i + ANNOTATIONS_PER_REQUEST));
  }
  const last = batches.pop() ?? [];
  for (const batch of batches) {
    await octokit.rest.checks.update({
      ...repo,
      check_run_id: checkRunId,
      output: { title: output.title, summary: output.summary, annotations: batch },
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

/** An annotation as GitHub lists it back (unset columns and titles come back as null). */
export type AnnotationPlace = Pick<Annotation, "path" | "start_line" | "end_line" | "annotation_level"> & {
  start_column?: number | null | undefined;
  end_column?: number | null | undefined;
  title?: string | null | undefined;
};

/**
 * What identifies an annotation across tries: where it points, its level and its title. Not its
 * message: a try a minute later may word a figure differently (telemetry moved), and the same finding
 * must still not appear twice on its line.
 */
function annotationKey(a: AnnotationPlace): string {
  const place = [a.path, a.start_line, a.end_line, a.start_column ?? null, a.end_column ?? null];
  return JSON.stringify([...place, a.annotation_level, a.title ?? null]);
}

/** The annotations a check run holds, read in pages of 100. */
async function writtenAnnotations(
  octokit: Octokit,
  repo: Repo,
  checkRunId: number,
): Promise<AnnotationPlace[]> {
  const held = await octokit.paginate(octokit.rest.checks.listAnnotations, {
    ...repo,
    check_run_id: checkRunId,
    per_page: 100,
  });
  return held.map((a) => ({ ...a, annotation_level: a.annotation_level as AnnotationLevel }));
}

/**
 * The annotations still to write, in their order: each one the run already holds (as GitHub lists
 * them) is crossed off once, so two equal annotations written once leave one to write. A review's
 * annotations come in the same order on every try, so what a dead try wrote is a prefix of them;
 * whatever it was, nothing is written twice.
 */
export function unwritten(annotations: Annotation[], written: AnnotationPlace[]): Annotation[] {
  const left = new Map<string, number>();
  for (const annotation of written) {
    const key = annotationKey(annotation);
    left.set(key, (left.get(key) ?? 0) + 1);
  }
  return annotations.filter((annotation) => {
    const key = annotationKey(annotation);
    const count = left.get(key) ?? 0;
    if (count === 0) return true;
    left.set(key, count - 1);
    return false;
  });
}
