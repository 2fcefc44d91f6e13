import type { Cloud } from "../../config/environment-settings.ts";
import type { DATA_SCHEMAS } from "./data-schemas.ts";
import { indexTable, type PriceTable, rowKey, TableBuilder } from "./price-table.ts";
import { loadTable } from "./table.ts";

/**
 * Every price table GreenOps reads, in one format whatever the service: its key columns, its
 * attributes, and how its bundled CSV lays out regions ("long": a region column and usd_per_unit;
 * "wide": one on_demand_linux_usd_per_hour_<region> column per region). A refresh writes the same
 * tables; a new service is one more entry here and one more lookup in prices.ts.
 */
type TableSpec = {
  cloud: Cloud;
  keys: string[];
  attributes?: string[];
  layout: "long" | "wide";
  /** Azure sizes are case-insensitive (Infracost prices "standard_f2" as Standard_F2). */
  caseInsensitive?: boolean;
};

export const PRICE_TABLES = {
  "aws-ec2-prices": {
    cloud: "aws",
    keys: ["instance_type"],
    attributes: ["vcpu", "memory_gib", "arch", "gpu_count"],
    layout: "wide",
  },
  "aws-ebs-prices": { cloud: "aws", keys: ["volume_type", "component"], layout: "long" },
  "aws-load-balancer-prices": { cloud: "aws", keys: ["item"], layout: "long" },
  "aws-rds-prices": {
    cloud: "aws",
    keys: ["engine", "instance_class_or_item", "deployment", "component"],
    layout: "long",
  },
  "aws-eks-prices": { cloud: "aws", keys: ["item"], layout: "long" },
  "aws-elasticache-prices": { cloud: "aws", keys: ["node_type", "engine"], layout: "long" },
  "aws-fargate-prices": { cloud: "aws", keys: ["item"], layout: "long" },
  "aws-network-usage-prices": { cloud: "aws", keys: ["item"], layout: "long" },
  "azure-vm-prices": { cloud: "azure", keys: ["sku"], layout: "wide", caseInsensitive: true },
  "gcp-compute-prices": {
    cloud: "gcp",
    keys: ["machine_type"],
    attributes: ["vcpu", "memory_gib"],
    layout: "wide",
  },
} satisfies Record<string, TableSpec>;

export type TableId = keyof typeof PRICE_TABLES;

const WIDE_PREFIX = "on_demand_linux_usd_per_hour_";

export function tableSpec(id: TableId): TableSpec {
  return PRICE_TABLES[id];
}

/** The key of a row as the table indexes it. */
export function lookupKey(id: TableId, parts: readonly string[]): string {
  const key = rowKey(parts);
  return tableSpec(id).caseInsensitive ? key.toLowerCase() : key;
}

/** A table built from the rows a builder collected, or read from a catalog, indexed for lookups. */
export function indexed(id: TableId, data: Parameters<typeof indexTable>[0]): PriceTable {
  return indexTable(data, tableSpec(id).caseInsensitive ? (k) => k.toLowerCase() : undefined);
}

/** A table's rows as a builder collects them: keys, attributes and region prices. */
export function builderFor(id: TableId, sourceId: string = id): TableBuilder {
  const spec = tableSpec(id);
  return new TableBuilder(sourceId, spec.keys, spec.attributes ?? []);
}

/** The bundled CSV of a table in the one catalog format. */
export function bundledTable(id: TableId): PriceTable {
  const spec = tableSpec(id);
  const builder = builderFor(id);
  const rows = loadTable<Record<string, string | number>>(`${id}.csv` as keyof typeof DATA_SCHEMAS);
  for (const row of rows) {
    const keys = spec.keys.map((k) => String(row[k] ?? ""));
    const attributes = Object.fromEntries((spec.attributes ?? []).map((a) => [a, row[a] as string | number]));
    if (spec.layout === "long") {
      builder.add(keys, String(row.region), Number(row.usd_per_unit), attributes);
      continue;
    }
    builder.row(keys, attributes);
    for (const [column, value] of Object.entries(row)) {
      if (column.startsWith(WIDE_PREFIX) && typeof value === "number")
        builder.add(keys, column.slice(WIDE_PREFIX.length), value, attributes);
    }
  }
  return indexed(id, builder.data());
}
