import { type CarbonCoefficients, HOURS_PER_MONTH } from "./basis.ts";
import { type CarbonLine, energy, energyFactor } from "./lines.ts";

const HDD_TYPES = new Set(["st1", "sc1", "standard", "pd-standard", "Standard_LRS"]);

/** CCF storage energy: TB-hours × SSD or HDD watt-hours per TB-hour × PUE × copies kept. */
export function storageEnergy(
  label: string,
  gb: number,
  type: string | undefined,
  c: CarbonCoefficients,
  replication: number,
): CarbonLine {
  const hdd = type !== undefined && HDD_TYPES.has(type);
  const whPerTBHour = hdd ? c.hddWhPerTBHour : c.ssdWhPerTBHour;
  const tbHours = (gb / 1000) * HOURS_PER_MONTH;
  const kWh = (tbHours * whPerTBHour * c.pue * replication) / 1000;
  const factor = energyFactor(
    "TB-h",
    `${whPerTBHour} Wh/TB-h (${hdd ? "HDD" : "SSD"}) × PUE ${c.pue} × ${replication} copies`,
    (whPerTBHour * c.pue * replication) / 1000,
    c.grid.gPerKWh,
  );
  return energy(label, tbHours, factor, kWh);
}
