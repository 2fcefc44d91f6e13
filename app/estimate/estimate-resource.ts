import {
  type LoadBalancerDemand,
  type Resource,
  requestsNothing,
  type VolumeDemand,
  type WorkloadDemand,
} from "../model/resource.ts";
import { type CarbonCoefficients, type EnvironmentBasis, HOURS_PER_MONTH } from "./basis.ts";
import { loadBalancerPrice, openCostDefaults, volumePrice } from "./catalog/prices.ts";
import { estimateCloud } from "./cloud/estimate-cloud.ts";
import { usageLines } from "./cloud/services.ts";
import {
  type CarbonLine,
  type CostLine,
  type EmbodiedFactor,
  type EnergyFactor,
  embodied,
  embodiedFactor,
  energy,
  energyFactor,
  GIB,
  type Lines,
  line,
  lines,
  merge,
  priceLine,
  type ResourceEstimate,
  round,
  total,
} from "./lines.ts";
import { storageEnergy } from "./storage-energy.ts";

export type { CarbonLine, CostLine, ResourceEstimate } from "./lines.ts";
export { energy } from "./lines.ts";

export function estimateResource(resource: Resource, basis: EnvironmentBasis): ResourceEstimate {
  const demand = resource.demand;
  switch (demand.type) {
    case "workload":
      return estimateWorkload(demand, basis);
    case "volume":
      return total(volumeLines(demand, 1, basis));
    case "load-balancer":
      return estimateLoadBalancer(demand, basis);
    case "unknown":
      return total(lines({ unpriced: [demand.reason], noCarbon: demand.reason }));
    case "free":
    case "modifier":
    case "launch-template":
    case "task-definition":
      return total(lines());
    default:
      return estimateCloud(demand, basis);
  }
}

/** Why a workload whose pods request nothing is not estimated (it would otherwise look free). */
export const NO_REQUESTS =
  "no requests: its containers request no CPU or memory and no LimitRange gives defaults, so what it costs is unknown";

function estimateWorkload(demand: WorkloadDemand, basis: EnvironmentBasis): ResourceEstimate {
  if (requestsNothing(demand)) return total(lines({ unpriced: [NO_REQUESTS], noCarbon: NO_REQUESTS }));
  const estimate = total(workloadLines(demand, demand.replicas.count, basis));
  const { max } = demand.replicas;
  if (max !== undefined && max !== demand.replicas.count) {
    const atMax = total(workloadLines(demand, max, basis));
    estimate.atMaximum = { monthlyCost: atMax.monthlyCost ?? 0, monthlyCarbonKg: atMax.monthlyCarbonKg ?? 0 };
  }
  return estimate;
}

/**
 * One node of the environment's instance type, used in full for a month: what a node costs (its
 * on-demand price) and emits (CCF, all its vCPUs and memory); undefined when the node type is unpriced.
 */
export function estimateNode(basis: EnvironmentBasis): ResourceEstimate | undefined {
  const node = basis.compute.node;
  if (!node) return undefined;
  const cost = [line(`${node.type} node`, HOURS_PER_MONTH, "hours", node.usdPerHour, [node.source])];
  const usage = {
    cpu: node.vcpus * HOURS_PER_MONTH,
    memory: node.memoryGiB * HOURS_PER_MONTH,
    gpu: node.gpus * HOURS_PER_MONTH,
  };
  return total(lines({ cost, carbon: computeCarbon(usage, basis) }));
}

/**
 * Pod-hours a month: replicas around the clock (or, under a kube-downscaler schedule, during its
 * uptime and the downtime replicas the rest of the week), or a job's runs × run time × pods per run.
 */
export function podHours(demand: WorkloadDemand, replicas: number): number {
  const runs = demand.runs;
  const uptime = demand.uptime;
  if (uptime)
    return HOURS_PER_MONTH * (replicas * uptime.share + uptime.downtimeReplicas * (1 - uptime.share));
  if (!runs) return replicas * HOURS_PER_MONTH;
  return runs.suspended ? 0 : (runs.runsPerMonth * runs.runSeconds * runs.podsPerRun) / 3600;
}

