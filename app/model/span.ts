/** A range of text in one file: 1-based lines and columns, 0-based end-exclusive offsets. */
export type Span = {
  file: string;
  startLine: number;
  startColumn: number;
  endLine: number;
  endColumn: number;
  startOffset: number;
  endOffset: number;
};

/** Where a problem was found; `line` alone when the exact range is unknown. */
export type Diagnostic = {
  file: string;
  line: number;
  column?: number;
  severity: "error" | "warning" | "notice";
  message: string;
  /**
   * Set where GreenOps did not run a program, or stopped it before it ended (at its root, or a Pulumi
   * stack's file when only that stack): its resources are missing from the figures.
   */
  notRun?: NotRun;
  /**
   * Set on what kept a whole file, or a Kustomize directory (its kustomization), from being read: the
   * path whose resources are unknown on this side, so that a review compares them on neither.
   */
  unread?: string;
};

/**
 * Why a program was not run: the refusal of whoever runs GreenOps or of the repository's settings, or
 * the review's budget for programs, spent before it started or while it ran. `root` is the program's
 * (Pulumi.yaml, cdktf.json) and `environment` the one of the Pulumi stack not run, when only that stack
 * was not: whose resources are missing, so that a review compares them on neither side.
 */
export type NotRun = { reason: string } & ProgramRun;

/** One run of a program: its root, and the environment of a Pulumi stack (every stack's when unset). */
export type ProgramRun = { root: string; environment?: string };

/** The empty span at a file's start: where a finding about the file as a whole points. */
export function fileStart(file: string): Span {
  return { file, startLine: 1, startColumn: 1, endLine: 1, endColumn: 1, startOffset: 0, endOffset: 0 };
}

/** Diagnostics once each: the same message on the same line of the same file is said once. */
export function distinctDiagnostics(diagnostics: Diagnostic[]): Diagnostic[] {
  const seen = new Set<string>();
  return diagnostics.filter((d) => {
    const key = `${d.file}:${d.line}:${d.message}`;
    return !seen.has(key) && Boolean(seen.add(key));
  });
}

/** Diagnostics `after` has that `before` did not: a message new in its file (whatever its line). */
export function newDiagnostics(before: readonly Diagnostic[], after: readonly Diagnostic[]): Diagnostic[] {
  const known = new Set(before.map((d) => `${d.file}\0${d.message}`));
  return after.filter((d) => !known.has(`${d.file}\0${d.message}`));
}
