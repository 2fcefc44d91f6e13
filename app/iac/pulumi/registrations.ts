import type { CloudLocation } from "../../model/cloud.ts";
import type { Resource } from "../../model/resource.ts";
import type { Diagnostic, Span } from "../../model/span.ts";
import { Attributes, isRecord, PULUMI_UNKNOWN } from "../cloud/attributes.ts";
import { cloudOf } from "../cloud/index.ts";
import { cloudResource, locationFor } from "../cloud/resource.ts";
import type { ParseContext } from "../format.ts";
import { parseManifests } from "../kubernetes/parse.ts";
import { kubernetesKind, terraformType, UNEXPANDED } from "./types.ts";

/** One resource registration: a step of `pulumi preview --json`, or what a program registered under mocks. */
export type Registration = {
  type: string;
  name: string;
  custom: boolean;
  inputs: Record<string, unknown>;
  /** A provider reference (`<provider urn>::<id>`); empty for the default provider. */
  provider?: string;
  /** Input property → URNs of the resources it depends on (launch templates, for instance). */
  dependencies?: Record<string, string[]>;
  /** Where it is declared: the step in the preview file, or the program's source line. */
  span: Span;
};

export type StackContext = ParseContext & {
  format: string;
  /** The stack's configuration (`aws:region`, …), as the preview or the stack file gives it. */
  config: Record<string, unknown>;
  /** Explicit providers by id (`pulumi:providers:aws::name`): the region (or location) they set. */
  providers: Map<string, string>;
};

const REGION_KEYS: Record<string, string[]> = {
  aws: ["aws:region"],
  azure: ["azure:location", "azure-native:location"],
  gcp: ["gcp:region", "gcp:zone"],
};

/** Providers registered explicitly (`pulumi:providers:aws`) and the region they set, by id. */
export function providerRegions(
  registrations: { urn: string; type: string; inputs: Record<string, unknown> }[],
) {
  const providers = new Map<string, string>();
  for (const { urn, type, inputs } of registrations) {
    if (!type.startsWith("pulumi:providers:")) continue;
    const region = inputs.region ?? inputs.location ?? inputs.zone;
    if (typeof region === "string") providers.set(idOfUrn(urn), region);
  }
  return providers;
}

/** A resource's id: its type token and name, as a URN ends (`aws:ec2/instance:Instance::web`). */
export function idOfUrn(urn: string): string {
  const [type = "", name = ""] = urn.split("::").slice(-2);
  return `${type.split("$").pop()}::${name}`;
}

/**
 * The resources of one registration: cloud resources through the Terraform mapping, Kubernetes
 * objects through the Kubernetes parser (so they are estimated exactly as manifests are). The stack,
 * providers and components register nothing that costs; components only the provider plugin
 * expands (Helm charts, yaml/v2) are said so.
 */
export function readRegistration(
  registration: Registration,
  stack: StackContext,
): { resources: Resource[]; diagnostics: Diagnostic[] } {
  const { type, name, span } = registration;
  const at = (severity: Diagnostic["severity"], message: string): Diagnostic => ({
    file: span.file,
    line: span.startLine,
    severity,
    message,
  });
  if (UNEXPANDED.test(type)) {
    const message = `${type} "${name}" is expanded only by the Kubernetes provider plugin: its resources are not estimated (render them and review the output)`;
    return { resources: [], diagnostics: [at("warning", message)] };
  }
  if (!registration.custom || type.startsWith("pulumi:")) return { resources: [], diagnostics: [] };
  const kubernetes = kubernetesKind(type);
  if (kubernetes) return readKubernetes(registration, kubernetes, stack);
  if (/^(random|tls|time|command|null):/.test(type)) {
    return {
      resources: [{ ...unknownResource(registration, stack, ""), demand: { type: "free" } }],
      diagnostics: [],
    };
  }
  const terraform = terraformType(type);
  if (!terraform) {
    const reason = `no cost model for ${type}`;
    return {
      resources: [unknownResource(registration, stack, reason)],
      diagnostics: [at("notice", `${type}::${name}: ${reason}; not estimated`)],
    };
  }
  const id = `${type}::${name}`;
  const read = cloudResource({
    format: stack.format,
    type: terraform,
    id,
    kind: type,
    name,
    environment: stack.environment,
    span,
    attributes: new Attributes(registration.inputs),
    location: location(terraform, registration, stack),
    ...(stack.usage ? { usage: stack.usage } : {}),
    templateRefs: Object.entries(registration.dependencies ?? {})
      .filter(([property]) => /^(launchTemplate|launchConfiguration|mixedInstancesPolicy)$/.test(property))
      .flatMap(([, urns]) => urns.map(idOfUrn)),
  });
  return { resources: [read.resource], diagnostics: read.diagnostics };
}

