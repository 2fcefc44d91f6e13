/**
 * The number rule: every number a model writes must be one the engine computed, as the reports
 * format it (money, kgCO2e, percentages, counts). Numbers inside identifiers (gp3, m5.large, CO2,
 * api-v2) and code spans are names, not figures.
 */
const NUMBER = /(?<![\p{L}\p{N}_./:#@-])[-+−]?\$?(\d[\d,]*(?:\.\d+)?)/gu;
const CODE_SPAN = /`[^`\n]*`/g;

/** The numbers written in a text, canonical: "−$1,234.50" and "1234.5" are both "1234.5". */
export function numbersIn(text: string): string[] {
  return [...text.replace(CODE_SPAN, " ").matchAll(NUMBER)].map((match) => canonical(match[1] ?? ""));
}

function canonical(digits: string): string {
  return String(Number(digits.replaceAll(",", "")));
}

/** The numbers the engine computed, collected while its figures are formatted for the model. */
export class EngineNumbers {
  readonly #allowed = new Set<string>();

  /** Records the numbers of an engine-formatted text and returns it unchanged. */
  add<T extends string | number>(value: T): T {
    for (const number of numbersIn(String(value))) this.#allowed.add(number);
    return value;
  }

  /** The numbers of `text` the engine did not compute (empty when the text keeps the rule). */
  unknownIn(text: string): string[] {
    return [...new Set(numbersIn(text).filter((n) => !this.#allowed.has(n)))];
  }
}
