import type { FunctionDemand, HourlyServiceDemand } from "../../model/cloud.ts";
import { HOURS_PER_MONTH } from "../basis.ts";
import { ccfConstants } from "../catalog/carbon-data.ts";
import { eksPrice, lambdaPrices } from "../catalog/cloud-prices.ts";
import { loadBalancerPrice, type Price } from "../catalog/prices.ts";
import { energy, type Lines, line, lines, priceLine, round } from "../lines.ts";
import { locationCarbon } from "./instance-carbon.ts";
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
  const parts = lines({
    noCarbon: `CCF's method has no energy coefficient for a ${label}; its carbon is not estimated`,
  });
  const blocked = unpricedBecause(demand.location, "on-demand");
  const price = blocked ? undefined : hourlyPrice(demand.service, demand.location.region as string);
  if (blocked) parts.unpriced.push(blocked);
  else if (price === undefined) parts.unpriced.push(`no price for a ${label} in ${demand.location.region}`);
  else parts.cost.push(priceLine(label, HOURS_PER_MONTH, "hours", price));
  return parts;
}

/**
 * Lambda from its monthly requests and duration (a usage file): requests, then GB-seconds through
 * the duration tiers. Carbon follows CCF's Lambda method: memory ÷ 1,792 MB vCPUs at the average
 * utilisation of CCF's AWS fallback watts.
 */
export function functionLines(demand: FunctionDemand): Lines {
  const { location, usage } = demand;
  if (!usage) {
    const why =
      "usage-based: give monthly_requests and request_duration_ms in greenops-usage.yml (or infracost-usage.yml)";
    return lines({ unpriced: [why], noCarbon: why });
  }
  const parts = lines({ assumptions: [`usage from ${usage.file}`, "the free tier is not applied"] });
  const gbSeconds = (usage.monthlyRequests * (usage.requestDurationMs / 1000) * demand.memoryMb) / 1024;
  const blocked = unpricedBecause(location, "on-demand");
  const prices = blocked ? [] : lambdaPrices(location.region as string, demand.architecture);
  const requests = prices.find((p) => p.item === "requests");
  if (blocked || !requests) parts.unpriced.push(blocked ?? `no Lambda prices in ${location.region}`);
  else {
    parts.cost.push(
      line("Requests", usage.monthlyRequests / 1e6, "1M requests", requests.usdPerUnit, [
        "aws-lambda-prices",
      ]),
    );
    for (const tier of prices.filter((p) => p.item === "duration")) {
      const inTier = Math.min(gbSeconds, tier.to ?? Number.POSITIVE_INFINITY) - tier.from;
      if (inTier <= 0) continue;
      const name = `Duration (${demand.architecture}, ${tier.to === undefined ? `over ${tier.from / 1e9}B` : `${tier.from / 1e9}B to ${tier.to / 1e9}B`} GB-s)`;
      parts.cost.push(line(name, inTier, "GB-seconds", tier.usdPerUnit, ["aws-lambda-prices"]));
    }
  }
  const c = locationCarbon(location);
  const constants = ccfConstants("aws");
  const vcpuHours = (demand.memoryMb / 1792) * ((usage.monthlyRequests * usage.requestDurationMs) / 3.6e6);
  const u = c.utilisation / 100;
  const watts =
    constants.min_watts_fallback + u * (constants.max_watts_fallback - constants.min_watts_fallback);
  parts.carbon.push(
    energy(
      "Compute",
      (vcpuHours * watts * c.pue) / 1000,
      c.grid.gPerKWh,
      `${demand.memoryMb} MB ÷ 1792 MB per vCPU × ${round((usage.monthlyRequests * usage.requestDurationMs) / 3.6e6)} h × ${round(watts)} W × PUE ${c.pue}`,
    ),
  );
  return parts;
}
