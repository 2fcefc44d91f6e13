import type { Logger } from "probot";
import { ArgoCdClient } from "../argocd/client.ts";
import type { ArgoCdServer } from "../argocd/server.ts";
import { DEFAULT_DEPLOY_TIMEOUT } from "../config/gitops-settings.ts";
import { readRepositoryConfig } from "../config/read-repository-config.ts";
import { applicationDeltas } from "../gitops/deploy/costs.ts";
import { deploymentReport } from "../gitops/deploy/deploy.ts";
import { counted } from "../model/words.ts";
import { type Unevaluated, unevaluatedPrograms } from "../report/unevaluated.ts";
import { changePaths } from "../source/changes.ts";
import type { Snapshot } from "../source/snapshot.ts";
import { parseDuration } from "../telemetry/duration.ts";
import { jobCheck } from "./job-try.ts";
import type { Octokit } from "./octokit.ts";
import { programPermission } from "./programs.ts";
import type { PushRef } from "./push.ts";
import type { Attempt, QueuedJob } from "./queue.ts";
import type { BlobCache } from "./read/blob-cache.ts";
import { BlobStore, type RepositoryBlobs } from "./read/blobs.ts";
import { trustedConfig } from "./read/default-config.ts";
import { DEPLOY_CHECK_NAME, deployCompletion, deploySetupCompletion } from "./render/deploy-check.ts";
import { type Engine, readChange, reviewChange } from "./review-run.ts";
import { type CheckRef, completeCheck, progressCheck } from "./write/checks.ts";

/** Follow a push to the default branch to its ArgoCD deployment, and report on the "GreenOps deploy" check. */
export type DeployJob = QueuedJob & {
  /** `owner/repo@sha`: one report per pushed commit. */
  key: string;
  kind: "deploy";
  push: PushRef;
  /** The "GreenOps deploy" check, once the job's first try opened it (a retry completes the same one). */
  check?: CheckRef;
};

/** What a deployment report needs of the App's dependencies (the jobs' deps have it). */
export type DeployDeps = { engine: Engine; log: Logger; argocd: ArgoCdSetup; blobCache: BlobCache };

/** ArgoCD as the App's own environment sets it up (a repository file never does), and the watch's pace. */
export type ArgoCdSetup = {
  server: ArgoCdServer | undefined;
  /** Why the environment's settings cannot be used (said in the check). */
  problem?: string;
  intervalMs?: number;
  maxIntervalMs?: number;
};

export function deployJob(push: PushRef): DeployJob {
  return { key: `${push.owner}/${push.repo}@${push.after}`, kind: "deploy", push };
}

/**
 * Opens the "GreenOps deploy" check on the pushed commit (or takes the one an earlier try opened), reads
 * the push (changed files; the cost and carbon each Application deploys, from a review of the push,
 * and the programs that review did not run),
 * reads `argocd:` from `.github/greenops.yml` at the pushed commit, then follows ArgoCD until the
 * deployment is done or times out, and completes the check. Returns the conclusion.
 */
export async function runDeploy(
  octokit: Octokit,
  job: DeployJob,
  deps: DeployDeps,
  attempt: Attempt<DeployJob>,
): Promise<string> {
  const { push } = job;
  const repo = { owner: push.owner, repo: push.repo };
  const place = { headSha: push.after, name: DEPLOY_CHECK_NAME, externalId: push.after };
  const check = await jobCheck(octokit, repo, job, attempt, place);
  if (!deps.argocd.server) {
    await completeCheck(octokit, repo, check.id, deploySetupCompletion(deps.argocd.problem ?? ""));
    return "not set up";
  }
  const cached = deps.blobCache.of(push.installationId, repo);
  const read = await readChange(octokit, repo, { base: push.before, head: push.after }, cached);
  const changes = read.changes.flatMap(changePaths);
  const head = "kind" in read ? undefined : read.head;
  const settings = await readRepositoryConfig(head ?? configSnapshot(octokit, push, cached));
  const { config, diagnostics } = settings;
  const notices = diagnostics.map(
    (d) =>
      `${d.file}:${d.line}: ${d.message} — the defaults apply (ArgoCD's server and token come only from the App's environment).`,
  );
  let delta: ReturnType<typeof applicationDeltas> | undefined;
  let unevaluated: Unevaluated | undefined;
  if (!("kind" in read)) {
    // The pushed commit is the default branch: its own settings say whether its programs run.
    const programs = programPermission({
      operator: deps.engine.programs,
      trusted: trustedConfig(push.defaultBranch, settings),
      fork: false,
    });
    try {
      const headInfo = { ref: push.defaultBranch, commit: push.after };
      const checked = await reviewChange(read, deps.engine, headInfo, programs);
      delta = applicationDeltas(checked.report.rows);
      unevaluated = unevaluatedPrograms(checked.report);
    } catch (error) {
      deps.log.warn({ err: error, key: job.key }, "the push could not be estimated");
      notices.push(`The cost and carbon of the push could not be estimated: ${(error as Error).message}`);
    }
  }
  const timeout = config.argocd?.timeout ?? DEFAULT_DEPLOY_TIMEOUT;
  const report = await deploymentReport({
    client: new ArgoCdClient(deps.argocd.server),
    pushed: { repositoryUrl: push.repositoryUrl, defaultBranch: push.defaultBranch, changed: changes },
    revision: push.after,
    sync: config.argocd?.sync === true,
    timeoutMs: (parseDuration(timeout) ?? 600) * 1000,
    ...(deps.argocd.intervalMs ? { intervalMs: deps.argocd.intervalMs } : {}),
    ...(deps.argocd.maxIntervalMs ? { maxIntervalMs: deps.argocd.maxIntervalMs } : {}),
    ...(delta ? { delta } : {}),
    unevaluated,
    commits: push.commits,
    onWatching: (names) =>
      progressCheck(octokit, repo, check.id, {
        title: `Watching ${counted(names.length, "ArgoCD Application")}`,
        summary: `Waiting up to ${timeout} for ArgoCD to deploy \`${push.after.slice(0, 7)}\` to ${names.join(", ")}.`,
      }),
  });
  await completeCheck(octokit, repo, check.id, deployCompletion(report, notices));
  return report.conclusion;
}

/** The pushed commit's `.github/greenops.yml` alone, when no IaC changed (nothing else was read). */
function configSnapshot(octokit: Octokit, push: PushRef, cached: RepositoryBlobs): Pick<Snapshot, "read"> {
  const blobs = new BlobStore(octokit, { owner: push.owner, repo: push.repo }, cached);
  return {
    async read(paths) {
      const files = paths.map((path) => ({ path, expression: `${push.after}:${path}` }));
      await blobs.load(files);
      return files.flatMap((file) => blobs.get(file) ?? []);
    },
  };
}
