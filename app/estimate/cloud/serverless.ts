import type { CloudLocation, FargateDemand, FunctionDemand } from "../../model/cloud.ts";
import { counted } from "../../model/words.ts";
import { HOURS_PER_MONTH } from "../basis.ts";
import { ccfConstants } from "../catalog/carbon-data.ts";
import { fargatePrice, lambdaPrices } from "../catalog/cloud-prices.ts";
import {
  type CarbonLine,
  energy,
  energyFactor,
  type Lines,
  line,
  lines,
  priceLine,
  round,
} from "../lines.ts";
import { locationCarbon } from "./instance-carbon.ts";
import { unpricedBecause } from "./instances.ts";

/** Compute GreenOps cannot see: Fargate tasks and Lambda functions. */

/**
 * Fargate tasks: vCPU-hours and GB-hours of the tasks kept running. Carbon by CCF's method for
 * compute it cannot see (Lambda, Fargate): CCF's average watts per vCPU of the cloud at its average
 * utilisation, and its memory coefficient per GB-hour.
 */
export function fargateLines(demand: FargateDemand): Lines {
  const { location, tasks, vcpu, memoryGb } = demand;
  const parts = lines({ assumptions: demand.sizeBasis ? [demand.sizeBasis] : [] });
  if (vcpu === undefined || memoryGb === undefined) {
    const why = "the task size (vCPU and memory) is unknown";
    return lines({ unpriced: [why], noCarbon: why });
  }
  const vcpuHours = tasks * vcpu * HOURS_PER_MONTH;
  const gbHours = tasks * memoryGb * HOURS_PER_MONTH;
  const blocked = unpricedBecause(location, "on-demand");
  const cpuPrice = blocked ? undefined : fargatePrice(location.region as string, "vcpu");
  const memoryPrice = blocked ? undefined : fargatePrice(location.region as string, "memory");
  if (blocked) parts.unpriced.push(blocked);
  else if (cpuPrice === undefined || memoryPrice === undefined)
    parts.unpriced.push(`no Fargate prices in ${location.region}`);
  else {
    const each = counted(tasks, "task");
    parts.cost.push(
      priceLine(`Fargate vCPU (${each} × ${vcpu} vCPU)`, vcpuHours, "vCPU-hours", cpuPrice),
      priceLine(`Fargate memory (${each} × ${memoryGb} GB)`, gbHours, "GB-hours", memoryPrice),
    );
  }
  const c = locationCarbon(location);
  const memory = energyFactor(
    "GB-h",
    `${c.memoryKWhPerGiBHour} kWh/GB-h × PUE ${c.pue}`,
    c.memoryKWhPerGiBHour * c.pue,
    c.grid.gPerKWh,
  );
  parts.carbon.push(
    averageCpuCarbon(location, vcpuHours),
    energy("Memory", gbHours, memory, gbHours * c.memoryKWhPerGiBHour * c.pue),
  );
  return parts;
}

/**
 * CPU energy of vCPU-hours on hardware GreenOps cannot see: CCF's cloud-average watts per vCPU;
 * `counted` says how the vCPU-hours were counted when they are not given.
 */
function averageCpuCarbon(location: CloudLocation, vcpuHours: number, counted?: string): CarbonLine {
  const c = locationCarbon(location);
  const constants = ccfConstants(location.cloud);
  const u = c.utilisation / 100;
  const watts =
    constants.min_watts_fallback + u * (constants.max_watts_fallback - constants.min_watts_fallback);
  const factor = energyFactor(
    "vCPU-h",
    `${round(watts)} W × PUE ${c.pue}`,
    (watts * c.pue) / 1000,
    c.grid.gPerKWh,
  );
  return energy("Compute", vcpuHours, factor, (vcpuHours * watts * c.pue) / 1000, counted);
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
  const hours = (usage.monthlyRequests * usage.requestDurationMs) / 3.6e6;
  const vcpuHours = (demand.memoryMb / 1792) * hours;
  parts.carbon.push(
    averageCpuCarbon(location, vcpuHours, `${demand.memoryMb} MB ÷ 1792 MB per vCPU × ${round(hours)} h`),
  );
  return parts;
}
