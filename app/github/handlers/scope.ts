import type { Job, PullJob } from "../jobs.ts";
import { type PullRef, pullKey } from "../pull-request.ts";

/**
 * What handlers may do: queue jobs (awaited: the webhook is answered once its jobs are stored), and read
 * the installation of a payload (none in Action mode).
 */
export type HandlerScope = {
  push(job: Job): Promise<void>;
  installation(payload: object): number | undefined;
  /** Whether pushes are followed to ArgoCD (the App's environment names a server). */
  deploys: boolean;
};

/** A job that only says something in the summary comment (a refused command), with the current figures. */
export function noticeJob(pull: PullRef, notice: string): PullJob {
  return { key: pullKey(pull), kind: "notice", pull, notices: [notice] };
}

export function fixJob(pull: PullRef, requestedBy: string): PullJob {
  return {
    key: pullKey(pull),
    kind: "fix",
    pull,
    notices: [`@${requestedBy} asked GreenOps to commit the fixes.`],
  };
}

/** `/greenops explain`: answered in the thread; without a target, the answer says how to ask. */
export function explainJob(pull: PullRef, askedBy: string, target: string | undefined): Job {
  return { key: pullKey(pull), kind: "explain", pull, notices: [], question: { asker: askedBy, target } };
}
