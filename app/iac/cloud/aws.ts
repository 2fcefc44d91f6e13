import type { DatabaseDemand, Disk, MonthlyUsage } from "../../model/cloud.ts";
import type { Attributes } from "./attributes.ts";
import {
  awsAutoscalingGroup,
  awsEksNodeGroup,
  awsInstance,
  awsLaunchConfiguration,
  awsLaunchTemplate,
  awsSpotInstanceRequest,
  readDisk,
} from "./aws-compute.ts";
import { awsEcsService, awsEcsTaskDefinition } from "./aws-containers.ts";
import { type CloudContext, type Mapper, mapped, type Problem, usagePurchaseOption } from "./types.ts";

/** Infracost's default when allocated_storage is not set (the provider requires it for most engines). */
const RDS_DEFAULT_STORAGE_GB = 20;
const LAMBDA_DEFAULT_MEMORY_MB = 128;

const awsEbsVolume: Mapper = (attributes, context) => {
  const disk = readDisk(attributes, "volume", { type: "gp2" }, []);
  const problems: Problem[] = [];
  if (attributes.number("size") === undefined && attributes.string("snapshot_id")) {
    problems.push({
      severity: "notice",
      attribute: "snapshot_id",
      message: "the volume's size comes from its snapshot and is unknown: counted as 0 GB",
    });
  }
  return mapped({ type: "disk", location: context.location, disk }, [], problems);
};

const awsDbInstance: Mapper = (attributes, context) => {
  const notes: string[] = [];
  const engine = attributes.string("engine") ?? "mysql";
  if (!attributes.string("engine")) notes.push("no engine (a replica takes its source's): mysql is assumed");
  const demand: DatabaseDemand = {
    type: "database",
    location: context.location,
    engine,
    multiAz: attributes.boolean("multi_az") ?? false,
    purchaseOption: usagePurchaseOption(context) ?? "on-demand",
  };
  const instanceClass = attributes.string("instance_class");
  if (instanceClass) demand.instanceClass = instanceClass;
  demand.storage = databaseStorage(attributes);
  return mapped(demand, notes);
};

function databaseStorage(attributes: Attributes): Disk {
  const type = attributes.string("storage_type") ?? (attributes.number("iops") ? "io1" : "gp2");
  const sizeGb = attributes.number("allocated_storage");
  const disk: Disk = {
    label: "storage",
    volumeType: type,
    sizeGb: sizeGb ?? RDS_DEFAULT_STORAGE_GB,
    typeAt: ["storage_type"],
  };
  if (sizeGb === undefined) disk.assumed = [`${RDS_DEFAULT_STORAGE_GB} GB`];
  const iops = attributes.number("iops");
  const throughput = attributes.number("storage_throughput");
  if (iops !== undefined) disk.iops = iops;
  if (throughput !== undefined) disk.throughputMBps = throughput;
  return disk;
}

const awsRdsClusterInstance: Mapper = (attributes, context) => {
  const result = awsDbInstance(attributes, context);
  if (result.demand.type === "database") delete result.demand.storage;
  result.notes.push("Aurora storage and I/O are billed on the cluster by usage: not included");
  return result;
};

const awsElasticacheCluster: Mapper = (attributes, context) => {
  if (attributes.string("replication_group_id")) {
    return mapped({ type: "free" }, ["a member of a replication group: its nodes are priced on the group"]);
  }
  const demand = {
    type: "cache" as const,
    location: context.location,
    engine: attributes.string("engine") ?? "redis",
    nodes: attributes.number("num_cache_nodes") ?? 1,
    purchaseOption: usagePurchaseOption(context) ?? "on-demand",
    ...optional("nodeType", attributes.string("node_type")),
  };
  return mapped(demand);
};

const awsElasticacheReplicationGroup: Mapper = (attributes, context) => {
  const groups = attributes.number("num_node_groups");
  const replicas = attributes.number("replicas_per_node_group");
  const clusters = attributes.number("num_cache_clusters") ?? attributes.number("number_cache_clusters");
  const nodes = groups !== undefined ? groups * ((replicas ?? 0) + 1) : (clusters ?? 1);
  const demand = {
    type: "cache" as const,
    location: context.location,
    engine: attributes.string("engine") ?? "redis",
    nodes,
    purchaseOption: usagePurchaseOption(context) ?? "on-demand",
    ...optional("nodeType", attributes.string("node_type")),
  };
  return mapped(
    demand,
    groups === undefined && clusters === undefined ? ["no node count: 1 node is assumed"] : [],
  );
};

/** EKS versions in extended support as of the catalog's date (Infracost's eks_cluster_test). */
const EKS_EXTENDED_SUPPORT = new Set(["1.23", "1.24", "1.25", "1.26", "1.27", "1.28", "1.29"]);

const awsEksCluster: Mapper = (attributes, context) => {
  const version = attributes.string("version");
  const extended = version !== undefined && EKS_EXTENDED_SUPPORT.has(version);
  return mapped(
    {
      type: "hourly-service",
      location: context.location,
      service: extended ? "eks-cluster-extended-support" : "eks-cluster",
    },
    extended ? [`Kubernetes ${version} is in EKS extended support`] : [],
  );
};

