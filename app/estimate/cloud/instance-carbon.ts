import type { Cloud } from "../../config/environment-settings.ts";
import type { CloudLocation } from "../../model/cloud.ts";
import { type CarbonCoefficients, carbonCoefficients, embodiedPerVcpuHour } from "../basis.ts";
import { ccfConstants, ccfInstance } from "../catalog/carbon-data.ts";
import { type CarbonLine, embodied, embodiedFactor, energy, energyFactor, round } from "../lines.ts";

const bases = new Map<string, CarbonCoefficients>();

/** CCF's coefficients for a cloud and region (PUE, storage, fallback watts, grid), computed once each. */
export function locationCarbon(location: CloudLocation): CarbonCoefficients {
  const region = location.region ?? "unknown";
  const key = `${location.cloud}/${region}`;
  let basis = bases.get(key);
  if (!basis) {
    basis = carbonCoefficients({ cloud: location.cloud, region, currency: "USD" });
    bases.set(key, basis);
  }
  return basis;
}

export type InstanceCarbon = { carbon: CarbonLine[]; assumptions: string[] } | { missing: string };

/**
 * CCF's estimate for instances of one type running `instanceHours` (carbon.md §1): CPU watts between
 * the microarchitecture's idle and peak at the average utilisation, AWS's memory beyond what the
 * SPECpower server includes (GCP: all memory), and the platform's embodied emissions shared by vCPU.
 * `copies` multiplies everything (an RDS Multi-AZ standby).
 */
export function instanceCarbon(
  cloud: Cloud,
  type: string,
  instanceHours: number,
  c: CarbonCoefficients,
  shape?: { vcpus: number; memoryGiB: number },
  copies = 1,
): InstanceCarbon {
  const ccf = ccfInstance(cloud, type);
  const vcpus = ccf?.vcpus ?? shape?.vcpus;
  if (vcpus === undefined) return { missing: `${type} has no CCF coefficients and its vCPUs are unknown` };
  const constants = ccfConstants(cloud);
  const hours = instanceHours * copies;
  const assumptions: string[] = [];
  const u = c.utilisation / 100;
  const min = ccf?.min_watts ?? constants.min_watts_fallback;
  const max = ccf?.max_watts ?? constants.max_watts_fallback;
  if (!ccf || ccf.min_max_is_cloud_average) {
    assumptions.push(`CCF has no power coefficients for ${type}'s CPU: CCF's ${cloud} average is used`);
  }
  const baseline = ccf?.burstable_baseline_pct;
  const cpuHours = vcpus * hours * (baseline === undefined ? 1 : baseline / 50);
  const scaled = baseline === undefined ? "" : ` × ${baseline}% baseline / 50%`;
  const watts = min + u * (max - min);
  const copiesText = copies === 1 ? "" : ` × ${copies} copies`;
  const grid = c.grid.gPerKWh;
  const cpu = energyFactor(
    "vCPU-h",
    `(${min} + ${u} × (${max} − ${min})) W × PUE ${c.pue}`,
    (watts * c.pue) / 1000,
    grid,
  );
  const carbon: CarbonLine[] = [
    energy(
      "CPU",
      cpuHours,
      cpu,
      (cpuHours * watts * c.pue) / 1000,
      `${vcpus} vCPU × ${round(instanceHours)} h${copiesText}${scaled}`,
    ),
  ];
  const memoryGb = cloud === "gcp" ? (ccf?.memory_gib ?? shape?.memoryGiB) : ccf?.additional_memory_gb;
  if (memoryGb) {
    const what = cloud === "gcp" ? "GiB" : "GB beyond the reference server's";
    const memory = energyFactor(
      "GB-h",
      `${c.memoryKWhPerGiBHour} kWh/GB-h × PUE ${c.pue}`,
      c.memoryKWhPerGiBHour * c.pue,
      grid,
    );
    carbon.push(
      energy(
        "Memory",
        memoryGb * hours,
        memory,
        memoryGb * hours * c.memoryKWhPerGiBHour * c.pue,
        `${round(memoryGb)} ${what} × ${round(hours)} h`,
      ),
    );
  } else if (cloud === "azure") {
    assumptions.push("memory beyond the reference server's is not estimated for Azure");
  }
  const gpus = ccf?.gpu_count ?? 0;
  if (gpus > 0 && ccf?.gpu_min_watts !== undefined && ccf.gpu_max_watts !== undefined) {
    const gpuWatts = ccf.gpu_min_watts + u * (ccf.gpu_max_watts - ccf.gpu_min_watts);
    const gpu = energyFactor("GPU-h", `${round(gpuWatts)} W × PUE ${c.pue}`, (gpuWatts * c.pue) / 1000, grid);
    carbon.push(
      energy(
        "GPU",
        gpus * hours,
        gpu,
        (gpus * hours * gpuWatts * c.pue) / 1000,
        `${gpus} GPU × ${round(hours)} h`,
      ),
    );
  }
  const share = ccf && embodiedPerVcpuHour(ccf, constants.server_expected_lifespan_hours);
  if (share) {
    const factor = embodiedFactor(
      "vCPU-h",
      `${share.kg.toPrecision(4)} kg per vCPU-h (${share.basis})`,
      share.kg,
    );
    carbon.push(
      embodied(
        "Embodied",
        vcpus * hours,
        factor,
        share.kg * vcpus * hours,
        `${vcpus} vCPU × ${round(hours)} h`,
      ),
    );
  } else {
    assumptions.push(`CCF has no embodied emissions for ${type}: not included`);
  }
  return { carbon, assumptions };
}
