import type { LoadBalancerDemand, Resource, VolumeDemand, WorkloadDemand } from "../model/resource.ts";
import { type EnvironmentBasis, HOURS_PER_MONTH } from "./basis.ts";
import { loadBalancerPrice, openCostDefaults, volumePrice } from "./catalog/prices.ts";

const GIB = 2 ** 30;

/** One priced component, Infracost-style: quantity × unit price = monthly cost. */
export type CostLine = {
  component: string;
  quantity: number;
  unit: string;
  unitPrice: number;
  monthlyCost: number;
  /** Ids of the data sources of the unit price (see app/estimate/data/catalog.json). */
  sources: string[];
};

/** One emission component, with the formula that produced it. */
export type CarbonLine = {
  component: string;
  kWh?: number;
  kgCO2e: number;
  formula: string;
  /** Set where telemetry replaced the model: measured (Kepler) or modelled from observed usage. */
  basis?: "measured" | "modelled";
  /** Beside a measured figure: what the model gives for the same component. */
  modelledKWh?: number;
};

export type ResourceEstimate = {
  /** USD per month; null when the resource could not be priced. */
  monthlyCost: number | null;
  /** kgCO2e per month; null when it could not be estimated. */
  monthlyCarbonKg: number | null;
  cost: CostLine[];
  carbon: CarbonLine[];
  /** The figures at an autoscaler's maximum replicas. */
  atMaximum?: { monthlyCost: number; monthlyCarbonKg: number };
  /** Why its cost or its carbon (whichever is null) is not estimated. */
  unestimated?: string;
  assumptions: string[];
};

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
      return {
        monthlyCost: null,
        monthlyCarbonKg: null,
        cost: [],
        carbon: [],
        unestimated: demand.reason,
        assumptions: [],
      };
    default:
      return { monthlyCost: 0, monthlyCarbonKg: 0, cost: [], carbon: [], assumptions: [] };
  }
}

type Lines = { cost: CostLine[]; carbon: CarbonLine[]; assumptions: string[] };

function total(lines: Lines): ResourceEstimate {
  return {
    monthlyCost: sum(lines.cost.map((l) => l.monthlyCost)),
    monthlyCarbonKg: sum(lines.carbon.map((l) => l.kgCO2e)),
    ...lines,
  };
}

function estimateWorkload(demand: WorkloadDemand, basis: EnvironmentBasis): ResourceEstimate {
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
  return total({ cost, carbon: computeCarbon(usage, basis), assumptions: [] });
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
  const cost: CostLine[] = [
    line("CPU", usage.cpu, "vCPU-hours", compute.cpu, compute.sources),
    line("Memory", usage.memory, "GiB-hours", compute.ram, compute.sources),
  ];
  if (usage.gpu > 0) cost.push(line("GPU", usage.gpu, "GPU-hours", compute.gpu, compute.sources));
  const lines: Lines = { cost, carbon: computeCarbon(usage, basis), assumptions: [] };
  for (const claim of demand.volumeClaims) merge(lines, volumeLines(claim, replicas, basis));
  return lines;
}

function computeCarbon(
  usage: { cpu: number; memory: number; gpu: number },
  basis: EnvironmentBasis,
): CarbonLine[] {
  const c = basis.carbon;
  const u = c.utilisation / 100;
  const grid = c.grid.gPerKWh;
  const memoryKWh = usage.memory * c.memoryKWhPerGiBHour * c.pue;
  const lines: CarbonLine[] = [
    cpuCarbonLine(usage.cpu, u, basis),
    energy(
      "Memory",
      memoryKWh,
      grid,
      `${round(usage.memory)} GiB-h × ${c.memoryKWhPerGiBHour} kWh/GiB-h × PUE ${c.pue}`,
    ),
  ];
  if (usage.gpu > 0 && c.gpuMinWatts !== undefined && c.gpuMaxWatts !== undefined) {
    const gpuWatts = c.gpuMinWatts + u * (c.gpuMaxWatts - c.gpuMinWatts);
    lines.push(
      energy(
        "GPU",
        (usage.gpu * gpuWatts * c.pue) / 1000,
        grid,
        `${round(usage.gpu)} GPU-h × ${round(gpuWatts)} W × PUE ${c.pue}`,
      ),
    );
  }
  if (c.embodiedKgPerVcpuHour !== undefined) {
    lines.push({
      component: "Embodied",
      kgCO2e: usage.cpu * c.embodiedKgPerVcpuHour,
      formula: `${round(usage.cpu)} vCPU-h × ${c.embodiedKgPerVcpuHour.toPrecision(4)} kg per vCPU-h of the node`,
    });
  }
  return lines;
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
  return energy(
    "CPU",
    (vcpuHours * watts * c.pue) / 1000,
    c.grid.gPerKWh,
    `${round(vcpuHours)} vCPU-h × (${c.minWatts} + ${u}${utilisationNote} × (${c.maxWatts} − ${c.minWatts})) W × PUE ${c.pue}`,
  );
}

