/** Display formats shared by every human-readable report. */

import { quotePathKeepingUnicode } from "../source/quote-path.ts";

export function usd(value: number | null): string {
  if (value === null) return "not priced";
  const abs = Math.abs(value);
  const digits = abs !== 0 && abs < 0.01 ? 4 : 2;
  return `${value < 0 ? "−" : ""}$${grouped(abs, digits, digits)}`;
}

export function kg(value: number | null): string {
  if (value === null) return "not estimated";
  return `${decimal(value)} kg`;
}

/** A unit price: four significant digits, so $0.03161/vCPU-hour is not shown as $0.03. */
export function rate(value: number): string {
  const digits = Math.max(2, Math.min(8, 3 - Math.floor(Math.log10(Math.abs(value) || 1))));
  return `$${grouped(value, 2, digits)}`;
}

/** A signed change: +$12.00, −$3.50, ±$0.00. */
export function signed(value: number | null, format: (v: number) => string): string {
  if (value === null) return "—";
  if (value === 0) return `±${format(0)}`;
  return value > 0 ? `+${format(value)}` : format(value);
}

export function percent(value: number | null): string {
  if (value === null) return "";
  const text = Math.abs(value) < 0.05 ? "0.0" : Math.abs(value).toFixed(1);
  return ` (${value < 0 ? "−" : "+"}${text}%)`;
}

/** Numbers in prose: enough significant digits to read, never exponents. */
export function decimal(value: number): string {
  const abs = Math.abs(value);
  const digits = abs === 0 ? 1 : abs >= 100 ? 1 : abs >= 1 ? 2 : abs >= 0.01 ? 3 : 5;
  return `${value < 0 ? "−" : ""}${grouped(abs, 0, digits)}`;
}

const formats = new Map<number, Intl.NumberFormat>();

/**
 * A number as en-US writes it (thousands grouped) with the fraction digits given. One formatter per
 * pair of bounds: toLocaleString makes a new one on every call, and a report formats thousands.
 */
function grouped(value: number, minimum: number, maximum: number): string {
  const key = minimum * 100 + maximum;
  let format = formats.get(key);
  if (!format) {
    format = new Intl.NumberFormat("en-US", {
      minimumFractionDigits: minimum,
      maximumFractionDigits: maximum,
    });
    formats.set(key, format);
  }
  return format.format(value);
}

/** JSON rounding of money and carbon amounts (USD, kgCO2e): 4 decimals, as docs/report-schema.json states. */
export function amount(value: number): number {
  return Math.round(value * 10_000) / 10_000;
}

/** JSON rounding of quantities, unit prices, kWh and usage statistics: 6 significant digits. */
export function quantity(value: number): number {
  return Number(value.toPrecision(6));
}

/** Text made safe for a markdown table cell: pipes escaped, line breaks joined. */
export function escapeCell(text: string): string {
  return text.replaceAll("|", "\\|").replaceAll("\n", " ");
}

/** A place in a file (`file:line`) as code in a markdown table cell, the path quoted as git does. */
export function whereCell(file: string, line: number): string {
  return codeCell(`${quotePathKeepingUnicode(file)}:${line}`);
}

/**
 * Text as code in a markdown table cell: a bare | ends the cell even inside backticks, and a backtick
 * in the text needs a longer fence (and a space where it starts or ends the text), as CommonMark says.
 */
export function codeCell(text: string): string {
  const longest = Math.max(0, ...(text.match(/`+/g) ?? []).map((run) => run.length));
  const fence = "`".repeat(longest + 1);
  const pad = text.startsWith("`") || text.endsWith("`") ? " " : "";
  return `${fence}${pad}${escapeCell(text)}${pad}${fence}`;
}
