import { readTrailers } from "../trailers.ts";
import { holds, type Target } from "./targets.ts";
import type { DeployedSaving, DeployRow, PushedCommit } from "./types.ts";

/** The GreenOps commits of the push: their saving reached the cluster when every Application holding their files is Synced and Healthy. */
export function savingsOf(
  commits: PushedCommit[],
  deployed: { target: Target; row: DeployRow }[],
): DeployedSaving[] {
  return commits.flatMap((commit) => {
    const trailers = readTrailers(commit.message);
    if (!trailers || trailers.policies.length === 0) return [];
    const mine = deployed.filter(({ target }) =>
      commit.files.some((file) => target.paths.some((path) => holds(path, file))),
    );
    const reached =
      mine.length === 0
        ? "no Application"
        : mine.every(({ row }) => row.result === "success")
          ? "yes"
          : "not yet";
    return [
      {
        sha: commit.sha,
        policies: trailers.policies,
        ...(trailers.saving ? { saving: trailers.saving } : {}),
        reached,
        applications: mine.map(({ row }) => row.name),
      },
    ];
  });
}
