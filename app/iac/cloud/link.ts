import type { LaunchTemplateDemand, TaskDefinitionDemand } from "../../model/cloud.ts";
import type { Resource } from "../../model/resource.ts";
import type { Diagnostic } from "../../model/span.ts";

type Shape<D> = Resource & { demand: D };

/**
 * Gives instances, autoscaling groups and node groups the shape of the launch template or
 * configuration they name (its instance type unless they set one, its block devices), and ECS
 * services on Fargate the task size of their task definition. Templates are matched by address,
 * name or id, among resources of the same side of a plan. The resources as parsed are left as they
 * are: linked copies are returned, in the same order.
 */
export function linkCloudResources(parsed: Resource[]): { resources: Resource[]; diagnostics: Diagnostic[] } {
  const resources = parsed.map(copyForLink);
  const templates = byRef<LaunchTemplateDemand>(resources, "launch-template");
  const taskDefinitions = byRef<TaskDefinitionDemand>(resources, "task-definition");
  const diagnostics: Diagnostic[] = [];
  const unlinked = (resource: Resource, what: string, refs: string[]) =>
    diagnostics.push({
      file: resource.source.span.file,
      line: resource.source.span.startLine,
      severity: "warning",
      message: `${resource.id}: its ${what} (${refs.join(", ")}) is not among the resources read; ${what === "launch template" ? "the instance type" : "the task size"} is unknown`,
    });
  for (const resource of resources) {
    const demand = resource.demand;
    const side = resource.planned?.side ?? "";
    if (demand.type === "instance" && demand.template) {
      const template = find(templates, side, demand.template.refs);
      if (!template) {
        if (demand.instanceType === undefined) unlinked(resource, "launch template", demand.template.refs);
        continue;
      }
      demand.template.linked = template.id;
      demand.instanceType ??= template.demand.instanceType;
      // The template's disks are written in the template: the instance has no attribute to edit for them.
      if (demand.disks.length === 0)
        demand.disks = template.demand.disks.map(({ typeAt: _written, ...disk }) => ({ ...disk }));
      if (template.demand.tenancy === "dedicated") demand.tenancy = "dedicated";
    }
    if (demand.type === "fargate" && demand.taskDefinition && demand.vcpu === undefined) {
      const definition = find(taskDefinitions, side, demand.taskDefinition.refs);
      if (!definition) {
        unlinked(resource, "task definition", demand.taskDefinition.refs);
        continue;
      }
      demand.taskDefinition.linked = definition.id;
      const { vcpu, memoryGb, sizeBasis } = definition.demand;
      if (vcpu !== undefined && memoryGb !== undefined) {
        Object.assign(demand, { vcpu, memoryGb, sizeBasis: `${sizeBasis} ${definition.id}` });
      }
    }
  }
  return { resources, diagnostics };
}

/** Resources of a demand type by every ref (address, name, id) they are known by, per side of a plan. */
function byRef<D extends { refs: string[] }>(resources: Resource[], type: string): Map<string, Shape<D>> {
  const found = new Map<string, Shape<D>>();
  for (const resource of resources) {
    if (resource.demand.type !== type) continue;
    const side = resource.planned?.side ?? "";
    for (const ref of [resource.id, ...(resource.demand as unknown as D).refs]) {
      found.set(`${side}\0${ref}`, resource as Shape<D>);
    }
  }
  return found;
}

function find<D>(shapes: Map<string, Shape<D>>, side: string, refs: string[]): Shape<D> | undefined {
  return refs.map((ref) => shapes.get(`${side}\0${ref}`)).find(Boolean);
}

/** A copy of what linking changes (an instance's or a service's demand and its reference); the rest is shared. */
function copyForLink(resource: Resource): Resource {
  const demand = resource.demand;
  if (demand.type === "instance" && demand.template) {
    return { ...resource, demand: { ...demand, template: { ...demand.template } } };
  }
  if (demand.type === "fargate" && demand.taskDefinition) {
    return { ...resource, demand: { ...demand, taskDefinition: { ...demand.taskDefinition } } };
  }
  return resource;
}
