import { describe, expect, it } from "vitest";
import { validateEnvironmentSettings } from "../../app/config/environment-settings.ts";
import { loadYamlConfig } from "../../app/config/yaml-config.ts";
import { type TelemetryArguments, telemetryOverrides } from "../../app/telemetry/overrides.ts";

const cli = (name: keyof TelemetryArguments) => (name === "window" ? "--telemetry-window" : `--${name}`);
const SETTINGS = "environments/prod/greenops.yml";

/** The error the settings give a window, after its key: what the command line must say alike. */
function settingsWords(window: string): string {
  const text = `cloud: aws\nregion: us-east-1\ncurrency: USD\ntelemetry:\n  window: ${JSON.stringify(window)}\n`;
  const [error] = loadYamlConfig(SETTINGS, text, validateEnvironmentSettings).diagnostics;
  return error?.message.replace(/^"telemetry\.window" /, "") ?? "";
}

describe("the telemetry window whoever runs GreenOps names", () => {
  it.each(["14d", "36h", "2w", "90s"])("%s is a window", (window) => {
    expect(telemetryOverrides({ window }, cli)).toEqual({ window });
  });

  it.each(["2 weeks", "1h30m", "0d", "14", "soon", ""])(
    "%j is refused in the settings' words, after the flag",
    (window) => {
      const words = settingsWords(window);
      expect(words).toMatch(/^must be a duration: .*; got /);
      expect(telemetryOverrides({ window }, cli)).toBe(`--telemetry-window ${words}`);
    },
  );
});
