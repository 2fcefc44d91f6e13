import { localCheckout } from "../engine/projects.ts";
import type { ProjectOptions } from "../iac/format.ts";
import { gitMaybe } from "../source/git.ts";

type Env = Record<string, string | undefined>;

/**
 * The workflow's checkout (GITHUB_WORKSPACE) in Action mode, when it holds the reviewed head: programs
 * then import the packages the workflow installed there (`npm ci` before GreenOps' step) before those
 * GreenOps ships, and the step's AWS_REGION applies as on the command line. The checkout holds the head
 * when its HEAD is the head commit, or GitHub's test merge of it (`refs/pull/<n>/merge`, what
 * actions/checkout fetches by default: two parents, the second the head). Any other checkout's
 * packages belong to other code: `reason` says why they are not used.
 */
export async function checkoutPackages(
  env: Env,
  head: string | undefined,
): Promise<{ local: NonNullable<ProjectOptions["local"]> } | { reason: string }> {
  const workspace = env.GITHUB_WORKSPACE;
  if (!workspace || !head) return { reason: "no checkout (GITHUB_WORKSPACE is not set)" };
  const commit = (await gitMaybe(workspace, ["rev-parse", "--verify", "HEAD^{commit}"]))?.trim();
  if (!commit) return { reason: `${workspace} is not a git checkout` };
  if (commit === head) return { local: localCheckout(workspace, env) };
  // The raw commit object: a shallow clone's grafts hide parents from rev-parse, not from cat-file.
  const object = (await gitMaybe(workspace, ["cat-file", "commit", commit])) ?? "";
  const header = object.slice(0, object.indexOf("\n\n"));
  const parents = [...header.matchAll(/^parent ([0-9a-f]{40,64})$/gm)].map((m) => m[1]);
  if (parents.length === 2 && parents[1] === head) return { local: localCheckout(workspace, env) };
  return {
    reason: `the checkout in ${workspace} is at ${commit.slice(0, 7)}, neither the reviewed head ${head.slice(0, 7)} nor GitHub's merge of it`,
  };
}
