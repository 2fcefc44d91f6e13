import type { CloudLocation, Disk } from "../../model/cloud.ts";
import { ebsPrice } from "../catalog/prices.ts";
import { type Lines, lines, priceLine } from "../lines.ts";
import { storageEnergy } from "../storage-energy.ts";
import { locationCarbon } from "./instance-carbon.ts";

/** Included with every gp3 volume: 3,000 IOPS and 125 MB/s (AWS EBS pricing). */
const GP3_FREE_IOPS = 3000;
const GP3_FREE_THROUGHPUT = 125;
/** io2's first IOPS tier ends here; the catalog has no price for the tiers above. */
const IO2_FIRST_TIER = 32000;

/**
 * An EBS volume's storage GB-months plus its provisioned IOPS and throughput (gp3 above the free
 * baseline, io1 all, io2 within the first tier), for `count` identical copies (an autoscaling group's
 * instances).
 */
export function diskLines(disk: Disk, location: CloudLocation, count: number): Lines {
  const parts = lines({ assumptions: (disk.assumed ?? []).map((a) => `${disk.label}: ${a} assumed`) });
  const { region, cloud } = location;
  const label = `${disk.label} (${disk.volumeType})`;
  const gb = disk.sizeGb * count;
  const c = locationCarbon(location);
  parts.carbon.push(storageEnergy(label, gb, disk.volumeType, c, c.volumeReplication));
  if (cloud !== "aws") {
    parts.unpriced.push(`${cloud} disk prices are not in the catalogs`);
    return parts;
  }
  const storage = region ? ebsPrice(region, disk.volumeType, "storage") : undefined;
  if (storage === undefined) {
    parts.unpriced.push(`no price for ${disk.volumeType} volumes in ${region ?? "an unknown region"}`);
    return parts;
  }
  parts.cost.push(priceLine(`${label} storage`, gb, "GB-months", storage));
  const iops = disk.iops ?? 0;
  const extra = (component: string, name: string, quantity: number, unit: string) => {
    if (quantity <= 0) return;
    const price = ebsPrice(region as string, disk.volumeType, component);
    if (price === undefined) parts.unpriced.push(`no price for ${disk.volumeType} ${name} in ${region}`);
    else parts.cost.push(priceLine(`${label} ${name}`, quantity * count, unit, price));
  };
  switch (disk.volumeType) {
    case "gp3":
      extra("iops_above_3000", "IOPS above 3,000", iops - GP3_FREE_IOPS, "IOPS-months");
      extra(
        "throughput_above_125",
        "throughput above 125 MB/s",
        (disk.throughputMBps ?? 0) - GP3_FREE_THROUGHPUT,
        "MBps-months",
      );
      break;
    case "io1":
      extra("iops", "provisioned IOPS", iops, "IOPS-months");
      break;
    case "io2":
      extra("iops_first_tier", "provisioned IOPS", Math.min(iops, IO2_FIRST_TIER), "IOPS-months");
      if (iops > IO2_FIRST_TIER)
        parts.unpriced.push(`io2 IOPS above ${IO2_FIRST_TIER} are not in the catalog`);
      break;
    case "standard":
      parts.assumptions.push(`${disk.label}: magnetic I/O requests are billed by usage: not included`);
      break;
  }
  return parts;
}