export function energy(component: string, kWh: number, gPerKWh: number, formula: string): CarbonLine {
  return {
    component,
    kWh,
    kgCO2e: (kWh * gPerKWh) / 1000,
    formula: `${formula} = ${round(kWh)} kWh × ${gPerKWh} g/kWh`,
  };
}

const HDD_TYPES = new Set(["st1", "sc1", "standard", "pd-standard", "Standard_LRS"]);

function volumeLines(volume: VolumeDemand, count: number, basis: EnvironmentBasis): Lines {
  const gib = (volume.storageBytes / GIB) * count;
  const type = volume.volumeType;
  const { settings, carbon: c } = basis;
  const assumptions: string[] = [];
  let price = settings.cloud === "aws" && type ? volumePrice(settings.region, type) : undefined;
  let source = "aws-ebs-prices";
  if (price === undefined) {
    price = openCostDefaults().storage * HOURS_PER_MONTH;
    source = "opencost-default-prices";
    assumptions.push(
      type
        ? `no ${settings.cloud} price for ${type} volumes in ${settings.region}: OpenCost's default storage price is used`
        : "the volume type is unknown: OpenCost's default storage price is used",
    );
  }
  const hdd = type !== undefined && HDD_TYPES.has(type);
  const whPerTBHour = hdd ? c.hddWhPerTBHour : c.ssdWhPerTBHour;
  const tbHours = (gib / 1000) * HOURS_PER_MONTH;
  const kWh = (tbHours * whPerTBHour * c.pue * c.volumeReplication) / 1000;
  const label = `Storage (${type ?? "unknown type"})`;
  return {
    cost: [line(label, gib, "GiB-months", price, [source])],
    carbon: [
      energy(
        label,
        kWh,
        c.grid.gPerKWh,
        `${round(tbHours)} TB-h × ${whPerTBHour} Wh/TB-h (${hdd ? "HDD" : "SSD"}) × PUE ${c.pue} × ${c.volumeReplication} copies`,
      ),
    ],
    assumptions,
  };
}

const LOAD_BALANCER_ITEMS = {
  classic: "classic-load-balancer",
  network: "network-load-balancer",
  application: "application-load-balancer",
} as const;

function estimateLoadBalancer(demand: LoadBalancerDemand, basis: EnvironmentBasis): ResourceEstimate {
  const none = { cost: [], carbon: [], assumptions: [] };
  if (demand.sharedWith) {
    return {
      monthlyCost: 0,
      monthlyCarbonKg: 0,
      ...none,
      assumptions: [`shares the load balancer of ${demand.sharedWith}`],
    };
  }
  const { cloud, region } = basis.settings;
  const price = cloud === "aws" ? loadBalancerPrice(region, LOAD_BALANCER_ITEMS[demand.flavour]) : undefined;
  if (price === undefined) {
    const unestimated = `no ${cloud} price for a ${demand.flavour} load balancer in ${region}`;
    return { monthlyCost: null, monthlyCarbonKg: null, ...none, unestimated };
  }
  const cost = [
    line(`${capitalise(demand.flavour)} load balancer`, HOURS_PER_MONTH, "hours", price, [
      "aws-load-balancer-prices",
    ]),
  ];
  return {
    monthlyCost: cost[0]?.monthlyCost ?? 0,
    monthlyCarbonKg: null,
    cost,
    carbon: [],
    unestimated: "CCF's method has no energy coefficient for load balancers; their carbon is not estimated",
    assumptions: ["usage charges (LCUs, data processed) are not included"],
  };
}

function line(
  component: string,
  quantity: number,
  unit: string,
  unitPrice: number,
  sources: string[],
): CostLine {
  return { component, quantity, unit, unitPrice, monthlyCost: quantity * unitPrice, sources };
}

function merge(target: Lines, extra: Lines): void {
  target.cost.push(...extra.cost);
  target.carbon.push(...extra.carbon);
  target.assumptions.push(...extra.assumptions);
}

function sum(values: number[]): number {
  return values.reduce((a, b) => a + b, 0);
}

function round(value: number): string {
  return Number(value.toPrecision(4)).toString();
}

function capitalise(word: string): string {
  return word.charAt(0).toUpperCase() + word.slice(1);
}
