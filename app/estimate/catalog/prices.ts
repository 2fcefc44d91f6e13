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

type PriceRow = Record<string, string | number>;

/** Each cloud's instance price table: its key column, and where a type's shape comes from. */
const TABLES: Record<
  Cloud,
  {
    source: string;
    rows: () => Map<string, PriceRow>;
    shape: (row: PriceRow, type: string) => Shape | undefined;
  }
> = {
  aws: {
    source: "aws-ec2-prices",
    rows: lazy(() => byKey(loadTable<PriceRow>("aws-ec2-prices.csv"), (row) => String(row.instance_type))),
    shape: (row) => ({
      vcpus: Number(row.vcpu),
      memoryGiB: Number(row.memory_gib),
      gpus: Number(row.gpu_count),
    }),
  },
  azure: {
    source: "azure-vm-prices",
    rows: lazy(() =>
      byKey(loadTable<PriceRow>("azure-vm-prices.csv"), (row) => String(row.sku).toLowerCase()),
    ),
    shape: (_, type) => {
      const ccf = ccfInstance("azure", type);
      return ccf && { vcpus: ccf.vcpus, memoryGiB: ccf.memory_gib, gpus: ccf.gpu_count ?? 0 };
    },
  },
  gcp: {
    source: "gcp-compute-prices",
    rows: lazy(() => byKey(loadTable<PriceRow>("gcp-compute-prices.csv"), (row) => String(row.machine_type))),
    shape: (row, type) => ({
      vcpus: Number(row.vcpu),
      memoryGiB: Number(row.memory_gib),
      gpus: ccfInstance("gcp", type)?.gpu_count ?? 0,
    }),
  },
};

type Shape = { vcpus: number; memoryGiB: number; gpus: number };

/** Azure size names are case-insensitive (Infracost's goldens price "standard_f2" as Standard_F2). */
function tableKey(cloud: Cloud, type: string): string {
  return cloud === "azure" ? type.toLowerCase() : type;
}

const REGION_COLUMN = "on_demand_linux_usd_per_hour_";

export type PriceLookup =
  | { usdPerHour: number; source: string }
  | { missing: "type" | "region"; source: string };

/** The on-demand Linux price of an instance type in a region, from the cloud's price table. */
export function instancePrice(cloud: Cloud, region: string, type: string): PriceLookup {
  const table = TABLES[cloud];
  const row = table.rows().get(tableKey(cloud, type));
  if (!row) return { missing: "type", source: table.source };
  const price = row[`${REGION_COLUMN}${region}`];
  if (typeof price !== "number") return { missing: "region", source: table.source };
  return { usdPerHour: price, source: table.source };
}

/** The on-demand price of a node type in a region with its vCPUs, memory and GPUs. */
export function nodeOffer(cloud: Cloud, region: string, type: string): NodeLookup {
  const price = instancePrice(cloud, region, type);
  if ("missing" in price) return price;
  const row = TABLES[cloud].rows().get(tableKey(cloud, type)) as PriceRow;
  const shape = TABLES[cloud].shape(row, type);
  if (!shape) return { missing: "shape", source: price.source };
  return { offer: { type, ...shape, usdPerHour: price.usdPerHour, source: price.source } };
}

type EbsRow = { region: string; volume_type: string; component: string; unit: string; usd_per_unit: number };

const ebs = lazy(() => loadTable<EbsRow>("aws-ebs-prices.csv"));

/** USD per GB-month of an EBS volume type's storage in a region. */
export function volumePrice(region: string, volumeType: string): number | undefined {
  return ebsPrice(region, volumeType, "storage");
}

/** USD per unit of one EBS component: storage, iops, iops_first_tier, iops_above_3000, throughput_above_125. */
export function ebsPrice(region: string, volumeType: string, component: string): number | undefined {
  return ebs().find(
    (row) => row.region === region && row.volume_type === volumeType && row.component === component,
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
