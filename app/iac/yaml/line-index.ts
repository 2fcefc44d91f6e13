import type { Span } from "../../model/span.ts";

/** Room for the line starts of the text being indexed; each index keeps a copy of its own size. */
let scratch = new Int32Array(1024);

/** Maps string offsets to 1-based line and column numbers. */
export class LineIndex {
  /** Where each line starts: a typed array, outside the heap the garbage collector copies. */
  readonly #starts: Int32Array;
  /** A byte order mark is not a column. */
  readonly #bom: number;
  readonly #length: number;

  constructor(text: string) {
    this.#bom = text.startsWith("\uFEFF") ? 1 : 0;
    this.#length = text.length;
    let lines = 1;
    for (let i = text.indexOf("\n"); i !== -1; i = text.indexOf("\n", i + 1)) {
      if (lines === scratch.length) {
        const larger = new Int32Array(lines * 2);
        larger.set(scratch);
        scratch = larger;
      }
      scratch[lines++] = i + 1;
    }
    this.#starts = scratch.slice(0, lines);
  }

  position(offset: number): { line: number; column: number } {
    const line = this.lineOf(offset);
    return { line: line + 1, column: this.#column(line, offset) };
  }

  /** The number of lines: one more than the line breaks. */
  get lines(): number {
    return this.#starts.length;
  }

  /** The offset where a 1-based line starts (the end of the text past the last line). */
  offset(line: number): number {
    return this.#starts[line - 1] ?? this.#length;
  }

  span(file: string, startOffset: number, endOffset: number): Span {
    const startLine = this.lineOf(startOffset);
    const endLine = this.lineOf(endOffset);
    return {
      file,
      startLine: startLine + 1,
      startColumn: this.#column(startLine, startOffset),
      endLine: endLine + 1,
      endColumn: this.#column(endLine, endOffset),
      startOffset,
      endOffset,
    };
  }

  /** The 0-based line holding `offset`. */
  lineOf(offset: number): number {
    let low = 0;
    let high = this.#starts.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if ((this.#starts[mid] ?? 0) <= offset) low = mid;
      else high = mid - 1;
    }
    return low;
  }

  /** The 1-based column of `offset` on the 0-based `line`. */
  #column(line: number, offset: number): number {
    const column = offset - (this.#starts[line] ?? 0) + 1 - (line === 0 ? this.#bom : 0);
    return Math.max(column, 1);
  }
}
