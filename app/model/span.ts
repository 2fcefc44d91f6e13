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
};
