import { Probot } from "probot";
import { scanOnly } from "../config/gitops-settings.ts";
import { readRepositoryConfig } from "../config/read-repository-config.ts";
import { configurationErrors, whereAs } from "../engine/configuration.ts";
import { UsageError } from "../engine/environments.ts";
import { checkedEstimateAt, checkedEstimateSnapshot, localTarget } from "../engine/estimate.ts";
import { GreenOpsOctokit, type Octokit } from "../github/octokit.ts";
import { type ScanOptions, type ScanOutcome, scanRepository } from "../github/scan-run.ts";
import { counted } from "../model/words.ts";
import { type Unevaluated, unevaluatedNotice } from "../report/unevaluated.ts";
import { type Proposal, proposeFixes } from "../scan/plan.ts";
import { scanBody, scanBranch, scanTitle } from "../scan/render.ts";
import { scanCandidates } from "../scan/select.ts";
import { quotePath } from "../source/quote-path.ts";
import { gitRevision } from "../source/snapshot.ts";
import { misconfiguredText } from "./misconfigured.ts";
import { unifiedDiff } from "./unified-diff.ts";

type Env = Record<string, string | undefined>;

/**
 * `greenops scan`. In a workflow (GITHUB_TOKEN and GITHUB_REPOSITORY set, GITHUB_API_URL for GitHub
 * Enterprise), the App's scan: one optimization pull request per environment, opened, updated or
 * closed (`--dry-run` only says what it would do). Elsewhere, the pull requests a scan of HEAD of the
 * git repository in `cwd` would open, with their diffs: nothing is written.
 */
export async function scan(cwd: string, options: CliScanOptions, env: Env): Promise<ScanText> {
  const token = env.GITHUB_TOKEN;
  const repository = env.GITHUB_REPOSITORY;
  if (token && repository) return githubScan(token, repository, env.GITHUB_API_URL, options);
  if (token || repository)
    throw new UsageError("greenops scan needs both GITHUB_TOKEN and GITHUB_REPOSITORY to open pull requests");
  return localScan(cwd, options);
}

export type CliScanOptions = Pick<ScanOptions, "environment" | "telemetry"> & { dryRun: boolean };

/** What the scan prints; `misconfigured`: it wrote and proposed nothing, for a configuration file has errors. */
export type ScanText = { text: string; misconfigured: boolean };

async function githubScan(
  token: string,
  repository: string,
  apiUrl: string | undefined,
  options: CliScanOptions,
): Promise<ScanText> {
  const [owner, repo] = repository.split("/");
  if (!owner || !repo) throw new UsageError(`GITHUB_REPOSITORY must be owner/name, not "${repository}"`);
  const probot = new Probot({
    githubToken: token,
    Octokit: GreenOpsOctokit,
    logLevel: "warn",
    ...(apiUrl ? { baseUrl: apiUrl } : {}),
  });
  const octokit = (await probot.auth()) as Octokit;
  const outcome = await scanRepository(
    octokit,
    { owner, repo, installationId: undefined },
    checkedEstimateSnapshot,
    options,
  );
  return { text: outcomeText(outcome, options.dryRun), misconfigured: outcome.kind === "misconfigured" };
}

const SCANS_OFF = "greenops scan: scans are off (scan.enabled: false in .github/greenops.yml)\n";

function outcomeText(outcome: ScanOutcome, dryRun: boolean): string {
  if (outcome.kind === "disabled") return SCANS_OFF;
  if (outcome.kind === "misconfigured")
    return misconfiguredText(
      `greenops scan: scanned ${outcome.commit.slice(0, 7)}, nothing written`,
      outcome.errors,
    );
  const lines = [
    `greenops scan: scanned ${outcome.commit.slice(0, 7)}${dryRun ? " (dry run: nothing written)" : ""}`,
  ];
  for (const e of outcome.environments) {
    if (!("done" in e))
      lines.push(`  ${e.environment}: would ${e.planned === "none" ? "do nothing" : e.planned}`);
    else
      lines.push(
        `  ${e.environment}: ${e.done}${e.number ? ` #${e.number}` : ""}${e.title ? ` ${e.title}` : ""}${e.reason ? ` (${e.reason})` : ""}`,
      );
  }
  return `${lines.join("\n")}\n${notEvaluatedLine(outcome.unevaluated)}`;
}

/** The programs the scan did not run, and why, on a line of its own ("" when every program ran). */
function notEvaluatedLine(unevaluated: Unevaluated | undefined): string {
  return unevaluated ? `greenops scan: ${unevaluatedNotice(unevaluated)}\n` : "";
}

/** The proposals for HEAD of the local repository, each as its pull request's title, body and diff. */
async function localScan(cwd: string, options: CliScanOptions): Promise<ScanText> {
  const at = await localTarget(cwd, "HEAD");
  const { config } = await readRepositoryConfig(gitRevision(at.root, at.commit ?? "HEAD"));
  if (config.scan?.enabled === false) return { text: SCANS_OFF, misconfigured: false };
  const checked = await checkedEstimateAt(at, {
    ref: "HEAD",
    ...(options.telemetry ? { telemetry: options.telemetry } : {}),
  });
  const errors = configurationErrors(checked.report.findings);
  const commit = checked.report.head.commit?.slice(0, 7) ?? "";
  if (errors.length > 0) {
    const what = `greenops scan: no pull request proposed for HEAD (${commit})`;
    return { text: misconfiguredText(what, errors.map(whereAs(quotePath))), misconfigured: true };
  }
  const candidates = await scanCandidates(checked, scanOnly(config.scan ?? {}, options.environment));
  const { proposals, unevaluated } = await proposeFixes(checked, candidates.environments);
  const scanned = { branch: "HEAD", commit: checked.report.head.commit ?? "" };
  const parts = proposals.map((p) => proposalText(p, scanned, checked.text));
  const summary = `greenops scan: ${counted(proposals.length, "pull request")} to open for HEAD (${scanned.commit.slice(0, 7)}); nothing was written. In a workflow with GITHUB_TOKEN and GITHUB_REPOSITORY, greenops scan opens them.\n`;
  const text = [...parts, `${notEvaluatedLine(unevaluated)}${summary}`].join("\n");
  return { text, misconfigured: false };
}

function proposalText(
  proposal: Proposal,
  scanned: { branch: string; commit: string },
  before: (path: string) => string | undefined,
): string {
  const diffs = proposal.result.files.map((file) =>
    unifiedDiff(file.path, before(file.path) ?? "", file.edits),
  );
  return [
    `## ${scanTitle(proposal)} (branch ${scanBranch(proposal.environment)})`,
    "",
    scanBody(proposal, scanned),
    "```diff",
    ...diffs.map((d) => d.trimEnd()),
    "```",
    "",
  ].join("\n");
}
