import { defaultBase } from "../source/changes.ts";
import { gitMaybe } from "../source/git.ts";
import type { Report } from "./types.ts";

/** A revision named on the command line that is not a commit. */
export class RevisionError extends Error {}

export async function commitOf(root: string, ref: string): Promise<string> {
  const commit = (await gitMaybe(root, ["rev-parse", "--verify", "-q", `${ref}^{commit}`]))?.trim();
  if (!commit) throw new RevisionError(`"${ref}" is not a commit in ${root}`);
  return commit;
}

/** The base of a review: the given ref, or the default (merge-base with the default branch, …). */
export async function resolveBase(
  root: string,
  ref: string | undefined,
): Promise<NonNullable<Report["base"]>> {
  if (ref) return { ref, commit: await commitOf(root, ref), reason: "--base" };
  const choice = await defaultBase(root);
  return { ref: choice.rev.slice(0, 12), commit: choice.rev, reason: choice.reason };
}
