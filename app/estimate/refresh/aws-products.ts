import type { TableId } from "../catalog/tables.ts";
import type { OfferProduct } from "./offer-file.ts";

/**
 * Which row of which price table an AWS offer-file product is, if any. Attribute names and values
 * are those of the JSON offer files (the filters Infracost's pricing API and Karpenter's price
 * generator use): EC2 instances are Linux, Shared tenancy, no pre-installed software, capacity
 * status Used and no licence (so Windows, RHEL, SUSE, dedicated hosts, capacity reservations and
 * BYOL SKUs of the same instance type are left out); RDS instances are the open-source engines
 * without licence, Single-AZ or Multi-AZ; storage, IOPS, NAT gateways, load balancers, EKS clusters
 * and ElastiCache nodes by their product family and usage type.
 */
export type ProductRow = { table: TableId; keys: string[]; attributes?: Record<string, string | number> };

/** The offer files a refresh reads, by the name `--services` takes. */
export const AWS_SERVICES = {
  ec2: "AmazonEC2",
  rds: "AmazonRDS",
  elb: "AWSELB",
  eks: "AmazonEKS",
  elasticache: "AmazonElastiCache",
} as const;

export type AwsService = keyof typeof AWS_SERVICES;

/** The tables each offer file prices rows of. */
export const SERVICE_TABLES: Record<AwsService, TableId[]> = {
  ec2: ["aws-ec2-prices", "aws-ebs-prices", "aws-load-balancer-prices"],
  rds: ["aws-rds-prices"],
  elb: ["aws-load-balancer-prices"],
  eks: ["aws-eks-prices"],
  elasticache: ["aws-elasticache-prices"],
};

const RDS_ENGINES: Record<string, string> = {
  MySQL: "mysql",
  PostgreSQL: "postgres",
  MariaDB: "mariadb",
  "Aurora MySQL": "aurora-mysql",
  "Aurora PostgreSQL": "aurora-postgresql",
};
const RDS_STORAGE: Record<string, string> = {
  "General Purpose": "storage-gp2",
  "General Purpose-GP3": "storage-gp3",
  "Provisioned IOPS": "storage-io1",
  Magnetic: "storage-magnetic",
};
const RDS_IOPS: Record<string, string> = {
  "RDS Provisioned IOPS": "storage-io1-iops",
  "RDS Provisioned GP3 IOPS": "storage-gp3-iops-above-baseline",
};
const DEPLOYMENTS: Record<string, string> = { "Single-AZ": "single-az", "Multi-AZ": "multi-az" };
const LOAD_BALANCERS: Record<string, string> = {
  "Load Balancer": "classic-load-balancer",
  "Load Balancer-Application": "application-load-balancer",
  "Load Balancer-Network": "network-load-balancer",
};
/** EBS usage types (after the region prefix, "EUW1-" and so on) and the component each prices. */
const EBS_USAGE: [RegExp, string, string][] = [
  [/(^|-)EBS:VolumeP-IOPS\.piops$/, "io1", "iops"],
  [/(^|-)EBS:VolumeP-IOPS\.io2$/, "io2", "iops_first_tier"],
  [/(^|-)EBS:VolumeP-IOPS\.gp3$/, "gp3", "iops_above_3000"],
  [/(^|-)EBS:VolumeP-Throughput\.gp3$/, "gp3", "throughput_above_125"],
  [/(^|-)EBS:SnapshotUsage$/, "snapshot", "storage"],
];

export function productRow(service: AwsService, product: OfferProduct): ProductRow | undefined {
  const a = product.attributes;
  if (a.locationType !== undefined && a.locationType !== "AWS Region") return undefined;
  const family = product.productFamily ?? "";
  const usage = a.usagetype ?? "";
  switch (service) {
    case "ec2":
      return ec2Row(family, usage, a);
    case "rds":
      return rdsRow(family, usage, a);
    case "elb": {
      const item = LOAD_BALANCERS[family];
      return item && /LoadBalancerUsage$/.test(usage)
        ? { table: "aws-load-balancer-prices", keys: [item] }
        : undefined;
    }
    case "eks":
      if (/AmazonEKS-Hours:perCluster$/.test(usage)) return { table: "aws-eks-prices", keys: ["cluster"] };
      if (/AmazonEKS-Hours:extendedSupport$/.test(usage))
        return { table: "aws-eks-prices", keys: ["cluster-extended-support"] };
      return undefined;
    case "elasticache":
      if (family !== "Cache Instance" || !a.instanceType?.startsWith("cache.") || !a.cacheEngine)
        return undefined;
      return { table: "aws-elasticache-prices", keys: [a.instanceType, a.cacheEngine.toLowerCase()] };
  }
}

function ec2Row(family: string, usage: string, a: Record<string, string>): ProductRow | undefined {
  if (family === "Compute Instance" || family === "Compute Instance (bare metal)") {
    const linux =
      a.operatingSystem === "Linux" &&
      a.tenancy === "Shared" &&
      a.preInstalledSw === "NA" &&
      a.capacitystatus === "Used" &&
      a.licenseModel === "No License required" &&
      (a.marketoption ?? "OnDemand") === "OnDemand";
    if (!linux || !a.instanceType) return undefined;
    const processor = `${a.physicalProcessor ?? ""} ${a.processorArchitecture ?? ""}`;
    return {
      table: "aws-ec2-prices",
      keys: [a.instanceType],
      attributes: {
        vcpu: Number(a.vcpu),
        memory_gib: Number.parseFloat((a.memory ?? "").replaceAll(",", "")),
        arch: /graviton|arm/i.test(processor) ? "arm64" : "x86_64",
        gpu_count: Number(a.gpu ?? 0) || 0,
      },
    };
  }
  if (family === "Storage" && a.volumeApiName)
    return { table: "aws-ebs-prices", keys: [a.volumeApiName, "storage"] };
  for (const [pattern, volume, component] of EBS_USAGE)
    if (pattern.test(usage)) return { table: "aws-ebs-prices", keys: [volume, component] };
  if (family === "NAT Gateway" && /NatGateway-Hours$/.test(usage))
    return { table: "aws-load-balancer-prices", keys: ["nat-gateway"] };
  if (family === "IP Address" && /(ElasticIP|PublicIPv4):IdleAddress$/.test(usage))
    return { table: "aws-load-balancer-prices", keys: ["elastic-ip-unused"] };
  return undefined;
}

function rdsRow(family: string, usage: string, a: Record<string, string>): ProductRow | undefined {
  const deployment = DEPLOYMENTS[a.deploymentOption ?? ""];
  if (!deployment) return undefined;
  if (family === "Database Instance") {
    const engine = RDS_ENGINES[a.databaseEngine ?? ""];
    const licensed = (a.licenseModel ?? "No license required") !== "No license required";
    if (!engine || licensed || !a.instanceType || /IOOptimized/.test(usage)) return undefined;
    return { table: "aws-rds-prices", keys: [engine, a.instanceType, deployment, "instance"] };
  }
  if (a.databaseEngine !== "Any") return undefined;
  const storage = family === "Database Storage" ? RDS_STORAGE[a.volumeType ?? ""] : undefined;
  if (storage) return { table: "aws-rds-prices", keys: ["any", "", deployment, storage] };
  const iops = family === "Provisioned IOPS" ? RDS_IOPS[a.groupDescription ?? ""] : undefined;
  return iops ? { table: "aws-rds-prices", keys: ["any", "", deployment, iops] } : undefined;
}
