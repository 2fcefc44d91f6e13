import { describe, expect, it } from "vitest";
import { CronScheduleError, runsPerHour } from "../../../app/iac/kubernetes/cron-schedule.ts";

const DAYS_PER_YEAR = 365.2425;

describe("runsPerHour (robfig/cron v3 ParseStandard semantics)", () => {
  it.each([
    ["*/15 * * * *", 4],
    ["0 * * * *", 1],
    ["@hourly", 1],
    ["@daily", 1 / 24],
    ["@midnight", 1 / 24],
    ["0 0 * * 0", 1 / 168],
    ["@weekly", 1 / 168],
    ["0 9-17 * * 1-5", (9 * 5) / (7 * 24)],
    ["0 9-17 * * MON-FRI", (9 * 5) / (7 * 24)],
    ["30 2 * * ?", 1 / 24],
    ["0,30 * * * *", 2],
    ["5/20 * * * *", 3],
    ["@every 1h30m", 1 / 1.5],
    ["@every 90s", 40],
    ["@every 500ms", 3600],
    ["0 0 30 2 *", 0],
    ["TZ=Europe/Paris 0 * * * *", 1],
  ])("%s runs %f times an hour", (schedule, expected) => {
    expect(runsPerHour(schedule)).toBeCloseTo(expected, 9);
  });

  it("counts monthly runs over the Gregorian cycle", () => {
    expect(runsPerHour("@monthly")).toBeCloseTo(12 / (DAYS_PER_YEAR * 24), 12);
    expect(runsPerHour("0 0 29 2 *")).toBeCloseTo(97 / 400 / (DAYS_PER_YEAR * 24), 12);
  });

  it("ORs day-of-month and day-of-week when neither is a star", () => {
    const fridays = 1 / 7;
    const thirteenths = 12 / DAYS_PER_YEAR;
    const fridayThe13th = 688 / 146_097;
    expect(runsPerHour("0 0 13 * 5") * 24).toBeCloseTo(fridays + thirteenths - fridayThe13th, 9);
  });

  it("treats a stepped star as not a star, as robfig/cron does", () => {
    const every = runsPerHour("0 0 */2 * 1") * 24;
    expect(every).toBeGreaterThan(runsPerHour("0 0 */2 * *") * 24);
  });

  it.each([
    ["", "empty schedule"],
    ["0 0 * * 7", "end of range (7) above maximum (6)"],
    ["* * * *", "expected exactly 5 fields, found 4"],
    ["61 * * * *", "above maximum (59)"],
    ["@fortnightly", "unrecognized descriptor"],
    ["*/0 * * * *", "step of range should be a positive number"],
    ["5-1 * * * *", "beyond end of range"],
    ["a * * * *", "failed to parse int from a"],
    ["@every soon", "failed to parse duration"],
  ])("rejects %j: %s", (schedule, reason) => {
    expect(() => runsPerHour(schedule)).toThrow(CronScheduleError);
    expect(() => runsPerHour(schedule)).toThrow(reason);
  });
});
