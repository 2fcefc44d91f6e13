import type { Octokit } from "../octokit.ts";
import type { Repo } from "../pull-request.ts";
import { permissionOf } from "../read/permission.ts";

/**
 * Whether `login` may run a command: fixes need write or admin (asked of GitHub); a recheck is also
 * allowed to the pull request's author. Returns the refusal to show, or undefined.
 */
export async function refusal(
  octokit: Octokit,
  repo: Repo,
  login: string,
  command: "fix" | "recheck",
  author: string | undefined,
): Promise<string | undefined> {
  if (command === "recheck" && login === author) return undefined;
  const permission = await permissionOf(octokit, repo, login);
  if (permission.canPush) return undefined;
  const what = command === "fix" ? "committing fixes" : "a recheck by someone other than the author";
  return `@${login}: ${what} needs write permission on the repository, and GitHub says your permission is "${permission.permission}". Nothing was done.`;
}
