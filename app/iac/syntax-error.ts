/** A syntax error at a line and column of a file's text: the reason, where, and both in the message. */
export class LocatedSyntaxError extends Error {
  readonly reason: string;
  readonly line: number;
  readonly column: number;

  constructor(reason: string, line: number, column: number) {
    super(`${reason} (line ${line}, column ${column})`);
    this.reason = reason;
    this.line = line;
    this.column = column;
  }
}
