import type { Cloud } from "../../config/environment-settings.ts";
import { ccfInstance } from "./carbon-data.ts";
import { lazy, loadJson, loadTable } from "./table.ts";

/** A priced node instance type. */
export type NodeOffer = {
  type: string;
  vcpus: number;
  memoryGiB: number;
  gpus: number;
  usdPerHour: number;
  source: string;
};

export type NodeLookup = { offer: NodeOffer } | { missing: "type" | "region" | "shape"; source?: string };

type Ec2Row = {
  instance_type: string;
  vcpu: number;
  memory_gib: number;
  arch: string;
  gpu_count: number;
} & Record<string, string | number>;

const ec2 = lazy(() => byKey(loadTable<Ec2Row>("aws-ec2-prices.csv"), (row) => row.instance_type));

const azure = lazy(() =>
  byKey(
    loadTable<{ sku: string } & Record<string, string | number>>("azure-vm-prices.csv"),
    (row) => row.sku,
  ),
);

const REGION_COLUMN = "on_demand_linux_usd_per_hour_";

/** The on-demand price of a node type in a region, from the cloud's price table. */
export function nodeOffer(cloud: Cloud, region: string, type: string): NodeLookup {
  if (cloud === "aws") {
    const row = ec2().get(type);
    if (!row) return { missing: "type", source: "aws-ec2-prices" };
    const price = row[`${REGION_COLUMN}${region}`];
    if (typeof price !== "number") return { missing: "region", source: "aws-ec2-prices" };
    return {
      offer: {
        type,
        vcpus: row.vcpu,
        memoryGiB: row.memory_gib,
        gpus: row.gpu_count,
        usdPerHour: price,
        source: "aws-ec2-prices",
      },
    };
  }
  if (cloud === "azure") {
    const row = azure().get(type);
    if (!row) return { missing: "type", source: "azure-vm-prices" };
    const price = row[`${REGION_COLUMN}${region}`];
    if (typeof price !== "number") return { missing: "region", source: "azure-vm-prices" };
    const shape = ccfInstance("azure", type);
    if (!shape) return { missing: "shape", source: "azure-vm-prices" };
    return {
      offer: {
        type,
        vcpus: shape.vcpus,
        memoryGiB: shape.memory_gib,
        gpus: shape.gpu_count ?? 0,
        usdPerHour: price,
        source: "azure-vm-prices",
      },
    };
  }
  return { missing: "type" };
}

type EbsRow = { region: string; volume_type: string; component: string; unit: string; usd_per_unit: number };

const ebs = lazy(() => loadTable<EbsRow>("aws-ebs-prices.csv"));

/** USD per GB-month of an EBS volume type's storage in a region. */
export function volumePrice(region: string, volumeType: string): number | undefined {
  return ebs().find(
    (row) => row.region === region && row.volume_type === volumeType && row.component === "storage",
  )?.usd_per_unit;
}

type LoadBalancerRow = { region: string; item: string; unit: string; usd_per_unit: number };

const loadBalancers = lazy(() => loadTable<LoadBalancerRow>("aws-load-balancer-prices.csv"));

/** USD per hour of an AWS load balancer (classic-load-balancer, network-load-balancer, …). */
export function loadBalancerPrice(region: string, item: string): number | undefined {
  return loadBalancers().find((row) => row.region === region && row.item === item)?.usd_per_unit;
}

export type OpenCostDefaults = { cpu: number; ram: number; gpu: number; storage: number };

/** OpenCost's default prices: USD per vCPU-hour, GiB-hour of RAM, GPU-hour and GiB-hour of storage. */
export const openCostDefaults = lazy((): OpenCostDefaults => {
  const raw = loadJson<{ CPU: number; RAM: number; GPU: number; storage: number }>(
    "opencost-default-prices.json",
  );
  return { cpu: raw.CPU, ram: raw.RAM, gpu: raw.GPU, storage: raw.storage };
});

function byKey<T>(rows: T[], key: (row: T) => string): Map<string, T> {
  return new Map(rows.map((row) => [key(row), row]));
}
