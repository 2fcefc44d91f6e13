import type { Finding } from "./finding.ts";
import type { Left } from "./fix-edits.ts";

/**
 * Why a group of a pass's fixes, applied without the others on the texts before the pass, shows the
 * pass's problem (a new error in a file, the figures of a resource none of them is for changed), or
 * undefined when it does not. Each call is one check (`verify`).
 */
export type Shows = (group: readonly Finding[]) => Promise<string | undefined>;

/**
 * Which of the suspects caused a problem of the pass: the only suspect, else each that causes it
 * alone (`shows` of that fix alone says why). When none does alone, they cause it together: all but
 * the first wait for the next pass. The culprits are found by halving (group testing): each half of
 * the suspects is checked, a half that shows the problem is halved again, down to single fixes, so k
 * culprits among n take at most 2k·⌈log2 n⌉ checks where checking each alone took n.
 */
export async function blame(
  suspects: readonly Finding[],
  shows: Shows,
  problem: { reason: string; together: string },
): Promise<Left[]> {
  if (suspects.length <= 1)
    return suspects.map((finding) => ({ finding, reason: problem.reason, retry: false }));
  const culprits = await culpritsIn(suspects, shows);
  if (culprits.length > 0) return culprits;
  return suspects.slice(1).map((finding) => ({
    finding,
    reason: `${problem.together}; run the fix again`,
    retry: true,
  }));
}

/**
 * The fixes of a group (two or more) that show the problem alone, in the group's order. A half that
 * does not show it holds no such fix as long as a fix that shows it alone shows it with any others
 * too. Where one fix undoes another's effect, a culprit may be missed here; the pass is checked again
 * after every drop (apply-fixes.ts, checkedPass), so it is kept only beside fixes that undo it.
 */
async function culpritsIn(group: readonly Finding[], shows: Shows): Promise<Left[]> {
  const middle = Math.ceil(group.length / 2);
  const culprits: Left[] = [];
  for (const half of [group.slice(0, middle), group.slice(middle)]) {
    const reason = await shows(half);
    if (reason === undefined) continue;
    const [only] = half;
    if (half.length === 1 && only) culprits.push({ finding: only, reason, retry: false });
    else culprits.push(...(await culpritsIn(half, shows)));
  }
  return culprits;
}
