import type { EnforcementLevel, PolicyConfigSchema, Severity, StackValidationPolicy } from "@pulumi/policy";
import { BUILT_IN_POLICIES } from "../../policies/index.ts";
import { type EnvironmentSettings, environmentSettingsSchema } from "../config/environment-settings.ts";
import type { Policy } from "../engine/policy.ts";
import { runPolicies } from "../engine/run-policies.ts";
import { evaluateStack, type StackEvaluation } from "./stack.ts";

const ENFORCEMENT: Record<Policy["meta"]["defaultSeverity"], EnforcementLevel> = {
  error: "mandatory",
  warning: "advisory",
  notice: "advisory",
};

const SEVERITY: Record<Policy["meta"]["defaultSeverity"], Severity> = {
  error: "high",
  warning: "medium",
  notice: "low",
};

/**
 * A policy's config: its own options (the same JSON Schema GreenOps validates them with) and each
 * stack's environment settings (budgets, production, region, node type: GreenOps' schema, none required).
 */
function configSchema(policy: Policy): PolicyConfigSchema {
  const { $id: _id, title: _title, required: _required, ...settings } = environmentSettingsSchema;
  const environments = {
    type: "object",
    description:
      "Settings per stack name, as environments/<name>/greenops.yml holds them (budgets, production, ...).",
    additionalProperties: settings,
  };
  // Two JSON Schema typings of the same document: GreenOps' and @pulumi/policy's.
  return { properties: { ...policy.meta.options.properties, environments } } as unknown as PolicyConfigSchema;
}

type Config = Record<string, unknown> & { environments?: Record<string, Partial<EnvironmentSettings>> };

/**
 * GreenOps' policies as CrossGuard stack policies, built from the same definitions (no rule is
 * written twice): each takes its options from the pack's config (`--policy-pack-config`), under the
 * policy's id, with the same JSON Schema; `environments.<stack>` gives a stack its settings. The
 * enforcement level follows the policy's severity (an error is mandatory); each finding is a
 * violation on the resource it is about, or on the stack.
 */
export function crossGuardPolicies(
  registry: Record<string, Policy> = BUILT_IN_POLICIES,
): StackValidationPolicy[] {
  const evaluations = new WeakMap<object, Map<string, StackEvaluation>>();
  const evaluate = (resources: Parameters<typeof evaluateStack>[0], config: Config) => {
    const key = JSON.stringify(config.environments ?? {});
    const cached = evaluations.get(resources) ?? new Map<string, StackEvaluation>();
    evaluations.set(resources, cached);
    let evaluation = cached.get(key);
    if (!evaluation) {
      const stack = /^urn:pulumi:([^:]+)::/.exec(resources[0]?.urn ?? "")?.[1] ?? "";
      evaluation = evaluateStack(resources, config.environments?.[stack]);
      cached.set(key, evaluation);
    }
    return evaluation;
  };
  return Object.values(registry).map(
    (policy): StackValidationPolicy => ({
      name: policy.meta.id,
      description: policy.meta.description,
      enforcementLevel: ENFORCEMENT[policy.meta.defaultSeverity],
      severity: SEVERITY[policy.meta.defaultSeverity],
      configSchema: configSchema(policy),
      validateStack: (args, reportViolation) => {
        const config = args.getConfig<Config>();
        const { environments: _settings, ...options } = config;
        const evaluation = evaluate(args.resources, config);
        for (const finding of findings(policy, options, evaluation)) {
          const fix = finding.fix ? ` Fix: ${finding.fix.title}.` : "";
          reportViolation(
            `${finding.message}.${fix}`,
            finding.resource && evaluation.urns.get(finding.resource.id),
          );
        }
      },
    }),
  );
}

/** One policy's findings on a stack, with these options (merged with the policy's defaults). */
function findings(policy: Policy, options: Record<string, unknown>, evaluation: StackEvaluation) {
  return runPolicies({
    mode: "estimate",
    policies: [policy],
    rows: evaluation.rows,
    head: evaluation.resources,
    environments: evaluation.environments,
    config: { policies: { [policy.meta.id]: { options } } },
    texts: new Map(),
    touched: new Set(),
    known: [policy.meta.id],
  }).filter((finding) => !finding.suppressed);
}
