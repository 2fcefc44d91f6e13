import type { Report } from "../engine/types.ts";

/** The programs not run, by why: a refusal, the run's budget, a program's own limit. */
export type Unevaluated = { files: string[]; reasons: { reason: string; files: string[] }[] };

/** The programs the engine marked as not run (each at its root, whatever its message says), and why. */
export function unevaluatedPrograms(report: Report): Unevaluated | undefined {
  const byReason = new Map<string, Set<string>>();
  for (const { file, notRun } of report.diagnostics) {
    if (notRun) byReason.set(notRun.reason, (byReason.get(notRun.reason) ?? new Set()).add(file));
  }
  if (byReason.size === 0) return undefined;
  const reasons = [...byReason].map(([reason, files]) => ({ reason, files: [...files] }));
  return { files: [...new Set(reasons.flatMap((r) => r.files))], reasons };
}

/** The programs not run whose file `keep` keeps, still by why; undefined when none is kept. */
export function unevaluatedWhere(
  unevaluated: Unevaluated,
  keep: (file: string) => boolean,
): Unevaluated | undefined {
  const files = unevaluated.files.filter(keep);
  if (files.length === 0) return undefined;
  const reasons = unevaluated.reasons
    .map(({ reason, files: these }) => ({ reason, files: these.filter(keep) }))
    .filter((r) => r.files.length > 0);
  return { files, reasons };
}

/** The sentence above a report whose programs were not run. */
export function unevaluatedNotice({ files, reasons }: Unevaluated): string {
  const why = reasons.map(({ reason, files: these }) => {
    const list = these.map((file) => `\`${file}\``).join(", ");
    return `the program${these.length > 1 ? "s" : ""} of ${list}, since ${reason}`;
  });
  return `Not evaluated: ${why.join("; ")}. ${files.length > 1 ? "Their" : "Its"} resources are missing from these figures.`;
}

/** `2 programs not evaluated`: what a title leads with; "" when every program ran. */
export function unevaluatedCount(unevaluated: Unevaluated | undefined): string {
  const count = unevaluated?.files.length ?? 0;
  return count ? `${count} program${count > 1 ? "s" : ""} not evaluated` : "";
}