function workloadLines(demand: WorkloadDemand, replicas: number, basis: EnvironmentBasis): Lines {
  const hours = podHours(demand, replicas);
  const usage = {
    cpu: (demand.pod.cpuMillis / 1000) * hours,
    memory: (demand.pod.memoryBytes / GIB) * hours,
    gpu: demand.pod.gpus * hours,
  };
  const { compute } = basis;
  const option = basis.settings.purchaseOption ?? "on-demand";
  const cost: CostLine[] = [
    line("CPU", usage.cpu, "vCPU-hours", compute.cpu, compute.sources),
    line("Memory", usage.memory, "GiB-hours", compute.ram, compute.sources),
  ];
  if (usage.gpu > 0)
    cost.push(line("GPU", usage.gpu, "GPU-hours", compute.gpu, compute.gpuFrom?.sources ?? compute.sources));
  const parts =
    option === "on-demand"
      ? lines({ cost, carbon: computeCarbon(usage, basis) })
      : lines({
          carbon: computeCarbon(usage, basis),
          unpriced: [`the nodes are ${option} capacity: the catalogs hold on-demand list prices only`],
        });
  for (const claim of demand.volumeClaims) merge(parts, volumeLines(claim, replicas, basis));
  return parts;
}

function computeCarbon(
  usage: { cpu: number; memory: number; gpu: number },
  basis: EnvironmentBasis,
): CarbonLine[] {
  const c = basis.carbon;
  const factors = workloadFactors(c);
  const carbon: CarbonLine[] = [
    cpuCarbonLine(usage.cpu, c.utilisation / 100, basis),
    energy("Memory", usage.memory, factors.memory, usage.memory * c.memoryKWhPerGiBHour * c.pue),
  ];
  if (usage.gpu > 0 && factors.gpu) {
    const { watts, factor } = factors.gpu;
    carbon.push(energy("GPU", usage.gpu, factor, (usage.gpu * watts * c.pue) / 1000));
  }
  if (factors.embodied && c.embodiedKgPerVcpuHour !== undefined)
    carbon.push(embodied("Embodied", usage.cpu, factors.embodied, usage.cpu * c.embodiedKgPerVcpuHour));
  return carbon;
}

type WorkloadFactors = {
  /** CCF's default utilisation (0–1, to 3 digits) and the CPU factor at it. */
  utilisation: number;
  cpu: EnergyFactor;
  memory: EnergyFactor;
  gpu?: { watts: number; factor: EnergyFactor };
  embodied?: EmbodiedFactor;
};

/** An environment's factors at CCF's default utilisation, made once: every workload shares them. */
const WORKLOAD_FACTORS = new WeakMap<CarbonCoefficients, WorkloadFactors>();

function workloadFactors(c: CarbonCoefficients): WorkloadFactors {
  let factors = WORKLOAD_FACTORS.get(c);
  if (factors) return factors;
  const u = c.utilisation / 100;
  const utilisation = Number(u.toPrecision(3));
  const grid = c.grid.gPerKWh;
  factors = {
    utilisation,
    cpu: cpuFactor(c, utilisation),
    memory: energyFactor(
      "GiB-h",
      `${c.memoryKWhPerGiBHour} kWh/GiB-h × PUE ${c.pue}`,
      c.memoryKWhPerGiBHour * c.pue,
      grid,
    ),
  };
  if (c.gpuMinWatts !== undefined && c.gpuMaxWatts !== undefined) {
    const gpuWatts = c.gpuMinWatts + u * (c.gpuMaxWatts - c.gpuMinWatts);
    const factor = energyFactor(
      "GPU-h",
      `${round(gpuWatts)} W × PUE ${c.pue}`,
      (gpuWatts * c.pue) / 1000,
      grid,
    );
    factors.gpu = { watts: gpuWatts, factor };
  }
  if (c.embodiedKgPerVcpuHour !== undefined) {
    const kg = c.embodiedKgPerVcpuHour;
    factors.embodied = embodiedFactor("vCPU-h", `${kg.toPrecision(4)} kg per vCPU-h of the node`, kg);
  }
  WORKLOAD_FACTORS.set(c, factors);
  return factors;
}

