import { DURATION_WORDS, parseDuration } from "./duration.ts";
import { checkedUrl } from "./endpoint.ts";
import type { TelemetryOverrides } from "./fetch-telemetry.ts";

/** Telemetry sources named by whoever runs GreenOps (command line, the Action's inputs). */
export type TelemetryArguments = { prometheus?: string; opencost?: string; window?: string };

/**
 * The sources and window checked: URLs must be http(s), the window a duration. A string is what is
 * wrong, named by `flag` (the command line's `--prometheus`, the Action's `prometheus-url`).
 */
export function telemetryOverrides(
  values: TelemetryArguments,
  flag: (name: keyof TelemetryArguments) => string,
): TelemetryOverrides | string {
  const overrides: TelemetryOverrides = {};
  if (values.window !== undefined) {
    if (parseDuration(values.window) === undefined)
      return `${flag("window")} ${DURATION_WORDS}; got ${JSON.stringify(values.window)}`;
    overrides.window = values.window;
  }
  for (const name of ["prometheus", "opencost"] as const) {
    const url = values[name];
    if (url === undefined) continue;
    try {
      overrides[name] = checkedUrl(url);
    } catch (error) {
      return `${flag(name)}: ${(error as Error).message}`;
    }
  }
  return overrides;
}
