import type { EnvironmentBasis } from "../estimate/basis.ts";

/**
 * Grid carbon intensity by hour of day (UTC) for one region: from a provider's history (telemetry)
 * or from the environment's settings. Average and marginal intensity are never mixed.
 */
export type HourlyIntensity = {
  /** Where the figures come from, shown with every finding that uses them. */
  source: string;
  kind: "average" | "marginal";
  /** 24 values, gCO2e/kWh, index = hour of day in UTC. */
  gramsPerKWh: readonly number[];
};

/** An environment's hourly grid intensity from its settings (`carbonIntensityProfile`), if any. */
export function settingsIntensity(environment: EnvironmentBasis): HourlyIntensity | undefined {
  const profile = environment.settings.carbonIntensityProfile;
  return profile && { source: profile.source, kind: profile.kind, gramsPerKWh: profile.hourlyGramsPerKWh };
}