const awsNatGateway: Mapper = (_, context) =>
  mapped({
    type: "hourly-service",
    location: context.location,
    service: "nat-gateway",
    ...monthlyUsage(context, "monthly_data_processed_gb", "dataProcessed"),
  });

/**
 * A usage-file quantity as a demand field: `{ [field]: { quantity, file } }`, or nothing when the usage
 * file does not give it.
 */
function monthlyUsage<K extends string>(
  context: CloudContext,
  key: string,
  field: K,
  quantity = context.usage?.number(key),
): { [P in K]?: MonthlyUsage } {
  const file = context.usageFile;
  return optional(field, quantity !== undefined && file ? { quantity, file } : undefined);
}

const awsEip: Mapper = (_, context) =>
  mapped({ type: "hourly-service", location: context.location, service: "public-ip" });

const awsLb: Mapper = (attributes, context) => {
  const type = attributes.string("load_balancer_type") ?? "application";
  if (type === "gateway") {
    return mapped({ type: "unknown", reason: "no price for gateway load balancers in the catalogs" });
  }
  const flavour = type === "network" ? "network" : "application";
  return mapped({
    type: "load-balancer",
    flavour,
    location: context.location,
    ...monthlyUsage(context, "lcu_hours", "capacityUnits", capacityUnitHours(context, flavour)),
  });
};

/**
 * LCU-hours a month from a usage file: `lcu_hours`, or Infracost's keys combined as its lb.go does
 * (the largest of new connections ÷ 100, active connections ÷ 3,000, processed GB, and for ALBs rule
 * evaluations ÷ 1,000).
 */
function capacityUnitHours(context: CloudContext, flavour: "application" | "network"): number | undefined {
  const usage = context.usage;
  const hours = usage?.number("lcu_hours");
  if (hours !== undefined) return hours;
  const dimensions = [
    [usage?.number("new_connections"), 100],
    [usage?.number("active_connections"), 3000],
    [usage?.number("processed_bytes_gb"), 1],
    ...(flavour === "application" ? [[usage?.number("rule_evaluations"), 1000] as const] : []),
  ].flatMap(([value, per]) => (value === undefined ? [] : [(value as number) / (per as number)]));
  return dimensions.length > 0 ? Math.max(...dimensions) : undefined;
}

const awsElb: Mapper = (_, context) =>
  mapped({ type: "load-balancer", flavour: "classic", location: context.location });

const awsLambdaFunction: Mapper = (attributes, context) => {
  const memoryMb = attributes.number("memory_size") ?? LAMBDA_DEFAULT_MEMORY_MB;
  const requests = context.usage?.number("monthly_requests");
  const duration = context.usage?.number("request_duration_ms");
  const demand = {
    type: "function" as const,
    location: context.location,
    memoryMb,
    architecture: attributes.strings("architectures").includes("arm64")
      ? ("arm64" as const)
      : ("x86_64" as const),
    ...(requests !== undefined && duration !== undefined
      ? { usage: { monthlyRequests: requests, requestDurationMs: duration, file: context.usageFile ?? "" } }
      : {}),
  };
  return mapped(demand);
};

/** Resources billed only by what they store or serve: not estimated, and said why. */
const usageBased =
  (reason: string): Mapper =>
  () =>
    mapped({ type: "unknown", reason: `${reason} are billed by usage: not estimated` });

export function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}

/** AWS resource types with a cost model. */
export const AWS_MAPPERS: Record<string, Mapper> = {
  aws_instance: awsInstance,
  aws_spot_instance_request: awsSpotInstanceRequest,
  aws_launch_template: awsLaunchTemplate,
  aws_launch_configuration: awsLaunchConfiguration,
  aws_autoscaling_group: awsAutoscalingGroup,
  aws_eks_node_group: awsEksNodeGroup,
  aws_eks_cluster: awsEksCluster,
  aws_ebs_volume: awsEbsVolume,
  aws_db_instance: awsDbInstance,
  aws_rds_cluster_instance: awsRdsClusterInstance,
  aws_elasticache_cluster: awsElasticacheCluster,
  aws_elasticache_replication_group: awsElasticacheReplicationGroup,
  aws_nat_gateway: awsNatGateway,
  aws_eip: awsEip,
  aws_lb: awsLb,
  aws_alb: awsLb,
  aws_elb: awsElb,
  aws_lambda_function: awsLambdaFunction,
  aws_ecs_service: awsEcsService,
  aws_s3_bucket: usageBased("S3 storage and requests"),
  aws_s3_bucket_v2: usageBased("S3 storage and requests"),
  aws_s3_object: usageBased("S3 storage and requests"),
  aws_s3_bucket_object: usageBased("S3 storage and requests"),
  aws_rds_cluster: usageBased("Aurora storage and I/O (its instances are priced on their own)"),
  aws_ecs_task_definition: awsEcsTaskDefinition,
};
