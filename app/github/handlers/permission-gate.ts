import type { Octokit } from "../octokit.ts";
import type { Repo } from "../pull-request.ts";
import { permissionOf } from "../read/permission.ts";

/**
 * Whether `login` may run a command: fixes need write or admin (asked of GitHub); a recheck or an
 * explanation is also allowed to the pull request's author. Returns the refusal to show, or undefined.
 */
export async function refusal(
  octokit: Octokit,
  repo: Repo,
  login: string,
  command: "fix" | "recheck" | "explain",
  author: string | undefined,
): Promise<string | undefined> {
  if (command !== "fix" && login === author) return undefined;
  const permission = await permissionOf(octokit, repo, login);
  if (permission.canPush) return undefined;
  const what = {
    fix: "committing fixes",
    recheck: "a recheck by someone other than the author",
    explain: "an explanation asked by someone other than the author",
  }[command];
  return `@${login}: ${what} needs write permission on the repository, and GitHub says your permission is "${permission.permission}". Nothing was done.`;
}
