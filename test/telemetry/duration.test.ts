import { describe, expect, it } from "vitest";
import { ajv } from "../../app/config/ajv.ts";
import { durationSchema, formatDuration, parseDuration } from "../../app/telemetry/duration.ts";

const inSettings = ajv.compile(durationSchema("A duration."));

describe("durations", () => {
  /** A text, and its seconds (undefined: not a duration). */
  const DURATIONS: [text: string, seconds: number | undefined][] = [
    ["90s", 90],
    ["10m", 600],
    ["36h", 129_600],
    ["14d", 1_209_600],
    ["2w", 1_209_600],
    ["120d", 10_368_000],
    ["0d", undefined],
    ["014d", undefined],
    ["14", undefined],
    ["d", undefined],
    ["1.5h", undefined],
    ["-1h", undefined],
    ["14D", undefined],
    ["14y", undefined],
    ["1h30m", undefined],
    ["two weeks", undefined],
    ["", undefined],
  ];
  it.each(DURATIONS)("%j is %j seconds, and the settings' schema accepts it alike", (text, seconds) => {
    expect(parseDuration(text)).toBe(seconds);
    expect(inSettings(text)).toBe(seconds !== undefined);
  });

  it("reads a flag's value with spaces around it (the settings' schema does not)", () => {
    expect(parseDuration(" 14d\n")).toBe(1_209_600);
    expect(inSettings(" 14d\n")).toBe(false);
  });

  it.each([
    [1_209_600, "14d"],
    [5400, "90m"],
    [7200, "2h"],
    [90, "90s"],
  ])("writes %i seconds as %s", (seconds, text) => {
    expect(formatDuration(seconds)).toBe(text);
  });
});
