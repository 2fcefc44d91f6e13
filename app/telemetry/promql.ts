/** Building PromQL: selectors with escaped values, and one query that carries several statistics. */

/** A label matcher's value, escaped for a double-quoted PromQL string. */
export function quote(value: string): string {
  return `"${value.replaceAll("\\", "\\\\").replaceAll('"', '\\"')}"`;
}

/** A regular expression matching exactly these values (RE2, anchored by Prometheus). */
export function anyOf(values: Iterable<string>): string {
  return [...new Set(values)]
    .sort()
    .map((v) => v.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"))
    .join("|");
}

/** `{a="x",b=~"y|z"}` from matchers already written as `label op "value"`. */
export function selector(matchers: (string | undefined)[]): string {
  return `{${matchers.filter(Boolean).join(", ")}}`;
}

/**
 * Several expressions in one query: each result gets a `greenops_stat` label naming its statistic,
 * and `or` keeps them all (their label sets differ by that label). One round trip instead of many.
 */
export function union(expressions: Record<string, string>): string {
  return Object.entries(expressions)
    .map(([stat, expression]) => `label_replace(${expression}, "greenops_stat", "${stat}", "", "")`)
    .join(" or ");
}

export const STAT = "greenops_stat";
