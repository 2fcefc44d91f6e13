import type { Cloud } from "../../config/environment-settings.ts";
import type { CloudLocation } from "../../model/cloud.ts";
import type { ConfigValue } from "./stack-config.ts";

/** Where a stack's resources run when their provider names no region, and where that was read. */
export type StackRegion = { region: string; basis: CloudLocation["regionBasis"]; from: string };

export type StackRegions = Partial<Record<Cloud, StackRegion>>;

/** The config keys that set each cloud's region (a GCP zone names its region). */
export const REGION_KEYS: Record<Cloud, string[]> = {
  aws: ["aws:region"],
  azure: ["azure-native:location", "azure:location"],
  gcp: ["gcp:region", "gcp:zone"],
};

const BASIS = {
  stack: "stack-config",
  project: "project-config",
  template: "template-default",
} as const satisfies Record<ConfigValue["layer"], CloudLocation["regionBasis"]>;

/**
 * Each cloud's region: the stack's config, then the project's `config:`, then its template's
 * default (Pulumi.yaml), then, in a checkout, the shell's AWS_REGION or AWS_DEFAULT_REGION. Clouds
 * with none take the environment's region later, and the report says which it was.
 */
export function stackRegions(
  values: ReadonlyMap<string, { value: unknown; layer: ConfigValue["layer"]; at: { file: string } }>,
  shell?: { region: string; variable: string },
): StackRegions {
  const regions: StackRegions = {};
  for (const [cloud, keys] of Object.entries(REGION_KEYS) as [Cloud, string[]][]) {
    const key = keys.find((k) => typeof values.get(k)?.value === "string");
    const found = key === undefined ? undefined : values.get(key);
    if (found && key) {
      const region = zoneToRegion(cloud, found.value as string);
      const from =
        found.layer === "template"
          ? `the template default of ${key} in ${found.at.file}`
          : `${key} in ${found.at.file}`;
      regions[cloud] = { region, basis: BASIS[found.layer], from };
    }
  }
  if (!regions.aws && shell) {
    regions.aws = { region: shell.region, basis: "process-env", from: `${shell.variable} of the shell` };
  }
  return regions;
}

export function zoneToRegion(cloud: Cloud, value: string): string {
  return cloud === "gcp" ? value.replace(/-[a-z]$/, "") : value;
}