/** CCF's power curve at a utilisation (0–1, to 3 digits), per vCPU-hour; `note` says where it comes from. */
function cpuFactor(c: CarbonCoefficients, utilisation: number, note = ""): EnergyFactor {
  const watts = c.minWatts + utilisation * (c.maxWatts - c.minWatts);
  return energyFactor(
    "vCPU-h",
    `(${c.minWatts} + ${utilisation}${note} × (${c.maxWatts} − ${c.minWatts})) W × PUE ${c.pue}`,
    (watts * c.pue) / 1000,
    c.grid.gPerKWh,
  );
}

/** CPU energy by CCF's method at a utilisation (0–1), e.g. CCF's default or one observed by telemetry. */
export function cpuCarbonLine(
  vcpuHours: number,
  utilisation: number,
  basis: EnvironmentBasis,
  utilisationNote = "",
): CarbonLine {
  const c = basis.carbon;
  const u = Number(utilisation.toPrecision(3));
  const watts = c.minWatts + u * (c.maxWatts - c.minWatts);
  const shared = workloadFactors(c);
  const factor =
    utilisationNote === "" && u === shared.utilisation ? shared.cpu : cpuFactor(c, u, utilisationNote);
  return energy("CPU", vcpuHours, factor, (vcpuHours * watts * c.pue) / 1000);
}

function volumeLines(volume: VolumeDemand, count: number, basis: EnvironmentBasis): Lines {
  const gib = (volume.storageBytes / GIB) * count;
  const type = volume.volumeType;
  const { settings, carbon: c } = basis;
  const assumptions: string[] = [];
  let price = settings.cloud === "aws" && type ? volumePrice(settings.region, type) : undefined;
  if (price === undefined) {
    price = { usdPerUnit: openCostDefaults().storage * HOURS_PER_MONTH, source: "opencost-default-prices" };
    assumptions.push(
      type
        ? `no ${settings.cloud} price for ${type} volumes in ${settings.region}: OpenCost's default storage price is used`
        : "the volume type is unknown: OpenCost's default storage price is used",
    );
  }
  const label = `Storage (${type ?? "unknown type"})`;
  return lines({
    cost: [priceLine(label, gib, "GiB-months", price)],
    carbon: [storageEnergy(label, gib, type, c, c.volumeReplication)],
    assumptions,
  });
}

const LOAD_BALANCER_ITEMS = {
  classic: "classic-load-balancer",
  network: "network-load-balancer",
  application: "application-load-balancer",
} as const;

export function estimateLoadBalancer(demand: LoadBalancerDemand, basis: EnvironmentBasis): ResourceEstimate {
  if (demand.sharedWith)
    return total(lines({ assumptions: [`shares the load balancer of ${demand.sharedWith}`] }));
  const cloud = demand.location?.cloud ?? basis.settings.cloud;
  const region = demand.location ? demand.location.region : basis.settings.region;
  const price =
    cloud === "aws" && region ? loadBalancerPrice(region, LOAD_BALANCER_ITEMS[demand.flavour]) : undefined;
  const noCarbon = "CCF's method has no energy coefficient for load balancers; their carbon is not estimated";
  if (price === undefined) {
    const reason = `no ${cloud} price for a ${demand.flavour} load balancer in ${region ?? "an unknown region"}`;
    return total(lines({ unpriced: [reason], noCarbon: reason }));
  }
  const cost = [priceLine(`${capitalise(demand.flavour)} load balancer`, HOURS_PER_MONTH, "hours", price)];
  if (demand.flavour === "classic" || !demand.location) {
    return total(
      lines({ cost, noCarbon, assumptions: ["usage charges (LCUs, data processed) are not included"] }),
    );
  }
  const parts = lines({ cost, noCarbon });
  merge(
    parts,
    usageLines(demand.location, `${demand.flavour}-load-balancer-lcu`, demand.capacityUnits, {
      label: "Load balancer capacity units",
      unit: "LCU-hour",
      units: "LCU-hours",
      key: "lcu_hours",
    }),
  );
  return total(parts);
}

function capitalise(word: string): string {
  return word.charAt(0).toUpperCase() + word.slice(1);
}
