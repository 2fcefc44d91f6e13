import type { Cloud } from "../../config/environment-settings.ts";
import { lazy, loadJson, loadTable } from "./table.ts";

export type CcfInstance = {
  cloud: Cloud;
  instance_type: string;
  vcpus: number;
  memory_gib: number;
  microarchitecture: string;
  min_watts: number;
  max_watts: number;
  min_max_is_cloud_average: boolean;
  embodied_kgco2e?: number;
  embodied_kgco2e_per_instance_hour?: number;
  family_largest_vcpus?: number;
  /** AWS: GB of memory beyond what CCF's reference (SPECpower) server includes, per instance. */
  additional_memory_gb?: number;
  burstable_baseline_pct?: number;
  gpu_count?: number;
  gpu_model?: string;
  gpu_min_watts?: number;
  gpu_max_watts?: number;
};

const instances = lazy(() => {
  const rows = loadTable<CcfInstance>("ccf-instance-coefficients.csv");
  return new Map(rows.map((row) => [key(row.cloud, row.instance_type), row]));
});

/** Azure sizes are case-insensitive; the other clouds' types are not. */
function key(cloud: Cloud, name: string): string {
  return cloud === "azure" ? `${cloud}/${name.toLowerCase()}` : `${cloud}/${name}`;
}

/** CCF's coefficients for an instance type (Azure sizes are looked up as CCF names them: "D2s v5"). */
export function ccfInstance(cloud: Cloud, type: string): CcfInstance | undefined {
  const name = cloud === "azure" ? type.replace(/^Standard_/i, "").replaceAll("_", " ") : type;
  return instances().get(key(cloud, name));
}

export type GridFactor = { gPerKWh: number; year?: number; source: string; regionKnown: boolean };

type GridRow = { cloud: Cloud; region: string; gco2e_per_kwh: number; source_year?: number; source: string };

const grid = lazy(() => {
  const rows = loadTable<GridRow>("ccf-region-emission-factors.csv");
  return new Map(rows.map((row) => [`${row.cloud}/${row.region.toLowerCase()}`, row]));
});

/** The location-based grid factor of a region; CCF's cloud average ("Unknown") when the region is not listed. */
export function gridFactor(cloud: Cloud, region: string): GridFactor {
  const row = grid().get(`${cloud}/${region.toLowerCase()}`);
  const used = row ?? grid().get(`${cloud}/unknown`);
  if (!used) throw new Error(`ccf-region-emission-factors.csv has no "Unknown" row for ${cloud}`);
  const factor: GridFactor = {
    gPerKWh: used.gco2e_per_kwh,
    source: used.source,
    regionKnown: row !== undefined,
  };
  if (used.source_year !== undefined) factor.year = used.source_year;
  return factor;
}

export type CcfConstants = {
  pue: number;
  min_watts_fallback: number;
  max_watts_fallback: number;
  ssd_wh_per_tb_hour: number;
  hdd_wh_per_tb_hour: number;
  memory_kwh_per_gb_hour: number;
  avg_cpu_utilization_percent_fallback: number;
  server_expected_lifespan_hours: number;
  replication_factors: Record<string, number>;
};

const constants = lazy(() => loadJson<Record<Cloud, CcfConstants>>("ccf-constants.json"));

export function ccfConstants(cloud: Cloud): CcfConstants {
  return constants()[cloud];
}
