import type { Severity } from "../engine/finding.ts";
import { lazyValidator } from "./ajv.ts";

/** `.github/greenops/policies/<id>.yml`: a declarative policy, no TypeScript needed. */
export type CustomPolicyFile = {
  id?: string;
  title: string;
  description?: string;
  severity?: Severity;
  /** A message with {{placeholders}}: id, kind, name, namespace, environment, monthlyCost, monthlyCarbonKg. */
  message: string;
  match?: {
    kinds?: string[];
    namespaces?: string[];
    environments?: string[];
    labels?: Record<string, string>;
  };
  /** A JSON Schema every matching resource must satisfy (the normalized resource); a finding when it does not. */
  assert: Record<string, unknown>;
  /** A JSON pointer of the field to point at (default: the resource). */
  at?: string;
};

const strings = (description: string) => ({
  type: "array",
  items: { type: "string", minLength: 1 },
  minItems: 1,
  description,
});

/** A custom policy's id, whether its `id:` key or its file name gives it. */
export const policyIdSchema = {
  type: "string",
  pattern: "^[a-z0-9]+(-[a-z0-9]+)*$",
  patternErrorMessage:
    "must be kebab-case: lower-case letters and digits, words joined by single hyphens (team-label, no-big-dev-pods)",
  description: "The policy id (kebab-case); the file name without .yml by default.",
};

export const customPolicySchema = {
  $id: "https://greenops.dev/schemas/custom-policy.json",
  title: "GreenOps custom policy",
  description:
    ".github/greenops/policies/<id>.yml: resources that match must satisfy a JSON Schema, or a finding is reported.",
  type: "object",
  properties: {
    id: policyIdSchema,
    title: { type: "string", minLength: 1, description: "What the policy checks, in a few words." },
    description: { type: "string", description: "A longer description." },
    severity: {
      type: "string",
      enum: ["error", "warning", "notice"],
      description: "The default severity (warning when absent); configurable like a built-in policy's.",
    },
    message: {
      type: "string",
      minLength: 1,
      description:
        "The finding's message; placeholders: {{id}}, {{kind}}, {{name}}, {{namespace}}, {{environment}}, {{monthlyCost}}, {{monthlyCarbonKg}}.",
    },
    match: {
      type: "object",
      description:
        "Which resources the policy checks (all given criteria must match; every resource when absent).",
      properties: {
        kinds: strings("Kubernetes kinds, e.g. Deployment."),
        namespaces: strings("Namespaces."),
        environments: strings("GreenOps environment names."),
        labels: {
          type: "object",
          additionalProperties: { type: "string" },
          description: "Labels the resource must carry, with these values.",
        },
      },
      additionalProperties: false,
    },
    assert: {
      type: "object",
      description:
        "A JSON Schema (draft-07) over the normalized resource: id, kind, name, namespace, environment, labels, change, demand, monthlyCost, monthlyCarbonKg.",
    },
    at: {
      type: "string",
      pattern: "^(/[^/]*)*$",
      patternErrorMessage:
        "must be a JSON pointer: each key after a / (/metadata/labels, /spec/template/spec)",
      description: "A JSON pointer into the manifest of the field to annotate, e.g. /metadata/labels.",
    },
  },
  required: ["title", "message", "assert"],
  additionalProperties: false,
};

export const validateCustomPolicyFile = lazyValidator<CustomPolicyFile>(
  "custom-policy-file",
  customPolicySchema,
);
