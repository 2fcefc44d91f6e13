import type { ValidateFunction } from "ajv";
import { userAjv } from "../config/ajv.ts";
import {
  type CustomPolicyFile,
  policyIdSchema,
  validateCustomPolicyFile,
} from "../config/custom-policy-file.ts";
import { describeEnvironment } from "../config/environment-kind.ts";
import { loadYamlConfig } from "../config/yaml-config.ts";
import type { Diagnostic } from "../model/span.ts";
import { definePolicy, type Policy, type ReviewedResource } from "./policy.ts";

export const CUSTOM_POLICY_DIRECTORY = ".github/greenops/policies";

/**
 * Reads one custom policy file into a policy; every problem (YAML, unknown keys, an id taken by a
 * built-in policy, a file name that is no policy id, an invalid JSON Schema) is a located
 * diagnostic, and the policy is then left out.
 */
export function loadCustomPolicy(
  file: string,
  text: string,
  taken: ReadonlySet<string>,
): { policy?: Policy; diagnostics: Diagnostic[] } {
  let check: ValidateFunction | undefined;
  const id =
    file
      .split("/")
      .at(-1)
      ?.replace(/\.ya?ml$/, "") ?? file;
  const result = loadYamlConfig<CustomPolicyFile>(file, text, validateCustomPolicyFile, (value, issues) => {
    const policyId = value.id ?? id;
    if (value.id === undefined && !new RegExp(policyIdSchema.pattern).test(id))
      issues.report(["id"], `the id "${id}" taken from the file name ${policyIdSchema.patternErrorMessage}`);
    if (taken.has(policyId)) issues.report(["id"], `the policy id "${policyId}" is taken by another policy`);
    if (!userAjv.validateSchema(value.assert)) {
      issues.report(["assert"], `assert is not a valid JSON Schema: ${userAjv.errorsText(userAjv.errors)}`);
      return;
    }
    try {
      check = userAjv.compile(value.assert);
    } catch (error) {
      issues.report(["assert"], `assert cannot be compiled: ${(error as Error).message}`);
    }
  });
  if (!result.value || !check) return { diagnostics: result.diagnostics };
  return { policy: customPolicy(result.value.id ?? id, result.value, check), diagnostics: [] };
}

function customPolicy(id: string, spec: CustomPolicyFile, check: ValidateFunction): Policy {
  return definePolicy<Record<string, never>, "failed">({
    meta: {
      id,
      title: spec.title,
      description: spec.description ?? spec.title,
      rationale: "A policy of this repository (.github/greenops/policies).",
      category: "reliability",
      scope: "resource",
      defaultSeverity: spec.severity ?? "warning",
      options: { type: "object", properties: {}, additionalProperties: false },
      messages: { failed: spec.message },
      whenNotToUse: "See the repository's own documentation of this policy.",
    },
    check(context) {
      const reviewed = context.resource;
      if (!matches(spec.match ?? {}, reviewed)) return;
      const value = normalized(reviewed);
      if (check(value)) return;
      const { resource } = reviewed;
      context.report({
        messageId: "failed",
        data: {
          id: resource.id,
          kind: resource.kind,
          name: resource.name,
          namespace: resource.namespace ?? "",
          environment: describeEnvironment(resource.environment),
          monthlyCost: (reviewed.estimate.monthlyCost ?? 0).toFixed(2),
          monthlyCarbonKg: (reviewed.estimate.monthlyCarbonKg ?? 0).toFixed(2),
        },
        ...(spec.at && resource.source.fields[spec.at] ? { at: resource.source.fields[spec.at] } : {}),
      });
    },
  });
}

function matches(match: NonNullable<CustomPolicyFile["match"]>, { resource }: ReviewedResource): boolean {
  if (match.kinds && !match.kinds.includes(resource.kind)) return false;
  if (match.namespaces && !match.namespaces.includes(resource.namespace ?? "")) return false;
  if (match.environments && !match.environments.includes(resource.environment)) return false;
  return Object.entries(match.labels ?? {}).every(([key, value]) => resource.labels[key] === value);
}

/** What a custom policy's schema sees: the normalized resource, its estimate and its change. */
export function normalized({ resource, estimate, change }: ReviewedResource): Record<string, unknown> {
  return {
    id: resource.id,
    kind: resource.kind,
    name: resource.name,
    namespace: resource.namespace ?? null,
    environment: resource.environment,
    labels: resource.labels,
    change,
    demand: resource.demand,
    monthlyCost: estimate.monthlyCost,
    monthlyCarbonKg: estimate.monthlyCarbonKg,
  };
}
