import type { TextEdit } from "./finding.ts";
import { applyEdits } from "./fix-edits.ts";

/**
 * The edits on a file as read that make the change of several passes of edits, each pass on the text
 * the one before made: sorted, not overlapping, so a diff can be built from them without comparing
 * the texts. Edits of a pass that touch or overlap each other, or an earlier pass's, become one edit.
 */
export function composeEdits(passes: readonly (readonly TextEdit[])[], original: string): TextEdit[] {
  let composed: TextEdit[] = [];
  let text = original;
  for (const edits of passes) {
    if (edits.length === 0) continue;
    composed = composePass(composed, edits, text);
    text = applyEdits(text, edits);
  }
  return composed;
}

/** A span of the current text: an earlier edit's text (`old`, with its change of length) or a new edit. */
type Span = { start: number; end: number; old?: TextEdit; edit?: TextEdit };

/**
 * `composed` (edits on the text as read) followed by `edits` (on `text`, what `composed` made). Spans
 * of the current text that touch are clustered; a cluster with a new edit becomes one edit of the
 * text as read, from where its first span was read to where its last one was.
 */
function composePass(composed: readonly TextEdit[], edits: readonly TextEdit[], text: string): TextEdit[] {
  const spans: Span[] = [];
  let shift = 0;
  for (const old of composed) {
    spans.push({ start: old.start + shift, end: old.start + shift + old.text.length, old });
    shift += old.text.length - (old.end - old.start);
  }
  spans.push(...edits.map((edit) => ({ start: edit.start, end: edit.end, edit })));
  // Stable: new edits at one place keep their order, which applyEdits reads.
  spans.sort((a, b) => a.start - b.start || a.end - b.end);
  const result: TextEdit[] = [];
  shift = 0;
  let index = 0;
  while (index < spans.length) {
    const cluster = [spans[index] as Span];
    let end = cluster[0]?.end ?? 0;
    for (index++; index < spans.length && (spans[index] as Span).start <= end; index++) {
      const span = spans[index] as Span;
      cluster.push(span);
      end = Math.max(end, span.end);
    }
    const start = cluster[0]?.start ?? 0;
    const olds = cluster.flatMap((span) => (span.old ? [span.old] : []));
    const news = cluster.flatMap((span) => (span.edit ? [span.edit] : []));
    const before = shift;
    for (const old of olds) shift += old.text.length - (old.end - old.start);
    if (news.length === 0) {
      result.push(...olds);
      continue;
    }
    const file = news[0]?.file ?? "";
    const local = news.map((edit) => ({ ...edit, start: edit.start - start, end: edit.end - start }));
    result.push({
      file,
      start: start - before,
      end: end - shift,
      text: applyEdits(text.slice(start, end), local),
    });
  }
  return result;
}
