import { lazy, loadTable } from "./table.ts";

/** Prices of managed cloud services (RDS, EKS, ElastiCache, Lambda): one lookup per catalog. */

type RdsRow = {
  region: string;
  engine: string;
  instance_class_or_item?: string;
  deployment: string;
  component: string;
  usd_per_unit: number;
};

const rds = lazy(() => loadTable<RdsRow>("aws-rds-prices.csv"));

/** USD per instance-hour of an RDS class and engine, Single-AZ or Multi-AZ. */
export function rdsInstancePrice(
  region: string,
  engine: string,
  instanceClass: string,
  deployment: "single-az" | "multi-az",
): number | undefined {
  return rds().find(
    (r) =>
      r.region === region &&
      r.engine === engine &&
      r.instance_class_or_item === instanceClass &&
      r.deployment === deployment &&
      r.component === "instance",
  )?.usd_per_unit;
}

/** USD per unit of an RDS storage component (storage-gp2, storage-io1-iops, …), any engine. */
export function rdsStoragePrice(
  region: string,
  component: string,
  deployment: "single-az" | "multi-az",
): number | undefined {
  return rds().find(
    (r) =>
      r.region === region && r.engine === "any" && r.deployment === deployment && r.component === component,
  )?.usd_per_unit;
}

/** A priced item of a region (per hour, GB, LCU-hour, …). */
type PricedItem = { region: string; item: string; usd_per_unit: number };

const eks = lazy(() => loadTable<PricedItem>("aws-eks-prices.csv"));

export function eksPrice(region: string, item: "cluster" | "cluster-extended-support"): number | undefined {
  return eks().find((r) => r.region === region && r.item === item)?.usd_per_unit;
}

type CacheRow = { region: string; node_type: string; engine: string; usd_per_unit: number };

const elasticache = lazy(() => loadTable<CacheRow>("aws-elasticache-prices.csv"));

export function elasticachePrice(region: string, nodeType: string, engine: string): number | undefined {
  return elasticache().find((r) => r.region === region && r.node_type === nodeType && r.engine === engine)
    ?.usd_per_unit;
}

export type LambdaPrice = { item: string; from: number; to?: number; usdPerUnit: number };

type LambdaRow = {
  region: string;
  architecture: string;
  item: string;
  tier_from_gb_seconds: number;
  tier_to_gb_seconds?: number;
  usd_per_unit: number;
};

const lambda = lazy(() => loadTable<LambdaRow>("aws-lambda-prices.csv"));

/** Request and duration tiers of Lambda in a region for one architecture, in tier order. */
export function lambdaPrices(region: string, architecture: string): LambdaPrice[] {
  return lambda()
    .filter((r) => r.region === region && r.architecture === architecture)
    .map((r) => ({
      item: r.item,
      from: r.tier_from_gb_seconds,
      usdPerUnit: r.usd_per_unit,
      ...(r.tier_to_gb_seconds === undefined ? {} : { to: r.tier_to_gb_seconds }),
    }));
}

const fargate = lazy(() => loadTable<PricedItem>("aws-fargate-prices.csv"));

/** USD per vCPU-hour or per GB-hour of memory of Fargate tasks (Linux/x86, on demand). */
export function fargatePrice(region: string, item: "vcpu" | "memory"): number | undefined {
  return fargate().find((r) => r.region === region && r.item === item)?.usd_per_unit;
}

const networkUsage = lazy(() => loadTable<PricedItem>("aws-network-usage-prices.csv"));

/** USD per GB a NAT gateway processes, or per LCU-hour of a load balancer. */
export function networkUsagePrice(
  region: string,
  item: "nat-gateway-data-processed" | "application-load-balancer-lcu" | "network-load-balancer-lcu",
): number | undefined {
  return networkUsage().find((r) => r.region === region && r.item === item)?.usd_per_unit;
}
