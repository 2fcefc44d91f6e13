import { DocumentRead } from "./yaml-edits.ts";
import { type Scan, YamlFile } from "./yaml-file.ts";

/**
 * Where each document's piece of its file starts: at the start of the line its content starts on. A
 * piece runs to the next one's start, so it holds the document, its trailing comments and the next
 * document's marker, and parsed alone it gives that document's objects. Kept per scan of a file.
 */
const starts = new WeakMap<Scan, number[]>();

/**
 * The piece of a multi-document YAML file that holds the one document [start, end) lies in (offsets of
 * the file as `document` was read from it): its index, where its piece starts, and its text. Undefined
 * when the range spans several documents, or the file cannot be cut (it has directives, or `document`
 * is not a {@link DocumentRead}).
 */
export function documentPiece(
  document: object,
  start: number,
  end: number,
): { index: number; from: number; text: string } | undefined {
  const read = DocumentRead.read(document);
  if (!read || read.scan.events.hasDirectives()) return undefined;
  const pieces = pieceStarts(read.text, read.scan);
  const index = pieceAt(pieces, start);
  const from = pieces[index] ?? 0;
  let next = index + 1;
  while (next < pieces.length && pieces[next] === from) next++;
  const to = pieces[next] ?? read.text.length;
  return start < from || end > to ? undefined : { index, from, text: read.text.slice(from, to) };
}

/** The first document whose piece holds `offset` (an empty document's piece starts where the one before it starts). */
function pieceAt(pieces: number[], offset: number): number {
  let [low, high] = [0, pieces.length - 1];
  while (low < high) {
    const middle = Math.ceil((low + high) / 2);
    if ((pieces[middle] ?? 0) <= offset) low = middle;
    else high = middle - 1;
  }
  while (low > 0 && pieces[low - 1] === pieces[low]) low--;
  return low;
}

function pieceStarts(text: string, scan: Scan): number[] {
  let known = starts.get(scan);
  if (known) return known;
  const yaml = new YamlFile("", text, scan);
  known = [];
  for (const document of yaml.documents) {
    const span = document.span();
    const empty = span.startOffset === 0 && span.endOffset === 0 && document.index > 0;
    known.push(empty ? (known.at(-1) ?? 0) : yaml.lines.offset(span.startLine));
  }
  starts.set(scan, known);
  return known;
}
