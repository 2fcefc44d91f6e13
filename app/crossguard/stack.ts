import type { PolicyResource } from "@pulumi/policy";
import { DEFAULT_SETTINGS, type EnvironmentSettings } from "../config/environment-settings.ts";
import type { Environments } from "../engine/environments.ts";
import { estimateParsed } from "../engine/evaluate.ts";
import type { EvaluatedResource, ResourceChange } from "../engine/types.ts";
import { environmentBasis } from "../estimate/basis.ts";
import { COMPONENTS } from "../iac/pulumi/components.ts";
import { pulumiPreview } from "../iac/pulumi/index.ts";
import type { StackRegions } from "../iac/pulumi/regions.ts";
import { idOfUrn, readRegistration } from "../iac/pulumi/registrations.ts";
import type { Resource } from "../model/resource.ts";
import { fileStart } from "../model/span.ts";

/** A stack as the policies see it: its resources estimated in its environment, and each one's URN. */
export type StackEvaluation = {
  stack: string;
  environments: Environments;
  rows: ResourceChange[];
  resources: EvaluatedResource[];
  /** Resource id → the URN of the Pulumi resource it was read from, for CrossGuard's violations. */
  urns: Map<string, string>;
};

/**
 * Reads the resources CrossGuard gives a stack policy exactly as GreenOps reads a program's
 * registrations (the same mapping, components, linking and estimates), in the stack's environment:
 * `settings` (the pack's config for the stack) over GreenOps' defaults; without them, whether the
 * stack is production is known only from its name. A component whose children
 * are in the stack (a real preview, where the plugin built them) is not estimated again; without
 * children (resources captured under mocks) it is estimated from its inputs and defaults.
 */
export function evaluateStack(
  resources: readonly PolicyResource[],
  settings?: Partial<EnvironmentSettings>,
): StackEvaluation {
  const stack = /^urn:pulumi:([^:]+)::/.exec(resources[0]?.urn ?? "")?.[1] ?? "";
  // Settings the pack's config gives a stack are its settings file: they make its kind known.
  const basis = environmentBasis(
    stack,
    { ...DEFAULT_SETTINGS, ...settings },
    settings ? `the policy pack's config (environments.${stack})` : undefined,
  );
  const parents = new Set(resources.flatMap((r) => (r.parent ? [r.parent.urn] : [])));
  const providers = new Map<string, string>();
  const regions: StackRegions = {};
  for (const { provider } of resources) {
    const region = provider?.props.region ?? provider?.props.location;
    if (!provider || typeof region !== "string") continue;
    providers.set(idOfUrn(provider.urn), region);
    // The default aws provider carries the stack's aws:region: components of other packages run there too.
    if (/::pulumi:providers:aws::default/.test(provider.urn))
      regions.aws = {
        region,
        basis: "stack-config",
        from: "aws:region of the stack (its default aws provider)",
      };
  }
  const context = { environment: stack, settings: basis.settings, format: "crossguard", regions, providers };
  const urns = new Map<string, string>();
  const read: Resource[] = [];
  for (const resource of resources) {
    const component = resource.type in COMPONENTS;
    const registration = {
      type: resource.type,
      name: resource.name,
      custom: !component,
      remote: component,
      expanded: parents.has(resource.urn),
      inputs: resource.props,
      ...(resource.provider ? { provider: `${resource.provider.urn}::id` } : {}),
      dependencies: Object.fromEntries(
        Object.entries(resource.propertyDependencies).map(([property, on]) => [
          property,
          on.map((r) => r.urn),
        ]),
      ),
      span: fileStart(`Pulumi.${stack}.yaml`),
    };
    for (const found of readRegistration(registration, context).resources) {
      urns.set(found.id, resource.urn);
      read.push(found);
    }
  }
  const evaluation = estimateParsed({
    parsed: [
      {
        path: `Pulumi.${stack}.yaml`,
        format: pulumiPreview,
        basis,
        result: { resources: read, diagnostics: [] },
      },
    ],
    diagnostics: [],
  });
  const environments: Environments = {
    all: new Map([[stack, basis]]),
    of: () => basis,
    diagnostics: [],
    errors: [],
    texts: new Map(),
  };
  const rows = evaluation.resources.map((after): ResourceChange => ({ change: "unchanged", after }));
  return { stack, environments, rows, resources: evaluation.resources, urns };
}
