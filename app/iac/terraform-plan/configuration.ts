import type { CloudLocation } from "../../model/cloud.ts";
import { isRecord } from "../cloud/attributes.ts";
import type { ConfigModule, ConfigResource, Expression, Plan, ResourceChange } from "./schema.ts";

type Region = { region?: string; basis: CloudLocation["regionBasis"] };

const TEMPLATE_REF = /(?:^|\.)aws_(?:launch_template|launch_configuration|ecs_task_definition)\.[\w-]+$/;

/**
 * What a plan's `configuration` says that `resource_changes` does not: each provider's region
 * (a constant or a variable), and which launch templates a resource refers to by reference (its
 * `id` is unknown until apply).
 */
export class PlanConfiguration {
  readonly #regions = new Map<string, string>();
  readonly #resources = new Map<string, { config: ConfigResource; module: string }>();

  constructor(plan: Plan) {
    for (const [key, provider] of Object.entries(plan.configuration?.provider_config ?? {})) {
      const region = evaluate(provider.expressions?.region, plan);
      if (typeof region === "string") this.#regions.set(key, region);
    }
    this.#walk(plan.configuration?.root_module, "");
  }

  #walk(module: ConfigModule | undefined, prefix: string): void {
    for (const config of module?.resources ?? []) {
      this.#resources.set(`${prefix}${config.address}`, { config, module: prefix });
    }
    for (const [name, call] of Object.entries(module?.module_calls ?? {})) {
      this.#walk(call.module, `${prefix}module.${name}.`);
    }
  }

  /** The region of the provider configuration a resource uses. */
  regionOf(change: ResourceChange): Region | undefined {
    const key = this.#resources.get(configAddress(change.address))?.config.provider_config_key;
    const candidates = [key, key?.split(":").pop(), change.provider_name?.split("/").pop()];
    for (const candidate of candidates) {
      const region = candidate ? this.#regions.get(candidate) : undefined;
      if (region) return { region, basis: "provider" };
    }
    return undefined;
  }

  /** Launch templates, configurations and task definitions the resource's expressions refer to, as full addresses. */
  templateRefs(address: string): string[] {
    const found = this.#resources.get(configAddress(address));
    if (!found) return [];
    const refs: string[] = [];
    collectReferences(found.config.expressions, (ref) => {
      if (TEMPLATE_REF.test(ref)) refs.push(`${found.module}${ref}`);
    });
    return refs;
  }
}

/** A resource's address in the configuration: no count or for_each keys. */
function configAddress(address: string): string {
  return address.replace(/\[[^\]]*\]/g, "");
}

function evaluate(expression: Expression | undefined, plan: Plan): unknown {
  if (!expression) return undefined;
  if ("constant_value" in expression) return expression.constant_value;
  const variable = expression.references?.find((ref) => ref.startsWith("var."));
  return variable ? plan.variables?.[variable.slice(4)]?.value : undefined;
}

function collectReferences(value: unknown, found: (ref: string) => void): void {
  if (Array.isArray(value)) {
    for (const item of value) collectReferences(item, found);
  } else if (isRecord(value)) {
    const references = value.references;
    if (Array.isArray(references)) for (const ref of references) if (typeof ref === "string") found(ref);
    for (const [key, item] of Object.entries(value)) if (key !== "references") collectReferences(item, found);
  }
}
