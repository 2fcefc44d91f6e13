import type { EnvironmentSettings } from "../config/environment-settings.ts";
import {
  type CcfInstance,
  ccfConstants,
  ccfInstance,
  type GridFactor,
  gridFactor,
} from "./catalog/carbon-data.ts";
import { type NodeOffer, nodeOffer, openCostDefaults } from "./catalog/prices.ts";

export const HOURS_PER_MONTH = 730;

/** What every estimate in one environment is computed from, with the source of each number. */
export type EnvironmentBasis = {
  environment: string;
  settings: EnvironmentSettings;
  /** Where the settings came from; undefined when built-in defaults apply. */
  settingsFile?: string;
  compute: ComputePrices;
  carbon: CarbonCoefficients;
};

export type ComputePrices = {
  /** USD per vCPU-hour, GiB-hour of memory and GPU-hour. */
  cpu: number;
  ram: number;
  gpu: number;
  method: "node-price-split" | "opencost-default" | "opencost-observed";
  node?: NodeOffer;
  /** Why OpenCost's defaults were used, when they were. */
  reason?: string;
  sources: string[];
  /** opencost-observed: OpenCost gives no GPU price, so `gpu` is still that of this method and sources. */
  gpuFrom?: { method: "node-price-split" | "opencost-default"; sources: string[] };
};

export type CarbonCoefficients = {
  pue: number;
  /** Watts per vCPU at idle and at 100 %. */
  minWatts: number;
  maxWatts: number;
  wattsBasis: string;
  /** Average CPU utilisation, percent. */
  utilisation: number;
  utilisationBasis: string;
  memoryKWhPerGiBHour: number;
  ssdWhPerTBHour: number;
  hddWhPerTBHour: number;
  /** Copies a cloud keeps of a block volume (CCF's replication factor). */
  volumeReplication: number;
  grid: GridFactor;
  /** Embodied kgCO2e per vCPU-hour of the node type; undefined when no node type is known. */
  embodiedKgPerVcpuHour?: number;
  embodiedBasis?: string;
  gpuMinWatts?: number;
  gpuMaxWatts?: number;
  sources: string[];
};

const VOLUME_REPLICATION_KEY = { aws: "EC2_EBS_VOLUME", azure: "STORAGE_DISKS", gcp: "DEFAULT" } as const;

export function environmentBasis(
  environment: string,
  settings: EnvironmentSettings,
  settingsFile?: string,
): EnvironmentBasis {
  const basis: EnvironmentBasis = {
    environment,
    settings,
    compute: computePrices(settings),
    carbon: carbonCoefficients(settings),
  };
  if (settingsFile) basis.settingsFile = settingsFile;
  return basis;
}

/**
 * Prices of one vCPU-hour, GiB-hour and GPU-hour: the node type's on-demand price split between them in
 * the proportion of OpenCost's default prices (OpenCost pkg/costmodel/costmodel.go), or those default
 * prices themselves when the node type or its regional price is unknown.
 */
function computePrices(settings: EnvironmentSettings): ComputePrices {
  const defaults = openCostDefaults();
  const fallback = (reason: string, sources: string[] = []): ComputePrices => ({
    cpu: defaults.cpu,
    ram: defaults.ram,
    gpu: defaults.gpu,
    method: "opencost-default",
    reason,
    sources: [...sources, "opencost-default-prices"],
  });
  const type = settings.nodeInstanceType;
  if (!type) return fallback("the environment names no node instance type");
  const lookup = nodeOffer(settings.cloud, settings.region, type);
  if ("missing" in lookup) {
    const reason = {
      type: `${type} is not in the ${settings.cloud} price table`,
      region: `the price table has no ${settings.region} price for ${type}`,
      shape: `the vCPUs and memory of ${type} are unknown`,
    }[lookup.missing];
    return fallback(reason, lookup.source ? [lookup.source] : []);
  }
  const { offer } = lookup;
  const cpuToRam = defaults.cpu / defaults.ram;
  const gpuToRam = defaults.gpu / defaults.ram;
  const ram = offer.usdPerHour / (offer.gpus * gpuToRam + offer.vcpus * cpuToRam + offer.memoryGiB);
  return {
    cpu: ram * cpuToRam,
    ram,
    gpu: ram * gpuToRam,
    method: "node-price-split",
    node: offer,
    sources: [offer.source, "opencost-default-prices"],
  };
}

