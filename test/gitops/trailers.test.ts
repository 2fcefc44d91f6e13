import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { readTrailers, trailerLines } from "../../app/gitops/trailers.ts";
import { VERSION } from "../../app/version.ts";

describe("GreenOps' commit trailers", () => {
  it("name each policy, the saving and the version", () => {
    expect(
      trailerLines(["rightsizing", "nonprod-schedule", "rightsizing"], {
        monthlyCost: -41.976,
        monthlyCarbonKg: -1.2344,
      }),
    ).toEqual([
      "GreenOps-Policy: nonprod-schedule",
      "GreenOps-Policy: rightsizing",
      "GreenOps-Saving: 41.98 USD/month; 1.234 kgCO2e/month",
      `GreenOps-Version: ${VERSION}`,
    ]);
  });

  it("are read back from the last paragraph of a message", () => {
    const message = `GreenOps: save $41.98/month in dev\n\n- rightsizing: …\n\nGreenOps-Scan: dev\n${trailerLines(["rightsizing"], { monthlyCost: 3, monthlyCarbonKg: 0 }).join("\n")}\n`;
    expect(readTrailers(message)).toEqual({
      policies: ["rightsizing"],
      saving: { monthlyCost: -3, monthlyCarbonKg: 0 },
      version: VERSION,
      scan: "dev",
    });
    expect(readTrailers("Fix the build\n\nSigned-off-by: A <a@example.com>")).toBeUndefined();
  });

  it("carry package.json's version", () => {
    expect(VERSION).toBe(
      JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")).version,
    );
  });
});
