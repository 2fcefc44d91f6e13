import type { AppName, ArgoCdClient } from "../../argocd/client.ts";
import { ArgoCdError } from "../../argocd/errors.ts";
import { type Followed, follow } from "../../argocd/follow.ts";
import { autoSyncs, type LiveApplication } from "../../argocd/types.ts";
import { type Unevaluated, unevaluatedCount, unevaluatedWhere } from "../../report/unevaluated.ts";
import type { Delta } from "./costs.ts";
import { rowOf, titleOf } from "./rows.ts";
import { savingsOf } from "./savings.ts";
import { type Result, settled } from "./settle.ts";
import { deployingApplications, holds, type Pushed, type Target } from "./targets.ts";
import type { DeployedSaving, DeployRow, PushedCommit } from "./types.ts";

export type DeployInput = {
  client: ArgoCdClient;
  pushed: Pushed;
  /** The pushed commit: what ArgoCD should deploy. */
  revision: string;
  /** Ask ArgoCD to sync the Applications that do not sync by themselves (`argocd.sync`). */
  sync: boolean;
  timeoutMs: number;
  /** First wait between two requests about one Application (default 5 s), growing up to 30 s. */
  intervalMs?: number;
  maxIntervalMs?: number;
  /** The monthly change the push deploys through an Application; undefined when not estimated. */
  delta?: (target: Target) => Delta | undefined;
  /** The programs the push changed that were not run, and why: missing from the deltas. */
  unevaluated?: Unevaluated | undefined;
  commits: PushedCommit[];
  /** Called once the Applications are known and their syncs requested (the check's progress). */
  onWatching?: (names: string[]) => Promise<void>;
};

export type DeployReport = {
  revision: string;
  server: string;
  /** The check's conclusion: the rollout's, except that programs not evaluated make a success neutral. */
  conclusion: Result;
  /** What ArgoCD did with the revision alone: `greenops deploy-status` exits by it. */
  rollout: Result;
  title: string;
  /** Why there is no row: ArgoCD unreachable or refusing, or no Application deploys the change. */
  problem?: string;
  rows: DeployRow[];
  savings: DeployedSaving[];
  timeoutSeconds: number;
  /** The programs the push changed that were not run, and why: their resources are missing from the rows. */
  unevaluated?: Unevaluated;
};

/**
 * Follows a push to its ArgoCD deployment: the Applications that deploy it, a sync of the revision
 * when asked (never pruning, never forcing; an auto-synced Application syncs itself), then each
 * Application watched until ArgoCD is done with the revision or the timeout. Never throws on ArgoCD's
 * account: an unreachable or refusing server makes a neutral report that says why. When a program the
 * push changed, under an Application that deploys it, was not run, the report is never a success: its
 * title leads with the programs not evaluated, as a review's does.
 */
export async function deploymentReport(input: DeployInput): Promise<DeployReport> {
  const { followed, targets } = await followedReport(input);
  const report = { ...followed, rollout: followed.conclusion };
  // Only a program under an Application's paths is missing from its row; when ArgoCD could not say
  // which Applications deploy the push, any may be.
  const unevaluated =
    input.unevaluated && targets
      ? unevaluatedWhere(input.unevaluated, (file) =>
          targets.some((t) => t.paths.some((p) => holds(p, file))),
        )
      : input.unevaluated;
  if (!unevaluated) return report;
  return {
    ...report,
    conclusion: report.conclusion === "success" ? "neutral" : report.conclusion,
    title: `${unevaluatedCount(unevaluated)} · ${report.title}`,
    unevaluated,
  };
}

/**
 * What ArgoCD did with the revision, Application by Application, and the Applications that deploy it
 * (undefined when ArgoCD could not be read).
 */
async function followedReport(
  input: DeployInput,
): Promise<{ followed: Omit<DeployReport, "rollout">; targets?: Target[] }> {
  const base = {
    revision: input.revision,
    server: input.client.server,
    timeoutSeconds: Math.round(input.timeoutMs / 1000),
  };
  const neutral = (title: string, problem: string): Omit<DeployReport, "rollout"> => ({
    ...base,
    conclusion: "neutral",
    title,
    problem,
    rows: [],
    savings: savingsOf(input.commits, []),
  });
  let targets: Target[];
  let triggers: DeployRow["trigger"][];
  try {
    targets = deployingApplications(await input.client.applications(), input.pushed);
    if (targets.length === 0) {
      const problem = `No Application on ${input.client.server} has a source in ${input.pushed.repositoryUrl} that follows ${input.pushed.defaultBranch} and holds a changed file.`;
      return { followed: neutral("No ArgoCD Application deploys this change", problem), targets };
    }
    triggers = await Promise.all(targets.map((t) => trigger(input, t)));
  } catch (error) {
    if (!(error instanceof ArgoCdError)) throw error;
    const title = error.kind === "unauthorized" ? "ArgoCD refused the token" : "ArgoCD could not be read";
    return { followed: neutral(title, error.message) };
  }
  await input.onWatching?.(targets.map((t) => t.application.name));
  const deadline = AbortSignal.timeout(input.timeoutMs);
  const followed = await Promise.all(
    targets.map((target) =>
      follow(input.client, nameOf(target.live), (a) => settled(a, input.revision), {
        signal: deadline,
        intervalMs: input.intervalMs ?? 5000,
        maxIntervalMs: input.maxIntervalMs ?? 30_000,
      }),
    ),
  );
  const rows = targets.map((target, i) =>
    rowOf(
      target,
      triggers[i] ?? "watched",
      followed[i] as Followed,
      input.revision,
      input.timeoutMs,
      input.delta?.(target),
    ),
  );
  const conclusion = rows.some((r) => r.result === "failure")
    ? "failure"
    : rows.every((r) => r.result === "success")
      ? "success"
      : "neutral";
  const title = titleOf(
    rows,
    conclusion,
    base.timeoutSeconds,
    followed.some((f) => f.outcome === "timeout"),
  );
  const savings = savingsOf(
    input.commits,
    targets.map((t, i) => ({ target: t, row: rows[i] as DeployRow })),
  );
  return { followed: { ...base, conclusion, title, rows, savings }, targets };
}

async function trigger(input: DeployInput, target: Target): Promise<DeployRow["trigger"]> {
  if (autoSyncs(target.live)) return "auto-sync";
  if (!input.sync) return "watched";
  try {
    await input.client.sync(nameOf(target.live), input.revision);
    return "sync requested";
  } catch (error) {
    // A refused token stops everything; a refused sync (an operation in progress, RBAC) is watched anyway.
    if (error instanceof ArgoCdError && error.kind !== "unauthorized") return "sync refused";
    throw error;
  }
}

function nameOf(live: LiveApplication): AppName {
  return { name: live.metadata.name, namespace: live.metadata.namespace };
}
