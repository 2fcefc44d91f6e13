import type { Severity } from "../engine/finding.ts";

/** A policy's severity (or "off"), alone or with its options. */
export type PolicySetting =
  | Severity
  | "off"
  | { severity?: Severity | "off"; options?: Record<string, unknown> };

const severity = { type: "string", enum: ["error", "warning", "notice", "off"] };

/** The schema of `policies:` in both configuration files; each policy's options are checked against its own schema. */
export const policySettingsSchema = {
  type: "object",
  description: "Policy id → its severity (error | warning | notice | off), or { severity, options }.",
  additionalProperties: {
    oneOf: [
      severity,
      {
        type: "object",
        properties: {
          severity,
          options: { type: "object", description: "The policy's options (see policies/README.md)." },
        },
        additionalProperties: false,
      },
    ],
  },
};

export function severityOf(setting: PolicySetting | undefined): Severity | "off" | undefined {
  return typeof setting === "string" ? setting : setting?.severity;
}

export function optionsOf(setting: PolicySetting | undefined): Record<string, unknown> {
  return typeof setting === "object" ? (setting.options ?? {}) : {};
}