function location(type: string, registration: Registration, stack: StackContext): CloudLocation {
  const cloud = cloudOf(type) ?? stack.settings.cloud;
  // A provider reference is `<provider URN>::<provider id>`.
  const provider = registration.provider ? idOfUrn(registration.provider.replace(/::[^:]*$/, "")) : undefined;
  const explicit = provider ? stack.providers.get(provider) : undefined;
  if (explicit)
    return locationFor(type, { region: zoneToRegion(cloud, explicit), basis: "provider" }, stack.settings);
  const configured = (REGION_KEYS[cloud] ?? [])
    .map((key) => stack.config[key])
    .find((v) => typeof v === "string");
  return locationFor(
    type,
    typeof configured === "string"
      ? { region: zoneToRegion(cloud, configured), basis: "stack-config" }
      : undefined,
    stack.settings,
  );
}

function zoneToRegion(cloud: string, value: string): string {
  return cloud === "gcp" ? value.replace(/-[a-z]$/, "") : value;
}

/** A Kubernetes object registered through @pulumi/kubernetes, read by the Kubernetes parser. */
function readKubernetes(
  registration: Registration,
  kind: { apiVersion: string; kind: string },
  stack: StackContext,
): { resources: Resource[]; diagnostics: Diagnostic[] } {
  const inputs = known(registration.inputs) as Record<string, unknown>;
  const metadata = isRecord(inputs.metadata) ? { ...inputs.metadata } : {};
  const notes: string[] = [];
  if (typeof metadata.name !== "string") {
    metadata.name = registration.name;
    notes.push(`metadata.name is not set: Pulumi names it after "${registration.name}" with a random suffix`);
  }
  const manifest = { ...inputs, apiVersion: kind.apiVersion, kind: kind.kind, metadata };
  const parsed = parseManifests(registration.span.file, JSON.stringify(manifest, null, 2), stack);
  const resources = parsed.resources.map((resource) => ({
    ...resource,
    source: { format: stack.format, span: registration.span, fields: {} },
    notes: [...notes, ...resource.notes],
  }));
  const diagnostics = parsed.diagnostics.map((d) => ({
    ...d,
    line: registration.span.startLine,
    message: `${registration.type}::${registration.name}: ${d.message}`,
  }));
  return { resources, diagnostics };
}

/** Values known only after deployment are left out (and secrets unwrapped) before the object is read. */
function known(value: unknown): unknown {
  if (value === PULUMI_UNKNOWN) return undefined;
  if (Array.isArray(value)) return value.map(known).filter((v) => v !== undefined);
  if (!isRecord(value)) return value;
  if (value.__pulumiUnknown === true) return undefined;
  const attributes = new Attributes({ value });
  const unwrapped = attributes.raw("value");
  if (unwrapped !== value) return known(unwrapped);
  const result: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    if (key === "__defaults") continue;
    const kept = known(item);
    if (kept !== undefined) result[key] = kept;
  }
  return result;
}

function unknownResource(registration: Registration, stack: StackContext, reason: string): Resource {
  return {
    id: `${registration.type}::${registration.name}`,
    kind: registration.type,
    name: registration.name,
    environment: stack.environment,
    labels: {},
    source: { format: stack.format, span: registration.span, fields: {} },
    demand: { type: "unknown", reason },
    notes: [],
  };
}
