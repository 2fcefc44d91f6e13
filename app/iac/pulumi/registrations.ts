import type { Resource } from "../../model/resource.ts";
import type { Diagnostic } from "../../model/span.ts";
import { Attributes, isRecord, PULUMI_UNKNOWN } from "../cloud/attributes.ts";
import { cloudResource } from "../cloud/resource.ts";
import { parseManifests } from "../kubernetes/parse.ts";
import { COMPONENTS } from "./components.ts";
import { readComponent } from "./read-component.ts";
import { idOfUrn, locationOf, type Registration, regionNotes, type StackContext } from "./stack-context.ts";
import { kubernetesKind, terraformType, UNEXPANDED } from "./types.ts";

export { idOfUrn, providerRegions, type Registration, type StackContext } from "./stack-context.ts";

/**
 * The resources of one registration: cloud resources through the Terraform mapping, Kubernetes
 * objects through the Kubernetes parser (so they are estimated exactly as manifests are), awsx and
 * eks components through their documented defaults. The stack, providers and local components
 * register nothing that costs; other components only a provider plugin expands (Helm charts,
 * yaml/v2) are said so.
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
  const component = COMPONENTS[type];
  if (component && !registration.expanded) return readComponent(registration, component, stack);
  if (registration.remote) {
    const message = `${type} "${name}" is a component its provider plugin builds: its resources are not estimated`;
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
    location: locationOf(terraform, registration, stack),
    ...(registration.fields ? { fields: registration.fields } : {}),
    ...(stack.usage ? { usage: stack.usage } : {}),
    templateRefs: Object.entries(registration.dependencies ?? {})
      .filter(([property]) =>
        /^(launchTemplate|launchConfiguration|mixedInstancesPolicy|taskDefinition)$/.test(property),
      )
      .flatMap(([, urns]) => urns.map(idOfUrn)),
  });
  const demand = read.resource.demand;
  read.resource.notes.push(...regionNotes("location" in demand ? demand.location : undefined, stack));
  return { resources: [read.resource], diagnostics: read.diagnostics };
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
    source: { format: stack.format, span: registration.span, fields: registration.fields ?? {} },
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
