import type {
  AttributePath,
  Disk,
  InstanceDemand,
  LaunchTemplateDemand,
  PurchaseOption,
} from "../../model/cloud.ts";
import { counted } from "../../model/words.ts";
import { Attributes } from "./attributes.ts";
import { type CloudContext, type Mapper, mapped, type Problem, usagePurchaseOption } from "./types.ts";

/** Infracost's defaults where the AMI decides (root volume) and AWS's documented ones elsewhere. */
const ROOT_DEFAULT = { type: "gp2", sizeGb: 8 };
const EKS_NODE_DISK_GB = 20;
const EKS_NODE_TYPE = "t3.medium";

/**
 * A volume block of an instance, launch configuration or template, with what was assumed; `at` is
 * where the block is among the resource's attributes (its volume type is written beneath).
 */
export function readDisk(
  block: Attributes,
  label: string,
  defaults: { type: string; sizeGb?: number },
  at?: AttributePath,
): Disk {
  const assumed: string[] = [];
  const typeKey =
    block.string("volume_type") === undefined && block.string("type") !== undefined ? "type" : "volume_type";
  let volumeType = block.string("volume_type") ?? block.string("type");
  if (volumeType === undefined) {
    volumeType = defaults.type;
    assumed.push(`volume type ${defaults.type}`);
  }
  let sizeGb = block.number("volume_size") ?? block.number("size");
  if (sizeGb === undefined) {
    sizeGb = defaults.sizeGb ?? 0;
    assumed.push(defaults.sizeGb === undefined ? "size unknown, counted as 0 GB" : `${sizeGb} GB`);
  }
  const disk: Disk = { label, volumeType, sizeGb };
  const iops = block.number("iops");
  const throughput = block.number("throughput");
  if (iops !== undefined) disk.iops = iops;
  if (throughput !== undefined) disk.throughputMBps = throughput;
  if (assumed.length > 0) disk.assumed = assumed;
  if (at) disk.typeAt = [...at, typeKey];
  return disk;
}

/** root_block_device and ebs_block_device blocks (aws_instance, aws_launch_configuration). */
function instanceDisks(attributes: Attributes): Disk[] {
  const disks = attributes
    .blocks("root_block_device")
    .map((b) => readDisk(b, "root_block_device", ROOT_DEFAULT, ["root_block_device"]));
  if (disks.length === 0) disks.push(readDisk(new Attributes({}), "root_block_device", ROOT_DEFAULT));
  attributes.blocks("ebs_block_device").forEach((block, i) => {
    disks.push(readDisk(block, `ebs_block_device[${i}]`, { type: "gp2" }, ["ebs_block_device", i]));
  });
  return disks;
}

/** A launch template's block_device_mappings, each with its `ebs` block. */
function templateDisks(attributes: Attributes): Disk[] {
  return attributes.blocks("block_device_mappings").flatMap((mapping, i) => {
    const ebs = mapping.block("ebs");
    return ebs
      ? [readDisk(ebs, `block_device_mapping[${i}]`, ROOT_DEFAULT, ["block_device_mappings", i, "ebs"])]
      : [];
  });
}

function os(context: CloudContext, windows = false): "linux" | "windows" {
  return windows || /windows/i.test(context.usage?.string("operating_system") ?? "") ? "windows" : "linux";
}

function instance(
  context: CloudContext,
  fields: Omit<InstanceDemand, "type" | "location" | "os" | "purchaseOption" | "tenancy"> & {
    purchaseOption?: PurchaseOption;
    tenancy?: string;
    windows?: boolean;
  },
): InstanceDemand {
  const { purchaseOption, tenancy, windows, ...rest } = fields;
  return {
    type: "instance",
    location: context.location,
    os: os(context, windows),
    purchaseOption: usagePurchaseOption(context) ?? purchaseOption ?? "on-demand",
    tenancy: tenancy === "dedicated" || tenancy === "host" ? "dedicated" : "default",
    ...rest,
  };
}

/** Usage-file `instances` overrides a group's count, as Infracost's usage file does. */
function groupCount(
  context: CloudContext,
  desired: number | undefined,
  min: number | undefined,
): Pick<InstanceDemand, "count" | "countBasis"> {
  const usage = context.usage?.number("instances");
  if (usage !== undefined) return { count: usage, countBasis: "count" };
  if (desired !== undefined) return { count: desired, countBasis: "desired-capacity" };
  return { count: min ?? 0, countBasis: min === undefined ? "default" : "min-size" };
}

function templateRefs(block: Attributes | undefined): string[] {
  if (!block) return [];
  return ["id", "name", "launch_template_id", "launch_template_name"].flatMap((key) => {
    const value = block.string(key);
    return value ? [value] : [];
  });
}

export const awsInstance: Mapper = (attributes, context) => {
  const market = attributes.block("instance_market_options")?.string("market_type");
  const refs = templateRefs(attributes.block("launch_template"));
  const demand = instance(context, {
    count: attributes.number("count") ?? 1,
    countBasis: attributes.number("count") === undefined ? "single" : "count",
    disks: instanceDisks(attributes),
    purchaseOption: market === "spot" ? "spot" : "on-demand",
    tenancy: attributes.string("tenancy"),
  });
  const type = attributes.string("instance_type");
  if (type) demand.instanceType = type;
  if (refs.length > 0) demand.template = { refs };
  demand.at = { instanceType: ["instance_type"] };
  return mapped(demand, [], unknownType(attributes, demand.instanceType, refs.length > 0));
};

