import type { CloudLocation, InstanceDemand } from "../../model/cloud.ts";
import type { Demand } from "../../model/resource.ts";
import { Attributes, isRecord } from "../cloud/attributes.ts";
import { taskSize } from "../cloud/aws-containers.ts";
import { mapCloudResource } from "../cloud/index.ts";
import type { Mapped } from "../cloud/types.ts";
import type { UsageFile } from "../cloud/usage.ts";
import { usageOf } from "../cloud/usage.ts";
import { awsxDefault, eksDefault } from "./component-defaults.ts";
import { fargateTaskSize } from "./fargate-size.ts";

/**
 * Multi-language (remote) components of @pulumi/awsx and @pulumi/eks: under mocks they register
 * only themselves, never the resources their provider plugin would create. Each is estimated from
 * its inputs and the defaults its package documents, as the priced parts it would create (a VPC's
 * NAT gateways, a cluster's control plane and default node group), each default cited in the notes.
 */
export type Part = { suffix: string; mapped: Mapped; notes: string[] };

export type PartContext = {
  /** The component's id (`awsx:ec2:Vpc::main`): parts are `<id>/<suffix>`. */
  id: string;
  /** Its inputs as registered. */
  inputs: Record<string, unknown>;
  location: CloudLocation;
  usage?: UsageFile;
  /** Ids of what an input refers to (property dependencies): a service's task definition. */
  refs(property: string): string[];
};

type Component = (inputs: Attributes, context: PartContext) => Part[];

/** A part read by a Terraform type's own mapper, from attributes the component would give it. */
function part(
  suffix: string,
  type: string,
  attributes: Record<string, unknown>,
  context: PartContext,
  notes: string[] = [],
): Part {
  const usage = usageOf(context.usage, `${context.id}/${suffix}`);
  const mapped = mapCloudResource(type, new Attributes(attributes), {
    address: `${context.id}/${suffix}`,
    location: context.location,
    ...(usage ? { usage, usageFile: context.usage?.file } : {}),
  });
  return { suffix, mapped, notes };
}

function fixed(suffix: string, demand: Demand, notes: string[] = []): Part {
  return { suffix, mapped: { demand, notes: [], problems: [] }, notes };
}

/** awsx `ec2.Vpc`: its NAT gateways (the subnets, route tables and gateways it also creates are free). */
const vpc: Component = (inputs, context) => {
  const notes: string[] = [];
  const named = inputs.strings("availability_zone_names").length;
  let zones = named || inputs.number("number_of_availability_zones");
  if (!zones) {
    zones = 3;
    notes.push(`3 availability zones: ${awsxDefault("ec2/vpc.d.ts", "numberOfAvailabilityZones")}`);
  }
  const strategy = inputs.block("nat_gateways")?.string("strategy");
  const types = inputs.blocks("subnet_specs").map((spec) => spec.string("type"));
  let gateways: number;
  if (strategy === "None") gateways = 0;
  else if (strategy === "Single") gateways = 1;
  else if (strategy === "OnePerAz") gateways = zones;
  else {
    const both = types.length === 0 || (types.includes("Public") && types.includes("Private"));
    gateways = both ? zones : 0;
    notes.push(`${gateways} NAT gateway(s): ${awsxDefault("ec2/vpc.d.ts", "natGateways")}`);
  }
  const parts: Part[] = [];
  if (gateways > 0) {
    const nat = part("nat-gateways", "aws_nat_gateway", {}, context, [
      ...notes,
      "the NAT gateways' Elastic IPs are not priced",
    ]);
    if (nat.mapped.demand.type === "hourly-service") nat.mapped.demand.count = gateways;
    parts.push(nat);
  } else
    parts.push(fixed("vpc", { type: "free" }, ["no NAT gateways: the VPC's subnets and routes are free"]));
  const endpoints = inputs.blocks("vpc_endpoint_specs").length;
  if (endpoints > 0) {
    const reason = `${endpoints} VPC endpoint(s): no price in the catalogs, not estimated`;
    parts.push(fixed("endpoints", { type: "unknown", reason }));
  }
  return parts;
};

