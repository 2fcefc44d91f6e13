/** A syntax error at a line and column of a file's text: the reason, where, and both in the message. */
export class LocatedSyntaxError extends Error {
  readonly reason: string;
  readonly line: number;
  readonly column: number;
  /** The whole problem as a report states it: what is wrong with the file, with the reason. */
  readonly problem: string;

  constructor(reason: string, line: number, column: number, problem = reason) {
    super(`${reason} (line ${line}, column ${column})`);
    this.reason = reason;
    this.line = line;
    this.column = column;
    this.problem = problem;
  }
}
