import type { Octokit } from "../octokit.ts";
import type { Repo } from "../pull-request.ts";

export type Permission = { login: string; permission: string; canPush: boolean };

/**
 * The user's permission on the repository, asked of GitHub (`author_association` in a payload says how
 * someone is related to the repository, not what they may do). maintain counts as write, triage as read.
 */
export async function permissionOf(octokit: Octokit, repo: Repo, login: string): Promise<Permission> {
  const { data } = await octokit.rest.repos.getCollaboratorPermissionLevel({ ...repo, username: login });
  return {
    login,
    permission: data.permission,
    canPush: data.permission === "admin" || data.permission === "write",
  };
}
