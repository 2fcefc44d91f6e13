/** Durations as Prometheus writes them (`14d`, `12h`, `30m`, `90s`, `1w`): one number and one unit. */

const UNITS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86_400, w: 604_800 };

/** A whole number and a unit: the settings' pattern and {@link parseDuration} read durations with it alike. */
const DURATION = /^[1-9][0-9]*[smhdw]$/;

/** What a duration is, in the words of every error about one (settings, command line, Action inputs). */
export const DURATION_WORDS = "must be a duration: a whole number and one of s, m, h, d, w (90s, 10m, 14d)";

/** A duration setting's JSON Schema; a value it refuses is worded, not shown as the pattern. */
export function durationSchema(description: string) {
  return {
    type: "string",
    pattern: DURATION.source,
    patternErrorMessage: DURATION_WORDS,
    description,
  };
}

/** Seconds in a duration, or undefined when the text is not one. */
export function parseDuration(text: string): number | undefined {
  const duration = text.trim();
  if (!DURATION.test(duration)) return undefined;
  return Number(duration.slice(0, -1)) * (UNITS[duration.slice(-1)] ?? 0);
}

/** A whole number of days, hours, minutes or seconds, in the largest unit that divides it. */
export function formatDuration(seconds: number): string {
  for (const [unit, size] of [
    ["d", 86_400],
    ["h", 3600],
    ["m", 60],
  ] as const) {
    if (seconds >= size && seconds % size === 0) return `${seconds / size}${unit}`;
  }
  return `${Math.round(seconds)}s`;
}
