import type { CloudLocation, HourlyServiceDemand, MonthlyUsage } from "../../model/cloud.ts";
import { HOURS_PER_MONTH } from "../basis.ts";
import { eksPrice, networkUsagePrice } from "../catalog/cloud-prices.ts";
import { loadBalancerPrice, type Price } from "../catalog/prices.ts";
import { type Lines, lines, merge, priceLine } from "../lines.ts";
import { unpricedBecause } from "./instances.ts";

const SERVICES = {
  "eks-cluster": { label: "EKS cluster" },
  "eks-cluster-extended-support": { label: "EKS cluster (extended support)" },
  "nat-gateway": { label: "NAT gateway" },
  "public-ip": { label: "Public IPv4 address" },
} as const;

function hourlyPrice(service: HourlyServiceDemand["service"], region: string): Price | undefined {
  switch (service) {
    case "eks-cluster":
      return eksPrice(region, "cluster");
    case "eks-cluster-extended-support":
      return eksPrice(region, "cluster-extended-support");
    case "nat-gateway":
      return loadBalancerPrice(region, "nat-gateway");
    case "public-ip":
      return loadBalancerPrice(region, "elastic-ip-unused");
  }
}

/** Services billed by the hour: their carbon is not estimated (CCF has no coefficient for them). */
export function hourlyServiceLines(demand: HourlyServiceDemand): Lines {
  const { label } = SERVICES[demand.service];
  const count = demand.count ?? 1;
  const parts = lines({
    noCarbon: `CCF's method has no energy coefficient for a ${label}; its carbon is not estimated`,
  });
  const blocked = unpricedBecause(demand.location, "on-demand");
  const price = blocked ? undefined : hourlyPrice(demand.service, demand.location.region as string);
  if (blocked) parts.unpriced.push(blocked);
  else if (price === undefined) parts.unpriced.push(`no price for a ${label} in ${demand.location.region}`);
  else
    parts.cost.push(
      priceLine(count === 1 ? label : `${label} × ${count}`, count * HOURS_PER_MONTH, "hours", price),
    );
  if (demand.service === "nat-gateway" && !blocked) {
    merge(
      parts,
      usageLines(demand.location, "nat-gateway-data-processed", demand.dataProcessed, {
        label: "Data processed",
        unit: "GB",
        units: "GB",
        key: "monthly_data_processed_gb",
      }),
    );
  }
  return parts;
}

/**
 * A component billed by usage (NAT data processed, load balancer capacity units): priced from a usage
 * file's quantity, else named usage-based with its unit price (never counted as $0).
 */
export function usageLines(
  location: CloudLocation,
  item: Parameters<typeof networkUsagePrice>[1],
  usage: MonthlyUsage | undefined,
  what: { label: string; unit: string; units: string; key: string },
): Lines {
  const price = location.region ? networkUsagePrice(location.region, item) : undefined;
  if (price === undefined) {
    return lines({
      assumptions: [`${what.label} is billed by usage: no price in ${location.region}, not included`],
    });
  }
  if (!usage) {
    return lines({
      assumptions: [
        `${what.label} is billed by usage ($${price.usdPerUnit} per ${what.unit}, ${price.source}): not included; set ${what.key} in greenops-usage.yml to price it`,
      ],
    });
  }
  return lines({
    cost: [priceLine(what.label, usage.quantity, what.units, price)],
    assumptions: [`${what.label.toLowerCase()} from ${usage.file}`],
  });
}
