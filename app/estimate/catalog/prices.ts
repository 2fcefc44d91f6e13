import type { Cloud } from "../../config/environment-settings.ts";
import { ccfInstance } from "./carbon-data.ts";
import { findAttributes, findPrice, priced } from "./catalog-store.ts";
import type { Price } from "./price-table.ts";
import { lazy, loadJson } from "./table.ts";
import type { TableId } from "./tables.ts";

export type { Price } from "./price-table.ts";

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

type Shape = { vcpus: number; memoryGiB: number; gpus: number };
type Attributes = Record<string, string | number>;

/** Each cloud's instance price table, and where a type's shape comes from. */
const INSTANCE_TABLES: Record<
  Cloud,
  { table: TableId; shape: (row: Attributes, type: string) => Shape | undefined }
> = {
  aws: {
    table: "aws-ec2-prices",
    shape: (row) => ({
      vcpus: Number(row.vcpu),
      memoryGiB: Number(row.memory_gib),
      gpus: Number(row.gpu_count),
    }),
  },
  azure: {
    table: "azure-vm-prices",
    shape: (_, type) => {
      const ccf = ccfInstance("azure", type);
      return ccf && { vcpus: ccf.vcpus, memoryGiB: ccf.memory_gib, gpus: ccf.gpu_count ?? 0 };
    },
  },
  gcp: {
    table: "gcp-compute-prices",
    shape: (row, type) => ({
      vcpus: Number(row.vcpu),
      memoryGiB: Number(row.memory_gib),
      gpus: ccfInstance("gcp", type)?.gpu_count ?? 0,
    }),
  },
};

export type PriceLookup =
  | { usdPerHour: number; source: string }
  | { missing: "type" | "region"; source: string };

/** The on-demand Linux price of an instance type in a region, from the cloud's price table. */
export function instancePrice(cloud: Cloud, region: string, type: string): PriceLookup {
  const found = findPrice(INSTANCE_TABLES[cloud].table, region, [type]);
  if ("missing" in found)
    return { missing: found.missing === "key" ? "type" : "region", source: found.source };
  return { usdPerHour: found.usdPerUnit, source: found.source };
}

/** The on-demand price of a node type in a region with its vCPUs, memory and GPUs. */
export function nodeOffer(cloud: Cloud, region: string, type: string): NodeLookup {
  const price = instancePrice(cloud, region, type);
  if ("missing" in price) return price;
  const { table, shape } = INSTANCE_TABLES[cloud];
  const found = shape(findAttributes(table, [type]) ?? {}, type);
  if (!found || Number.isNaN(found.vcpus) || Number.isNaN(found.memoryGiB))
    return { missing: "shape", source: price.source };
  return { offer: { type, ...found, usdPerHour: price.usdPerHour, source: price.source } };
}

/** USD per GB-month of an EBS volume type's storage in a region. */
export function volumePrice(region: string, volumeType: string): Price | undefined {
  return ebsPrice(region, volumeType, "storage");
}

/** USD per unit of one EBS component: storage, iops, iops_first_tier, iops_above_3000, throughput_above_125. */
export function ebsPrice(region: string, volumeType: string, component: string): Price | undefined {
  return priced("aws-ebs-prices", region, [volumeType, component]);
}

/** USD per hour of an AWS load balancer (classic-load-balancer, …), NAT gateway or idle public IPv4 address. */
export function loadBalancerPrice(region: string, item: string): Price | undefined {
  return priced("aws-load-balancer-prices", region, [item]);
}

export type OpenCostDefaults = { cpu: number; ram: number; gpu: number; storage: number };

/** OpenCost's default prices: USD per vCPU-hour, GiB-hour of RAM, GPU-hour and GiB-hour of storage. */
export const openCostDefaults = lazy((): OpenCostDefaults => {
  const raw = loadJson<{ CPU: number; RAM: number; GPU: number; storage: number }>(
    "opencost-default-prices.json",
  );
  return { cpu: raw.CPU, ram: raw.RAM, gpu: raw.GPU, storage: raw.storage };
});
