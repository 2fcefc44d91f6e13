import { ArgoCdClient } from "../argocd/client.ts";
import { ArgoCdSetupError, argoCdServer } from "../argocd/server.ts";
import { DEFAULT_DEPLOY_TIMEOUT } from "../config/gitops-settings.ts";
import { readRepositoryConfig } from "../config/read-repository-config.ts";
import { UsageError } from "../engine/environments.ts";
import { checkedReview } from "../engine/review.ts";
import { commitOf } from "../engine/revisions.ts";
import { programPermission } from "../github/programs.ts";
import { trustedConfig } from "../github/read/default-config.ts";
import { applicationDeltas } from "../gitops/deploy/costs.ts";
import { type DeployReport, deploymentReport } from "../gitops/deploy/deploy.ts";
import { deployMarkdown } from "../gitops/deploy/render.ts";
import { DEPLOY_REPORT_VERSION } from "../gitops/deploy/report-schema.ts";
import type { ProjectOptions } from "../iac/format.ts";
import type { ProgramRunner } from "../iac/sandbox/programs.ts";
import { unevaluatedPrograms } from "../report/unevaluated.ts";
import { changedFiles, defaultBranch } from "../source/changes.ts";
import { commitsOf, firstParent, originUrl } from "../source/commits.ts";
import { git } from "../source/git.ts";
import { gitRevision } from "../source/snapshot.ts";
import { DURATION_WORDS, parseDuration } from "../telemetry/duration.ts";
import { NO_PROGRAMS } from "./no-programs.ts";

export type DeployStatusOptions = {
  revision: string | undefined;
  sync: boolean;
  timeout: string | undefined;
  format: string;
  argocdServer: string | undefined;
  quiet: boolean;
  /** `--no-programs`: the commit's programs are not run, whatever its settings say. */
  noPrograms: boolean;
  /** The runner of the review the deltas come from (--program-timeout, --program-budget, …). */
  programs: ProgramRunner;
};

type Env = Record<string, string | undefined>;

/**
 * Exit status, by what ArgoCD did (a deploy step fails for the deployment, not for figures GreenOps could
 * not compute): 0 every Application Synced and Healthy; 1 one failed or is degraded; 2 timeout or error.
 */
export const DEPLOY_EXIT = { success: 0, failure: 1, neutral: 2 } as const;

/**
 * `greenops deploy-status --revision SHA`: the "GreenOps deploy" check from the command line. The
 * repository is the git repository in `cwd` (its `origin`, else GITHUB_REPOSITORY in a workflow);
 * ArgoCD's server comes from `--argocd-server` or ARGOCD_SERVER, its token from ARGOCD_AUTH_TOKEN.
 */
export async function deployStatus(cwd: string, options: DeployStatusOptions, env: Env): Promise<number> {
  if (!options.revision) throw new UsageError("greenops deploy-status needs --revision SHA");
  const timeout = options.timeout;
  if (timeout !== undefined && parseDuration(timeout) === undefined)
    throw new UsageError(`--timeout ${DURATION_WORDS}; got ${JSON.stringify(timeout)}`);
  const server = serverOf(env, options.argocdServer);
  const root = (await git(cwd, ["rev-parse", "--show-toplevel"])).trim();
  const revision = await commitOf(root, options.revision);
  const repositoryUrl = (await originUrl(root)) ?? githubRepository(env);
  const settings = await readRepositoryConfig(gitRevision(root, revision));
  const { config } = settings;
  const branch = await branchOf(root, env);
  const parent = await firstParent(root, revision);
  const commits = await commitsOf(root, revision, parent);
  const changed = parent
    ? (await changedFiles(root, parent, revision)).map((change) => change.path)
    : (commits[0]?.files ?? []);
  // The revision deployed from the default branch: its own settings say whether its programs run, as in the App.
  const permission = options.noPrograms
    ? NO_PROGRAMS
    : programPermission({ operator: "on", trusted: trustedConfig(branch, settings), fork: false });
  const projects = { ...permission, programs: options.programs };
  const estimated = parent ? await estimatedDeltas(root, parent, revision, projects) : undefined;
  const wait = timeout ?? config.argocd?.timeout ?? DEFAULT_DEPLOY_TIMEOUT;
  const report = await deploymentReport({
    client: new ArgoCdClient(server),
    pushed: { repositoryUrl, defaultBranch: branch, changed },
    revision,
    sync: options.sync || config.argocd?.sync === true,
    timeoutMs: (parseDuration(wait) ?? 600) * 1000,
    ...estimated,
    commits,
    onWatching: async (names) => {
      if (!options.quiet) process.stderr.write(`greenops: watching ${names.join(", ")} for up to ${wait}\n`);
    },
  });
  process.stdout.write(render(report, options.format));
  return DEPLOY_EXIT[report.rollout];
}

function serverOf(env: Env, flag: string | undefined) {
  try {
    const server = argoCdServer(env, flag);
    if (server) return server;
  } catch (error) {
    if (error instanceof ArgoCdSetupError) throw new UsageError(error.message);
    throw error;
  }
  throw new UsageError(
    "greenops deploy-status needs ArgoCD: --argocd-server URL (or ARGOCD_SERVER) and ARGOCD_AUTH_TOKEN",
  );
}

function githubRepository(env: Env): string {
  if (!env.GITHUB_REPOSITORY)
    throw new UsageError("the repository has no origin remote and GITHUB_REPOSITORY is not set");
  return `${env.GITHUB_SERVER_URL ?? "https://github.com"}/${env.GITHUB_REPOSITORY}.git`;
}

async function branchOf(root: string, env: Env): Promise<string> {
  const branch = (await defaultBranch(root))?.replace(/^origin\//, "");
  return branch ?? env.GITHUB_REF_NAME ?? "main";
}

/**
 * The cost and carbon each Application deploys, from a review of the revision against its first parent,
 * and the programs that review did not run.
 */
async function estimatedDeltas(
  root: string,
  parent: string,
  revision: string,
  projects: Pick<ProjectOptions, "runPrograms" | "refusal" | "programs">,
) {
  const checked = await checkedReview(root, { base: parent, head: revision, projects });
  return { delta: applicationDeltas(checked.report.rows), unevaluated: unevaluatedPrograms(checked.report) };
}

function render(report: DeployReport, format: string): string {
  if (format === "json")
    return `${JSON.stringify({ schemaVersion: DEPLOY_REPORT_VERSION, ...report }, null, 2)}\n`;
  return `## GreenOps deploy: ${report.title}\n\n${deployMarkdown(report)}`;
}
