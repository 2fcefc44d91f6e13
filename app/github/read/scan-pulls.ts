import { type ScanPull, scanPull } from "../../scan/reconcile.ts";
import { scanBranch } from "../../scan/render.ts";
import type { Octokit } from "../octokit.ts";
import type { Repo } from "../pull-request.ts";

/**
 * GreenOps' scan pull requests of one environment, open and closed, newest first (one request): those
 * from its branch whose body carries GreenOps' marker. The repository is the state.
 */
export async function scanPulls(octokit: Octokit, repo: Repo, environment: string): Promise<ScanPull[]> {
  const branch = scanBranch(environment);
  const { data } = await octokit.rest.pulls.list({
    ...repo,
    head: `${repo.owner}:${branch}`,
    state: "all",
    sort: "created",
    direction: "desc",
    per_page: 100,
  });
  return data
    .filter((pull) => pull.head.ref === branch)
    .map(scanPull)
    .filter((pull) => pull.marker?.environment === environment);
}
