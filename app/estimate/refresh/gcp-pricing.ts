import { load } from "js-yaml";
import type { CatalogTable } from "../catalog/catalog-files.ts";
import type { TableData } from "../catalog/price-table.ts";
import { builderFor } from "../catalog/tables.ts";
import { download, RefreshError } from "./price-lists.ts";

/**
 * Google publishes its SKUs through the Cloud Billing Catalog API, which needs an API key; no
 * key-free list of machine-type prices exists. The documented fallback is the one the bundled
 * catalog comes from: Cyclenerd/google-cloud-pricing-cost-calculator's `pricing.yml` (Apache-2.0),
 * generated weekly from that API, read here from GREENOPS_GCP_PRICING_URL (its raw file by default):
 * `compute.instance.<machine type>` = {cpu, ram, cost: {<region>: {hour, …}}}.
 */
export type PricingYml = {
  about?: { generated?: string };
  compute: {
    instance: Record<string, { cpu: number; ram: number; cost?: Record<string, { hour?: number }> }>;
  };
};

/** One row per priced machine type: vCPUs, memory and the on-demand hourly price per region. */
export function gcpTable(pricing: PricingYml): TableData {
  const builder = builderFor("gcp-compute-prices");
  for (const [name, type] of Object.entries(pricing.compute.instance)) {
    if (type.cost === undefined) continue;
    builder.row([name], { vcpu: type.cpu, memory_gib: type.ram });
    for (const [region, cost] of Object.entries(type.cost)) {
      if (typeof cost?.hour === "number" && cost.hour > 0) builder.add([name], region, cost.hour);
      else builder.cover(region);
    }
  }
  return builder.data();
}

export type GcpRefresh = { url: string; retrievedAt: string; log: (line: string) => void };

export async function refreshGcp(
  options: GcpRefresh,
): Promise<{ tables: TableData[]; entries: CatalogTable[] }> {
  const text = await (await download(options.url)).text();
  let pricing: PricingYml;
  try {
    pricing = load(text, { json: false }) as PricingYml;
  } catch (error) {
    throw new RefreshError(`${options.url}: not YAML (${(error as Error).message.split("\n")[0]})`);
  }
  const instances = pricing?.compute?.instance;
  if (typeof instances !== "object" || instances === null)
    throw new RefreshError(`${options.url}: no compute.instance map (is it Cyclenerd's pricing.yml?)`);
  for (const [name, type] of Object.entries(instances)) {
    if (typeof type?.cpu !== "number" || typeof type.ram !== "number")
      throw new RefreshError(`${options.url}: compute.instance.${name} has no cpu and ram numbers`);
  }
  const data = gcpTable(pricing);
  if (data.rows.length === 0) throw new RefreshError(`${options.url}: no machine type has a price`);
  const generated = Date.parse(pricing.about?.generated ?? "");
  options.log(`gcp: ${data.rows.length} machine types in ${data.regions.length} regions`);
  const entry: CatalogTable = {
    id: "gcp-compute-prices",
    title: `Google Compute Engine on-demand machine type prices, ${data.regions.length} regions`,
    origin: `Cyclenerd/google-cloud-pricing-cost-calculator pricing.yml (from the Cloud Billing Catalog API), generated ${pricing.about?.generated ?? "on an unknown date"}`,
    asOf: (Number.isNaN(generated) ? options.retrievedAt : new Date(generated).toISOString()).slice(0, 10),
    licence: "Apache-2.0",
    url: options.url,
    retrievedAt: options.retrievedAt,
    regions: data.regions.length,
    rows: data.rows.length,
  };
  return { tables: [data], entries: [entry] };
}