export const awsSpotInstanceRequest: Mapper = (attributes, context) => {
  const result = awsInstance(attributes, context);
  if (result.demand.type === "instance") result.demand.purchaseOption = "spot";
  return result;
};

export const awsLaunchTemplate: Mapper = (attributes, context) => {
  const demand: LaunchTemplateDemand = {
    type: "launch-template",
    location: context.location,
    disks: templateDisks(attributes),
    refs: [attributes.string("id"), attributes.string("name"), attributes.string("name_prefix")].filter(
      (v): v is string => Boolean(v),
    ),
    tenancy: attributes.block("placement")?.string("tenancy") === "dedicated" ? "dedicated" : "default",
  };
  const type = attributes.string("instance_type");
  if (type) demand.instanceType = type;
  return mapped(demand);
};

export const awsLaunchConfiguration: Mapper = (attributes, context) => {
  const demand: LaunchTemplateDemand = {
    type: "launch-template",
    location: context.location,
    disks: instanceDisks(attributes),
    refs: [attributes.string("id"), attributes.string("name"), attributes.string("name_prefix")].filter(
      (v): v is string => Boolean(v),
    ),
    tenancy: attributes.string("placement_tenancy") === "dedicated" ? "dedicated" : "default",
  };
  const type = attributes.string("instance_type");
  if (type) demand.instanceType = type;
  return mapped(demand);
};

export const awsAutoscalingGroup: Mapper = (attributes, context) => {
  const mixed = attributes.block("mixed_instances_policy");
  const mixedTemplate = mixed?.block("launch_template");
  const refs = [
    ...templateRefs(attributes.block("launch_template")),
    ...attributes.strings("launch_configuration"),
    ...templateRefs(mixedTemplate?.block("launch_template_specification")),
  ];
  const problems: Problem[] = [];
  const count = groupCount(context, attributes.number("desired_capacity"), attributes.number("min_size"));
  const distribution = mixed?.block("instances_distribution");
  const onDemandPercent = distribution?.number("on_demand_percentage_above_base_capacity") ?? 100;
  const base = distribution?.number("on_demand_base_capacity") ?? 0;
  const spot = onDemandPercent < 100 && count.count > base;
  if (spot) {
    problems.push({
      severity: "notice",
      attribute: "mixed_instances_policy",
      message: `the group runs part of its ${counted(count.count, "instance")} on spot capacity; the catalogs hold on-demand prices only, so it is not priced`,
    });
  }
  const demand = instance(context, { ...count, disks: [], purchaseOption: spot ? "spot" : "on-demand" });
  demand.at = { count: ["desired_capacity"] };
  const notes = count.countBasis === "min-size" ? ["no desired_capacity: min_size is used"] : [];
  const override = mixedTemplate?.blocks("override")[0];
  const overrideType = override?.string("instance_type");
  if (overrideType) demand.instanceType = overrideType;
  const weight = override?.number("weighted_capacity");
  if (weight && weight > 1 && context.usage?.number("instances") === undefined) {
    demand.count = Math.ceil(demand.count / weight);
    notes.push(
      `${overrideType} counts for ${weight} units of capacity: ${counted(demand.count, "instance")}`,
    );
  }
  const named =
    attributes.block("launch_template") ?? attributes.raw("launch_configuration") ?? mixedTemplate;
  if (refs.length > 0) demand.template = { refs };
  else if (!overrideType && !named) {
    problems.push({
      severity: "warning",
      message: "the group names no launch template or configuration: its instance type is unknown",
    });
  }
  return mapped(demand, notes, problems);
};

export const awsEksNodeGroup: Mapper = (attributes, context) => {
  const scaling = attributes.block("scaling_config");
  const refs = templateRefs(attributes.block("launch_template"));
  const count = groupCount(context, scaling?.number("desired_size"), scaling?.number("min_size"));
  const amiType = attributes.string("ami_type") ?? "";
  const demand = instance(context, {
    ...count,
    disks: [],
    purchaseOption: attributes.string("capacity_type") === "SPOT" ? "spot" : "on-demand",
    windows: amiType.startsWith("WINDOWS"),
  });
  const notes: string[] = [];
  const type = attributes.strings("instance_types")[0];
  if (type) demand.instanceType = type;
  demand.at = { instanceType: ["instance_types", 0], count: ["scaling_config", "desired_size"] };
  if (refs.length > 0) demand.template = { refs };
  else {
    demand.instanceType ??= EKS_NODE_TYPE;
    if (!type) notes.push(`no instance_types: EKS's default ${EKS_NODE_TYPE} is assumed`);
    const sizeGb = attributes.number("disk_size") ?? EKS_NODE_DISK_GB;
    demand.disks.push({
      label: "disk",
      volumeType: "gp2",
      sizeGb,
      ...(attributes.number("disk_size") === undefined ? { assumed: [`EKS's default ${sizeGb} GB`] } : {}),
    });
  }
  return mapped(demand, notes);
};

function unknownType(attributes: Attributes, type: string | undefined, templated: boolean): Problem[] {
  if (type || templated) return [];
  const computed = attributes.unknown("instance_type");
  return [
    {
      severity: "warning",
      attribute: "instance_type",
      message: computed
        ? "instance_type is known only after apply: the instance is not priced"
        : "no instance_type: the instance is not priced",
    },
  ];
}
