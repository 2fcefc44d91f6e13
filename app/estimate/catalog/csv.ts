/**
 * Parses RFC 4180 CSV (quoted fields, doubled quotes) into objects keyed by the header; empty cells are
 * left out. `convert` gives, once per column, what turns its cells into values (strings by default).
 */
export function parseCsv(
  text: string,
  convert: (column: string) => (cell: string) => unknown = () => String,
): Record<string, unknown>[] {
  const rows = splitRows(text);
  const columns = (rows.shift() ?? []).map((name) => ({ name, value: convert(name) }));
  const records: Record<string, unknown>[] = [];
  for (const cells of rows) {
    if (!cells.some((cell) => cell !== "")) continue;
    const record: Record<string, unknown> = {};
    for (let i = 0; i < columns.length; i++) {
      const cell = cells[i];
      const column = columns[i] as { name: string; value: (cell: string) => unknown };
      if (cell !== undefined && cell !== "") record[column.name] = column.value(cell);
    }
    records.push(record);
  }
  return records;
}

/**
 * RFC 4180 rows as lists of cells, empty cells kept. Lines without quotes or a lone carriage return
 * (every line of the bundled data) are split as they are; from the first other line on, the text is
 * read character by character.
 */
export function splitRows(text: string): string[][] {
  const rows: string[][] = [];
  for (let start = 0; start < text.length; ) {
    const newline = text.indexOf("\n", start);
    const end = newline === -1 ? text.length : newline;
    const line = text.slice(start, text[end - 1] === "\r" && end > start ? end - 1 : end);
    if (line.includes('"') || line.includes("\r")) return rows.concat(splitQuoted(text.slice(start)));
    rows.push(line.split(","));
    start = end + 1;
  }
  return rows;
}

function splitQuoted(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const char = text[i];
    if (quoted && char === '"' && text[i + 1] === '"') {
      cell += '"';
      i++;
    } else if (char === '"') {
      quoted = !quoted;
    } else if (quoted || (char !== "," && char !== "\n" && char !== "\r")) {
      cell += char;
    } else {
      row.push(cell);
      cell = "";
      if (char === ",") continue;
      if (char === "\r" && text[i + 1] === "\n") i++;
      rows.push(row);
      row = [];
    }
  }
  if (cell !== "" || row.length > 0) rows.push([...row, cell]);
  return rows;
}
