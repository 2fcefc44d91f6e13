import type { Cloud } from "../config/environment-settings.ts";

/**
 * Demand of cloud resources (Terraform, CDKTF, Pulumi): what their price and emissions depend on,
 * read from their attributes by the per-provider mappers in app/iac/cloud/.
 */

/** Where a cloud resource runs, and where that was read. */
export type CloudLocation = {
  cloud: Cloud;
  /** Undefined when neither the resource, its provider nor the environment names one. */
  region?: string;
  regionBasis:
    | "resource"
    | "provider"
    | "stack-config"
    /** Pulumi.yaml's `config:` (a Pulumi project's own default). */
    | "project-config"
    /** Pulumi.yaml's `template.config` default. */
    | "template-default"
    /** AWS_REGION or AWS_DEFAULT_REGION of the shell that ran GreenOps (CLI). */
    | "process-env"
    | "environment"
    | "unknown";
};

/** How capacity is bought. Catalogs hold on-demand list prices only; anything else is not priced. */
export type PurchaseOption = "on-demand" | "spot" | "reserved";

/**
 * Where a value of a resource is written among its attributes, as Terraform names them (snake_case;
 * other formats' spellings are matched to it): what a fix to that value edits.
 */
export type AttributePath = (string | number)[];

/** A block volume: an EBS volume, an instance's root or extra device, a launch template's mapping. */
export type Disk = {
  /** The component's name in the report: "root_block_device", "ebs_block_device[0]", "volume". */
  label: string;
  volumeType: string;
  sizeGb: number;
  iops?: number;
  throughputMBps?: number;
  /** What was assumed rather than read ("the default size of 20 GB"). */
  assumed?: string[];
  /** Where its volume type is written. */
  typeAt?: AttributePath;
};

/** EC2 instances, autoscaling groups, EKS node groups, Azure and GCP virtual machines. */
export type InstanceDemand = {
  type: "instance";
  location: CloudLocation;
  /** Unknown until linked to a launch template, or when the attribute is computed at apply time. */
  instanceType?: string;
  os: "linux" | "windows";
  count: number;
  countBasis: "single" | "count" | "desired-capacity" | "min-size" | "default";
  disks: Disk[];
  purchaseOption: PurchaseOption;
  /** A launch template or configuration the instances take their shape from (resolved by link). */
  template?: { refs: string[]; linked?: string };
  tenancy: "default" | "dedicated";
  /** Declared parts no catalog prices (attached GPUs): the instance is then not priced. */
  unpricedParts?: string[];
  /** Where its instance type and its count are written. */
  at?: { instanceType?: AttributePath; count?: AttributePath };
};

/** Launch templates and configurations cost nothing; instances and groups that use them do. */
export type LaunchTemplateDemand = {
  type: "launch-template";
  location: CloudLocation;
  instanceType?: string;
  disks: Disk[];
  /** Names, ids and addresses by which other resources refer to it. */
  refs: string[];
  tenancy: "default" | "dedicated";
};

export type DiskDemand = { type: "disk"; location: CloudLocation; disk: Disk };

/** RDS instances. */
export type DatabaseDemand = {
  type: "database";
  location: CloudLocation;
  engine: string;
  instanceClass?: string;
  multiAz: boolean;
  storage?: Disk;
  purchaseOption: PurchaseOption;
};

/** ElastiCache clusters and replication groups. */
export type CacheDemand = {
  type: "cache";
  location: CloudLocation;
  engine: string;
  nodeType?: string;
  nodes: number;
  purchaseOption: PurchaseOption;
};

/** Services billed by the hour whatever their load: EKS control planes, NAT gateways, public IPs. */
export type HourlyServiceDemand = {
  type: "hourly-service";
  location: CloudLocation;
  service: "eks-cluster" | "eks-cluster-extended-support" | "nat-gateway" | "public-ip";
  /** How many run (a VPC component's NAT gateways, one per availability zone); 1 when not set. */
  count?: number;
  /** Data a NAT gateway processes a month, from a usage file; usage-based and not priced without. */
  dataProcessed?: MonthlyUsage;
};

/** A monthly quantity from a usage file (greenops-usage.yml, infracost-usage.yml). */
export type MonthlyUsage = { quantity: number; file: string };

/** ECS tasks on Fargate: vCPU- and GB-hours of the tasks a service keeps running. */
export type FargateDemand = {
  type: "fargate";
  location: CloudLocation;
  tasks: number;
  tasksBasis: "desired-count" | "default";
  /** Unknown until linked to its task definition, or when the task definition does not say. */
  vcpu?: number;
  memoryGb?: number;
  /** Where the task size was read, or what was assumed. */
  sizeBasis?: string;
  /** The task definition it runs, by reference (resolved by link). */
  taskDefinition?: { refs: string[]; linked?: string };
  at?: { count?: AttributePath };
};

/** An ECS task definition: costs nothing itself; the services (Fargate) that run it do. */
export type TaskDefinitionDemand = {
  type: "task-definition";
  location: CloudLocation;
  vcpu?: number;
  memoryGb?: number;
  sizeBasis?: string;
  /** Names, ARNs and addresses by which services refer to it. */
  refs: string[];
};

/** Lambda functions: priced from a usage file, else usage-based and not priced. */
export type FunctionDemand = {
  type: "function";
  location: CloudLocation;
  memoryMb: number;
  architecture: "x86_64" | "arm64";
  usage?: { monthlyRequests: number; requestDurationMs: number; file: string };
};

export type CloudDemand =
  | InstanceDemand
  | LaunchTemplateDemand
  | DiskDemand
  | DatabaseDemand
  | CacheDemand
  | HourlyServiceDemand
  | FargateDemand
  | TaskDefinitionDemand
  | FunctionDemand;