/** awsx `lb.ApplicationLoadBalancer` / `NetworkLoadBalancer`: the load balancer (listeners and target groups are free). */
const loadBalancer =
  (flavour: "application" | "network"): Component =>
  (_, context) => [part("load-balancer", "aws_lb", { load_balancer_type: flavour }, context)];

/** awsx `ecs.FargateService`: its tasks, sized by its task definition (its own args, or one it names). */
const fargateService: Component = (inputs, context) => {
  const desired = inputs.number("desired_count");
  const service = part(
    "service",
    "aws_ecs_service",
    { launch_type: "FARGATE", desired_count: desired ?? 1 },
    context,
  );
  const demand = service.mapped.demand;
  if (demand.type !== "fargate") return [service];
  demand.at = { count: ["desiredCount"] };
  if (desired === undefined) {
    demand.tasksBasis = "default";
    service.notes.push(`1 task: ${awsxDefault("ecs/fargateService.d.ts", "desiredCount")}`);
  }
  const definition = inputs.block("task_definition_args");
  if (definition) Object.assign(demand, awsxTaskSize(definition));
  else demand.taskDefinition = { refs: context.refs("taskDefinition") };
  return [service];
};

/** awsx `ecs.FargateTaskDefinition`: costs nothing; a service that names it takes its size. */
const fargateTaskDefinition: Component = (inputs, context) => [
  fixed("task-definition", {
    type: "task-definition",
    location: context.location,
    refs: [context.id],
    ...awsxTaskSize(inputs),
  }),
];

/** The task's cpu and memory, else what awsx computes from its containers. */
function awsxTaskSize(definition: Attributes) {
  const declared = taskSize(definition);
  if (declared.vcpu !== undefined) return declared;
  const containers = [
    ...definition.blocks("container"),
    ...Object.values(
      isRecord(definition.raw("containers")) ? (definition.raw("containers") as object) : {},
    ).map((c) => new Attributes(c)),
  ];
  return fargateTaskSize(containers);
}

/** eks `Cluster`: the control plane, and the default node group unless it is skipped. */
const eksCluster: Component = (inputs, context) => {
  const parts = [part("control-plane", "aws_eks_cluster", { version: inputs.string("version") }, context)];
  const fargate = inputs.raw("fargate");
  if (fargate !== undefined && fargate !== false) {
    const reason = "pods run on Fargate: billed by their vCPU and memory at run time, not estimated";
    parts.push(fixed("fargate-profile", { type: "unknown", reason }));
  }
  if (inputs.block("auto_mode")?.boolean("enabled")) {
    const reason = "EKS Auto Mode chooses its nodes at run time: not estimated";
    parts.push(fixed("auto-mode", { type: "unknown", reason }));
  }
  const skipped = inputs.boolean("skip_default_node_group") === true || parts.length > 1;
  if (!skipped) {
    const options = inputs.block("node_group_options");
    parts.push(
      nodeGroup("default-node-group", options ?? inputs, options ? ["nodeGroupOptions"] : [], context),
    );
  }
  return parts;
};

/**
 * A self-managed node group (an autoscaling group of a launch template) from eks' own arguments:
 * `instanceType`, `desiredCapacity`, `nodeRootVolumeSize`, `nodeRootVolumeType` and their defaults.
 */
