import { describe, expect, it } from "vitest";
import { DownscalerError, weeklyShare } from "../../../app/iac/kubernetes/downscaler.ts";

describe("weeklyShare (kube-downscaler schedules)", () => {
  it.each([
    ["always", 1],
    ["never", 0],
    ["Mon-Fri 07:30-20:30 Europe/Berlin", (5 * 13) / 168],
    ["Mon-Fri 08:00-18:00 UTC, Sat-Sun 10:00-14:00 UTC", (5 * 10 + 2 * 4) / 168],
    ["Sat 22:00-02:00 UTC", 4 / 168],
    ["Fri-Mon 00:00-24:00 UTC", 4 / 7],
    ["Mon-Fri 08:00-18:00 UTC,Mon-Fri 09:00-17:00 UTC", (5 * 10) / 168],
  ])("%s covers %f of the week", (schedule, share) => {
    expect(weeklyShare(schedule)).toBeCloseTo(share, 12);
  });

  it.each(["weekdays 9-5", "Mon-Fri 25:00-26:00 UTC", "Mon-Fun 08:00-18:00 UTC"])(
    "rejects %j",
    (schedule) => {
      expect(() => weeklyShare(schedule)).toThrow(DownscalerError);
    },
  );
});
