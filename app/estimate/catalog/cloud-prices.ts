import { priced } from "./catalog-store.ts";
import type { Price } from "./price-table.ts";
import { lazy, loadTable } from "./table.ts";

/** Prices of managed cloud services (RDS, EKS, ElastiCache, Lambda): one lookup per catalog. */

/** USD per instance-hour of an RDS class and engine, Single-AZ or Multi-AZ. */
export function rdsInstancePrice(
  region: string,
  engine: string,
  instanceClass: string,
  deployment: "single-az" | "multi-az",
): Price | undefined {
  return priced("aws-rds-prices", region, [engine, instanceClass, deployment, "instance"]);
}

/** USD per unit of an RDS storage component (storage-gp2, storage-io1-iops, …), any engine. */
export function rdsStoragePrice(
  region: string,
  component: string,
  deployment: "single-az" | "multi-az",
): Price | undefined {
  return priced("aws-rds-prices", region, ["any", "", deployment, component]);
}

export function eksPrice(region: string, item: "cluster" | "cluster-extended-support"): Price | undefined {
  return priced("aws-eks-prices", region, [item]);
}

export function elasticachePrice(region: string, nodeType: string, engine: string): Price | undefined {
  return priced("aws-elasticache-prices", region, [nodeType, engine]);
}

/**
 * Lambda's tiered prices, bundled only: a tier is a range of GB-seconds, not one price per key,
 * so Lambda keeps its own table (the refresh reads no Lambda offer file).
 */
export type LambdaPrice = { item: string; from: number; to?: number; usdPerUnit: number };

type LambdaRow = {
  region: string;
  architecture: string;
  item: string;
  tier_from_gb_seconds: number;
  tier_to_gb_seconds?: number;
  usd_per_unit: number;
};

const lambda = lazy(() => {
  const byRegion = new Map<string, LambdaRow[]>();
  for (const row of loadTable<LambdaRow>("aws-lambda-prices.csv")) {
    const key = `${row.region}/${row.architecture}`;
    byRegion.set(key, [...(byRegion.get(key) ?? []), row]);
  }
  return byRegion;
});

/** Request and duration tiers of Lambda in a region for one architecture, in tier order. */
export function lambdaPrices(region: string, architecture: string): LambdaPrice[] {
  return (lambda().get(`${region}/${architecture}`) ?? []).map((r) => ({
    item: r.item,
    from: r.tier_from_gb_seconds,
    usdPerUnit: r.usd_per_unit,
    ...(r.tier_to_gb_seconds === undefined ? {} : { to: r.tier_to_gb_seconds }),
  }));
}

/** USD per vCPU-hour or per GB-hour of memory of Fargate tasks (Linux/x86, on demand). */
export function fargatePrice(region: string, item: "vcpu" | "memory"): Price | undefined {
  return priced("aws-fargate-prices", region, [item]);
}

/** USD per GB a NAT gateway processes, or per LCU-hour of a load balancer. */
export function networkUsagePrice(
  region: string,
  item: "nat-gateway-data-processed" | "application-load-balancer-lcu" | "network-load-balancer-lcu",
): Price | undefined {
  return priced("aws-network-usage-prices", region, [item]);
}