function nodeGroup(suffix: string, args: Attributes, at: string[], context: PartContext): Part {
  const notes: string[] = [];
  const setting = <T>(value: T | undefined, fallback: T, citation: string): T => {
    if (value !== undefined) return value;
    notes.push(`${String(fallback)}: ${citation}`);
    return fallback;
  };
  const type = setting(args.string("instance_type"), "t3.medium", eksDefault("cluster.d.ts", "instanceType"));
  const desired = setting(args.number("desired_capacity"), 2, eksDefault("cluster.d.ts", "desiredCapacity"));
  const size = setting(
    args.number("node_root_volume_size"),
    20,
    eksDefault("cluster.d.ts", "nodeRootVolumeSize"),
  );
  const volumeType = setting(
    args.string("node_root_volume_type"),
    "gp2",
    eksDefault("nodeGroupV2.d.ts", "nodeRootVolumeType"),
  );
  const attributes = { instance_types: [type], scaling_config: { desired_size: desired }, disk_size: size };
  const group = part(suffix, "aws_eks_node_group", attributes, context, notes);
  const demand = group.mapped.demand as InstanceDemand;
  demand.at = { instanceType: [...at, "instanceType"], count: [...at, "desiredCapacity"] };
  demand.disks = [{ label: "root volume", volumeType, sizeGb: size, typeAt: [...at, "nodeRootVolumeType"] }];
  return group;
}

/** eks `ManagedNodeGroup`: an EKS managed node group, with eks' default scaling of 2 nodes. */
const managedNodeGroup: Component = (inputs, context) => {
  const notes: string[] = [];
  const attributes = { ...context.inputs };
  if (inputs.block("scaling_config")?.number("desired_size") === undefined) {
    notes.push(`2 nodes: ${eksDefault("managedNodeGroup.d.ts", "scalingConfig")}`);
    const scaling = isRecord(attributes.scalingConfig) ? attributes.scalingConfig : {};
    attributes.scalingConfig = { minSize: 1, maxSize: 2, ...scaling, desiredSize: 2 };
  }
  return [part("node-group", "aws_eks_node_group", attributes, context, notes)];
};

const free =
  (suffix: string, note: string): Component =>
  () => [fixed(suffix, { type: "free" }, [note])];

const unknown =
  (suffix: string, reason: string): Component =>
  () => [fixed(suffix, { type: "unknown", reason })];

export const COMPONENTS: Record<string, Component> = {
  "awsx:ec2:Vpc": vpc,
  "awsx:ec2:DefaultVpc": free("vpc", "the account's default VPC: nothing new is created"),
  "awsx:lb:ApplicationLoadBalancer": loadBalancer("application"),
  "awsx:lb:NetworkLoadBalancer": loadBalancer("network"),
  "awsx:lb:TargetGroupAttachment": free("attachment", "a target group attachment costs nothing"),
  "awsx:ecs:FargateService": fargateService,
  "awsx:ecs:FargateTaskDefinition": fargateTaskDefinition,
  "awsx:ecs:EC2Service": free("service", "its tasks run on the cluster's instances, estimated as instances"),
  "awsx:ecs:EC2TaskDefinition": free("task-definition", "a task definition costs nothing"),
  "awsx:ecr:Repository": unknown("repository", "ECR storage is billed by usage: not estimated"),
  "awsx:ecr:Image": free("image", "an image build costs nothing; its storage is the repository's"),
  "awsx:ecr:RegistryImage": free("image", "an image push costs nothing; its storage is the repository's"),
  "awsx:cloudtrail:Trail": unknown("trail", "CloudTrail is billed by events and storage: not estimated"),
  "eks:index:Cluster": eksCluster,
  "eks:index:ManagedNodeGroup": managedNodeGroup,
  "eks:index:NodeGroupV2": (inputs, context) => [nodeGroup("node-group", inputs, [], context)],
  "eks:index:NodeGroup": (inputs, context) => [nodeGroup("node-group", inputs, [], context)],
  "eks:index:Addon": free("addon", "EKS add-ons cost nothing themselves"),
  "eks:index:VpcCniAddon": free("addon", "EKS add-ons cost nothing themselves"),
  "eks:index:NodeGroupSecurityGroup": free("security-group", "security groups cost nothing"),
  "aws-apigateway:index:RestAPI": unknown(
    "api",
    "API Gateway bills requests by usage and the catalogs have no API Gateway prices: not estimated",
  ),
};
