/**
 * kube-downscaler's schedules (caas-team/kube-downscaler, README "Configuration"): the annotations
 * `downscaler/uptime` or `downscaler/downtime` on a workload hold "always", "never", or comma-separated
 * ranges such as "Mon-Fri 07:30-20:30 Europe/Berlin". Outside its uptime the workload runs
 * `downscaler/downtime-replicas` pods (default 0). An estimate only needs the share of the week a
 * schedule covers; time zones shift a range but do not change its length.
 */

const DAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];
const MINUTES_PER_DAY = 24 * 60;
const RANGE = /^(\w{3})(?:-(\w{3}))?\s+(\d{2}):(\d{2})-(\d{2}):(\d{2})(?:\s+\S+)?$/i;

export class DownscalerError extends Error {}

const shares = new Map<string, number>();

/** The share of a week (0–1) a kube-downscaler schedule covers. */
export function weeklyShare(schedule: string): number {
  let share = shares.get(schedule);
  if (share === undefined) {
    share = computeShare(schedule);
    if (shares.size >= 1000) shares.clear();
    shares.set(schedule, share);
  }
  return share;
}

function computeShare(schedule: string): number {
  const text = schedule.trim();
  if (/^always$/i.test(text)) return 1;
  if (/^never$/i.test(text)) return 0;
  const week = new Uint8Array(7 * MINUTES_PER_DAY);
  for (const part of text.split(",")) mark(week, part.trim(), schedule);
  return week.reduce((sum, minute) => sum + minute, 0) / week.length;
}

function mark(week: Uint8Array, range: string, schedule: string): void {
  const match = RANGE.exec(range);
  if (!match)
    throw new DownscalerError(
      `"${schedule}" is not a kube-downscaler schedule ("Mon-Fri 07:30-20:30 Europe/Berlin")`,
    );
  const [, first = "", last = first, h1 = "0", m1 = "0", h2 = "0", m2 = "0"] = match;
  const from = DAYS.indexOf(first.toLowerCase());
  const to = DAYS.indexOf(last.toLowerCase());
  const start = Number(h1) * 60 + Number(m1);
  const end = Number(h2) * 60 + Number(m2);
  if (from < 0 || to < 0 || start >= MINUTES_PER_DAY || end > MINUTES_PER_DAY) {
    throw new DownscalerError(`"${schedule}" has an unknown day or time`);
  }
  for (let day = from; ; day = (day + 1) % 7) {
    const length = end > start ? end - start : MINUTES_PER_DAY - start + end;
    for (let minute = 0; minute < length; minute++)
      week[(day * MINUTES_PER_DAY + start + minute) % week.length] = 1;
    if (day === to) break;
  }
}
