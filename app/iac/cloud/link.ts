import type { LaunchTemplateDemand } from "../../model/cloud.ts";
import type { Resource } from "../../model/resource.ts";
import type { Diagnostic } from "../../model/span.ts";

/**
 * Gives instances, autoscaling groups and node groups the shape of the launch template or
 * configuration they name: its instance type (unless they set one) and its block devices. Templates
 * are matched by address, name or id, among resources of the same side of a plan. The resources as
 * parsed are left as they are: linked copies are returned, in the same order.
 */
export function linkCloudResources(parsed: Resource[]): { resources: Resource[]; diagnostics: Diagnostic[] } {
  const resources = parsed.map(copyForLink);
  const templates = new Map<string, Resource & { demand: LaunchTemplateDemand }>();
  for (const resource of resources) {
    if (resource.demand.type !== "launch-template") continue;
    const side = resource.planned?.side ?? "";
    for (const ref of [resource.id, ...resource.demand.refs]) {
      templates.set(`${side}\0${ref}`, resource as Resource & { demand: LaunchTemplateDemand });
    }
  }
  const diagnostics: Diagnostic[] = [];
  for (const resource of resources) {
    const demand = resource.demand;
    if (demand.type !== "instance" || !demand.template) continue;
    const side = resource.planned?.side ?? "";
    const template = demand.template.refs.map((ref) => templates.get(`${side}\0${ref}`)).find(Boolean);
    if (!template) {
      if (demand.instanceType === undefined) {
        diagnostics.push({
          file: resource.source.span.file,
          line: resource.source.span.startLine,
          severity: "warning",
          message: `${resource.id}: its launch template (${demand.template.refs.join(", ")}) is not among the resources read; the instance type is unknown`,
        });
      }
      continue;
    }
    demand.template.linked = template.id;
    demand.instanceType ??= template.demand.instanceType;
    if (demand.disks.length === 0) demand.disks = template.demand.disks.map((disk) => ({ ...disk }));
    if (template.demand.tenancy === "dedicated") demand.tenancy = "dedicated";
  }
  return { resources, diagnostics };
}

/** A copy of what linking changes (an instance's demand and its template reference); the rest is shared. */
function copyForLink(resource: Resource): Resource {
  const demand = resource.demand;
  if (demand.type !== "instance" || !demand.template) return resource;
  return { ...resource, demand: { ...demand, template: { ...demand.template } } };
}