export function carbonCoefficients(settings: EnvironmentSettings): CarbonCoefficients {
  const constants = ccfConstants(settings.cloud);
  const instance = settings.nodeInstanceType
    ? ccfInstance(settings.cloud, settings.nodeInstanceType)
    : undefined;
  const coefficients: CarbonCoefficients = {
    pue: constants.pue,
    minWatts: instance?.min_watts ?? constants.min_watts_fallback,
    maxWatts: instance?.max_watts ?? constants.max_watts_fallback,
    wattsBasis: wattsBasis(settings, instance),
    utilisation: constants.avg_cpu_utilization_percent_fallback,
    utilisationBasis: "CCF's default average CPU utilisation (no telemetry)",
    memoryKWhPerGiBHour: constants.memory_kwh_per_gb_hour,
    ssdWhPerTBHour: constants.ssd_wh_per_tb_hour,
    hddWhPerTBHour: constants.hdd_wh_per_tb_hour,
    volumeReplication: constants.replication_factors[VOLUME_REPLICATION_KEY[settings.cloud]] ?? 1,
    grid: gridFactor(settings.cloud, settings.region),
    sources: ["ccf-constants", "ccf-region-emission-factors", "ccf-instance-coefficients"],
  };
  const embodied = instance && embodiedPerVcpuHour(instance, constants.server_expected_lifespan_hours);
  if (embodied) {
    coefficients.embodiedKgPerVcpuHour = embodied.kg;
    coefficients.embodiedBasis = embodied.basis;
  }
  if (instance?.gpu_min_watts !== undefined && instance.gpu_max_watts !== undefined) {
    coefficients.gpuMinWatts = instance.gpu_min_watts;
    coefficients.gpuMaxWatts = instance.gpu_max_watts;
  }
  return coefficients;
}

/** Burstable families and the non-burstable family whose largest size CCF's methodology shares them by. */
const BURSTABLE_COUNTERPART: Record<string, string> = { t2: "m4", t3: "m5", t3a: "m5a", t4g: "m6g" };

/**
 * CCF/SCI embodied share: platform kgCO2e × hours / lifespan × vCPUs / vCPUs of the family's largest size.
 * For burstable types CCF's methodology (EmbodiedEmissions.md) uses the closest non-burstable family's
 * largest size; CCF's code uses the burstable family's own (8 vCPUs), which inflates the share 8–12×.
 * We follow the documented method.
 */
export function embodiedPerVcpuHour(
  instance: CcfInstance,
  lifespanHours: number,
): { kg: number; basis: string } | undefined {
  if (instance.embodied_kgco2e === undefined || instance.family_largest_vcpus === undefined) return undefined;
  const family = instance.instance_type.split(".")[0] ?? "";
  const counterpart = BURSTABLE_COUNTERPART[family];
  const largest = counterpart ? ccfInstance("aws", `${counterpart}.large`)?.family_largest_vcpus : undefined;
  const share = largest ?? instance.family_largest_vcpus;
  const basis = largest
    ? `${instance.embodied_kgco2e} kg for the platform over ${lifespanHours} h, shared by the ${share} vCPUs of the largest ${counterpart} (CCF's rule for burstable ${family})`
    : `${instance.embodied_kgco2e} kg for the platform over ${lifespanHours} h, shared by the ${share} vCPUs of the largest ${family}`;
  return { kg: instance.embodied_kgco2e / lifespanHours / share, basis };
}

function wattsBasis(settings: EnvironmentSettings, instance: ReturnType<typeof ccfInstance>): string {
  if (!settings.nodeInstanceType) return `CCF's ${settings.cloud} average (no node instance type)`;
  if (!instance)
    return `CCF's ${settings.cloud} average (${settings.nodeInstanceType} has no CCF coefficients)`;
  if (instance.min_max_is_cloud_average) {
    return `CCF's ${settings.cloud} average (CCF has no coefficient for ${instance.microarchitecture}, the CPU of ${instance.instance_type})`;
  }
  return `${instance.instance_type} (${instance.microarchitecture.replaceAll("|", ", ")})`;
}
