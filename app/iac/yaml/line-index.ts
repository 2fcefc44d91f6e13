import type { Span } from "../../model/span.ts";

/** Maps string offsets to 1-based line and column numbers. */
export class LineIndex {
  readonly #starts: number[] = [0];
  /** A byte order mark is not a column. */
  readonly #bom: number;

  constructor(text: string) {
    this.#bom = text.startsWith("\uFEFF") ? 1 : 0;
    for (let i = text.indexOf("\n"); i !== -1; i = text.indexOf("\n", i + 1)) this.#starts.push(i + 1);
  }

  position(offset: number): { line: number; column: number } {
    let low = 0;
    let high = this.#starts.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if ((this.#starts[mid] ?? 0) <= offset) low = mid;
      else high = mid - 1;
    }
    const column = offset - (this.#starts[low] ?? 0) + 1 - (low === 0 ? this.#bom : 0);
    return { line: low + 1, column: Math.max(column, 1) };
  }

  /** The offset where a 1-based line starts (the end of the text past the last line). */
  offset(line: number): number {
    return this.#starts[line - 1] ?? this.#starts.at(-1) ?? 0;
  }

  span(file: string, startOffset: number, endOffset: number): Span {
    const start = this.position(startOffset);
    const end = this.position(endOffset);
    return {
      file,
      startLine: start.line,
      startColumn: start.column,
      endLine: end.line,
      endColumn: end.column,
      startOffset,
      endOffset,
    };
  }
}
