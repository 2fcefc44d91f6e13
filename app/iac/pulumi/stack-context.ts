import type { CloudLocation } from "../../model/cloud.ts";
import type { FieldSpan } from "../../model/resource.ts";
import type { Span } from "../../model/span.ts";
import { cloudOf } from "../cloud/index.ts";
import { locationFor } from "../cloud/resource.ts";
import type { ParseContext } from "../format.ts";
import { type StackRegions, zoneToRegion } from "./regions.ts";

/** One resource registration: a step of `pulumi preview --json`, or what a program registered under mocks. */
export type Registration = {
  type: string;
  name: string;
  custom: boolean;
  /** A multi-language component: its provider plugin builds its children, which are never registered. */
  remote?: boolean;
  /**
   * A component whose children are among the resources read (a real preview, where the provider plugin
   * built them): they are estimated, the component is not estimated again from its defaults.
   */
  expanded?: boolean;
  inputs: Record<string, unknown>;
  /** A provider reference (`<provider urn>::<id>`); empty for the default provider. */
  provider?: string;
  /** Input property → URNs of the resources it depends on (launch templates, for instance). */
  dependencies?: Record<string, string[]>;
  /** Where it is declared: the step in the preview file, or the program's source line. */
  span: Span;
  /** Where each input is written (JSON pointer → span) when a program writes it as a literal. */
  fields?: Record<string, FieldSpan>;
};

export type StackContext = ParseContext & {
  format: string;
  /** Each cloud's region for resources whose provider names none, and where it was read. */
  regions: StackRegions;
  /** Explicit providers by id (`pulumi:providers:aws::name`): the region (or location) they set. */
  providers: Map<string, string>;
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

/** Where a registered resource runs: its explicit provider's region, else the stack's, else the environment's. */
export function locationOf(type: string, registration: Registration, stack: StackContext): CloudLocation {
  const cloud = cloudOf(type) ?? stack.settings.cloud;
  // A provider reference is `<provider URN>::<provider id>`.
  const provider = registration.provider ? idOfUrn(registration.provider.replace(/::[^:]*$/, "")) : undefined;
  const explicit = provider ? stack.providers.get(provider) : undefined;
  if (explicit)
    return locationFor(type, { region: zoneToRegion(cloud, explicit), basis: "provider" }, stack.settings);
  return locationFor(type, stack.regions[cloud], stack.settings);
}

/** Says where a region read from the project (not the stack) came from. */
export function regionNotes(location: CloudLocation | undefined, stack: StackContext): string[] {
  const basis = location?.regionBasis;
  if (basis !== "project-config" && basis !== "template-default" && basis !== "process-env") return [];
  const region = location ? stack.regions[location.cloud] : undefined;
  return region ? [`region ${region.region} from ${region.from}`] : [];
}
