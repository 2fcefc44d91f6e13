/**
 * CronJob schedules as Kubernetes reads them: robfig/cron v3 `ParseStandard` (five fields or a
 * descriptor). Only the number of runs matters for an estimate, so a schedule is reduced to its
 * average runs per hour over a full 400-year Gregorian cycle.
 */

type Bounds = { min: number; max: number; names?: Record<string, number> };

const MINUTES: Bounds = { min: 0, max: 59 };
const HOURS: Bounds = { min: 0, max: 23 };
const DAYS_OF_MONTH: Bounds = { min: 1, max: 31 };
const MONTHS: Bounds = {
  min: 1,
  max: 12,
  names: {
    jan: 1,
    feb: 2,
    mar: 3,
    apr: 4,
    may: 5,
    jun: 6,
    jul: 7,
    aug: 8,
    sep: 9,
    oct: 10,
    nov: 11,
    dec: 12,
  },
};
const DAYS_OF_WEEK: Bounds = {
  min: 0,
  max: 6,
  names: { sun: 0, mon: 1, tue: 2, wed: 3, thu: 4, fri: 5, sat: 6 },
};

const DAYS_PER_CYCLE = 146_097;
const DESCRIPTORS: Record<string, string> = {
  "@yearly": "0 0 1 1 *",
  "@annually": "0 0 1 1 *",
  "@monthly": "0 0 1 * *",
  "@weekly": "0 0 * * 0",
  "@daily": "0 0 * * *",
  "@midnight": "0 0 * * *",
  "@hourly": "0 * * * *",
};

export class CronScheduleError extends Error {}

type Field = { values: Set<number>; star: boolean };

const cache = new Map<string, number>();

/** Average runs per hour of a schedule; throws CronScheduleError with robfig/cron's reason. */
export function runsPerHour(schedule: string): number {
  let runs = cache.get(schedule);
  if (runs === undefined) {
    runs = computeRunsPerHour(schedule);
    cache.set(schedule, runs);
  }
  return runs;
}

function computeRunsPerHour(schedule: string): number {
  let spec = schedule;
  if (spec.length === 0) throw new CronScheduleError("empty schedule");
  if (/^(CRON_)?TZ=/.test(spec)) spec = spec.slice(spec.indexOf(" ") + 1).trim();
  if (spec.startsWith("@every ")) return 3600 / everySeconds(spec.slice("@every ".length));
  if (spec.startsWith("@")) {
    const expanded = DESCRIPTORS[spec];
    if (!expanded) throw new CronScheduleError(`unrecognized descriptor: ${spec}`);
    spec = expanded;
  }
  const fields = spec.split(/\s+/).filter(Boolean);
  if (fields.length !== 5)
    throw new CronScheduleError(`expected exactly 5 fields, found ${fields.length}: ${spec}`);
  const [minute, hour, dom, month, dow] = fields.map((text, i) =>
    parseField(text, [MINUTES, HOURS, DAYS_OF_MONTH, MONTHS, DAYS_OF_WEEK][i] ?? MINUTES),
  ) as [Field, Field, Field, Field, Field];
  const days = matchingDaysPerCycle(dom, month, dow);
  return (days * minute.values.size * hour.values.size) / (DAYS_PER_CYCLE * 24);
}

/** robfig/cron `dayMatches`: day-of-month and day-of-week are ANDed if either is `*`, else ORed. */
function matchingDaysPerCycle(dom: Field, month: Field, dow: Field): number {
  const and = dom.star || dow.star;
  let count = 0;
  let weekday = 6; // 2000-01-01 was a Saturday; the cycle is 400 years from there.
  for (let year = 2000; year < 2400; year++) {
    for (let m = 1; m <= 12; m++) {
      const length = daysInMonth(year, m);
      for (let day = 1; day <= length; day++) {
        if (month.values.has(m)) {
          const domMatch = dom.values.has(day);
          const dowMatch = dow.values.has(weekday);
          if (and ? domMatch && dowMatch : domMatch || dowMatch) count++;
        }
        weekday = (weekday + 1) % 7;
      }
    }
  }
  return count;
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

function parseField(text: string, bounds: Bounds): Field {
  const values = new Set<number>();
  let star = false;
  for (const expr of text.split(",").filter(Boolean)) {
    const range = parseRange(expr, bounds);
    for (let v = range.start; v <= range.end; v += range.step) values.add(v);
    star ||= range.star;
  }
  return { values, star };
}

/** robfig/cron `getRange`. */
function parseRange(
  expr: string,
  bounds: Bounds,
): { start: number; end: number; step: number; star: boolean } {
  const rangeAndStep = expr.split("/");
  const lowAndHigh = (rangeAndStep[0] ?? "").split("-");
  let start: number;
  let end: number;
  let star = false;
  if (lowAndHigh[0] === "*" || lowAndHigh[0] === "?") {
    [start, end, star] = [bounds.min, bounds.max, true];
  } else {
    if (lowAndHigh.length > 2) throw new CronScheduleError(`too many hyphens: ${expr}`);
    start = parseIntOrName(lowAndHigh[0] ?? "", bounds);
    end = lowAndHigh.length === 2 ? parseIntOrName(lowAndHigh[1] ?? "", bounds) : start;
  }
  let step = 1;
  if (rangeAndStep.length > 2) throw new CronScheduleError(`too many slashes: ${expr}`);
  if (rangeAndStep.length === 2) {
    step = parseNonNegative(rangeAndStep[1] ?? "");
    if (lowAndHigh.length === 1) end = bounds.max;
    if (step > 1) star = false;
  }
  if (start < bounds.min)
    throw new CronScheduleError(`beginning of range (${start}) below minimum (${bounds.min}): ${expr}`);
  if (end > bounds.max)
    throw new CronScheduleError(`end of range (${end}) above maximum (${bounds.max}): ${expr}`);
  if (start > end)
    throw new CronScheduleError(`beginning of range (${start}) beyond end of range (${end}): ${expr}`);
  if (step === 0) throw new CronScheduleError(`step of range should be a positive number: ${expr}`);
  return { start, end, step, star };
}

function parseIntOrName(text: string, bounds: Bounds): number {
  return bounds.names?.[text.toLowerCase()] ?? parseNonNegative(text);
}

function parseNonNegative(text: string): number {
  if (!/^[-+]?\d+$/.test(text)) throw new CronScheduleError(`failed to parse int from ${text}`);
  const value = Number(text);
  if (value < 0) throw new CronScheduleError(`negative number (${value}) not allowed: ${text}`);
  return value;
}

const DURATION_UNITS: Record<string, number> = {
  ns: 1e-9,
  us: 1e-6,
  µs: 1e-6,
  ms: 1e-3,
  s: 1,
  m: 60,
  h: 3600,
};

/** Go `time.ParseDuration`, then robfig/cron `Every`: whole seconds, at least one. */
function everySeconds(text: string): number {
  const parts = [...text.matchAll(/(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|ms|s|m|h)/g)];
  if (parts.length === 0 || parts.map((p) => p[0]).join("") !== text) {
    throw new CronScheduleError(`failed to parse duration @every ${text}`);
  }
  const seconds = parts.reduce(
    (sum, [, amount, unit]) => sum + Number(amount) * (DURATION_UNITS[unit ?? "s"] ?? 1),
    0,
  );
  return Math.max(1, Math.floor(seconds));
}
