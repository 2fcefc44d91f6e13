import type { EnvironmentSettings } from "../../config/environment-settings.ts";
import type { CloudLocation } from "../../model/cloud.ts";
import type { FieldSpan, Resource } from "../../model/resource.ts";
import type { Diagnostic, Span } from "../../model/span.ts";
import type { Attributes } from "./attributes.ts";
import { cloudOf, mapCloudResource } from "./index.ts";
import { type UsageFile, usageOf } from "./usage.ts";

/** Where a cloud resource runs: its provider's region, else the environment's (same cloud only). */
export function locationFor(
  type: string,
  provider: { region?: string; basis: CloudLocation["regionBasis"] } | undefined,
  settings: EnvironmentSettings,
): CloudLocation {
  const cloud = cloudOf(type) ?? settings.cloud;
  if (provider?.region) return { cloud, region: provider.region, regionBasis: provider.basis };
  if (settings.cloud === cloud && settings.region !== "unknown") {
    return { cloud, region: settings.region, regionBasis: "environment" };
  }
  return { cloud, regionBasis: "unknown" };
}

export type CloudResourceInput = {
  format: string;
  /** Terraform type (aws_instance); Pulumi tokens are mapped to it first. */
  type: string;
  id: string;
  kind: string;
  name: string;
  environment: string;
  span: Span;
  attributes: Attributes;
  location: CloudLocation;
  usage?: UsageFile;
  /** Where each attribute is written (JSON pointer → span), when the format knows: what fixes edit. */
  fields?: Record<string, FieldSpan>;
  /** Where an attribute is written, for diagnostics about it. */
  locate?: (attribute: string) => Span | undefined;
  /**
   * What the resource takes its shape from by reference rather than by value (plan configuration,
   * property dependencies): launch templates of instances, task definitions of ECS services.
   */
  templateRefs?: string[];
};

/** A cloud resource in the normalized model, with its mapper's notes and located diagnostics. */
export function cloudResource(input: CloudResourceInput): { resource: Resource; diagnostics: Diagnostic[] } {
  const usage = usageOf(input.usage, input.id);
  const result = mapCloudResource(input.type, input.attributes, {
    address: input.id,
    location: input.location,
    ...(usage ? { usage, usageFile: input.usage?.file } : {}),
  });
  const demand = result.demand;
  const refs = input.templateRefs ?? [];
  if (demand.type === "instance" && refs.length > 0) {
    demand.template = { refs: [...(demand.template?.refs ?? []), ...refs] };
  }
  if (demand.type === "fargate" && refs.length > 0) {
    demand.taskDefinition = { refs: [...(demand.taskDefinition?.refs ?? []), ...refs] };
  }
  const notes = [...result.notes];
  if ("location" in demand && demand.location?.regionBasis === "environment") {
    notes.push(`the provider names no region: the environment's ${demand.location.region} is used`);
  }
  const diagnostics = result.problems.map((problem): Diagnostic => {
    const span = (problem.attribute && input.locate?.(problem.attribute)) || input.span;
    return {
      file: span.file,
      line: span.startLine,
      column: span.startColumn,
      severity: problem.severity,
      message: `${input.id}: ${problem.message}`,
    };
  });
  const resource: Resource = {
    id: input.id,
    kind: input.kind,
    name: input.name,
    environment: input.environment,
    labels: {},
    source: { format: input.format, span: input.span, fields: input.fields ?? {} },
    demand,
    notes,
  };
  return { resource, diagnostics };
}
