import type { RepositoryConfig } from "../config/repository-config.ts";
import type { ProjectOptions } from "../iac/format.ts";
import type { TrustedConfig } from "./read/default-config.ts";

/** GREENOPS_PROGRAMS, the operator's word: "off" forbids repository programs whatever a repository says. */
export type ProgramsSwitch = "on" | "off";

/** What decides whether a run evaluates the repository's programs (Pulumi programs, CDKTF apps). */
export type ProgramsAsked = {
  operator: ProgramsSwitch;
  /** The default branch's `.github/greenops.yml`: the only file whose `programs:` counts. */
  trusted: TrustedConfig;
  /** The pull request's head lives in a fork. */
  fork: boolean;
  /** The pull request's own `.github/greenops.yml`, read only to say why it does not count. */
  head?: RepositoryConfig;
};

const SETTINGS = ".github/greenops.yml";
const HEAD_NOTE =
  "; this pull request's own settings file turns them on, which counts only once it is merged";

/**
 * Programs run, sandboxed, only when the operator allows them, the default branch's settings opt in
 * (`programs: { run: true }`) and, for a fork's pull request, opt in for forks too (`forks: true`).
 * Otherwise the refusal says which of these is missing; the report shows it at each program.
 */
export function programPermission(asked: ProgramsAsked): Pick<ProjectOptions, "runPrograms" | "refusal"> {
  const refused = (refusal: string) => ({ runPrograms: false, refusal });
  const { trusted } = asked;
  const where = `${SETTINGS} on ${trusted.branch}`;
  if (asked.operator === "off")
    return refused("whoever runs GreenOps turned repository programs off (GREENOPS_PROGRAMS)");
  if (trusted.problem)
    return refused(`${where} cannot be used (${trusted.problem}), so repository programs stay off`);
  const setting = trusted.config.programs ?? {};
  if (setting.run !== true) {
    const own = asked.head?.programs?.run === true ? HEAD_NOTE : "";
    return refused(`repository programs run only when ${where} sets \`programs: { run: true }\`${own}`);
  }
  if (asked.fork && setting.forks !== true) {
    const own = asked.head?.programs?.forks === true ? HEAD_NOTE : "";
    return refused(
      `this pull request comes from a fork, and ${where} does not set \`programs: { forks: true }\`${own}`,
    );
  }
  return { runPrograms: true };
}
