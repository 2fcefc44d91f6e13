import type {
  CacheDemand,
  CloudLocation,
  DatabaseDemand,
  InstanceDemand,
  PurchaseOption,
} from "../../model/cloud.ts";
import { HOURS_PER_MONTH } from "../basis.ts";
import { elasticachePrice, rdsInstancePrice, rdsStoragePrice } from "../catalog/cloud-prices.ts";
import { instancePrice, nodeOffer } from "../catalog/prices.ts";
import { type Lines, line, lines, merge, priceLine } from "../lines.ts";
import { storageEnergy } from "../storage-energy.ts";
import { diskLines } from "./disks.ts";
import { instanceCarbon, locationCarbon } from "./instance-carbon.ts";

/** Why a resource's region or purchase option keeps it from being priced, if they do. */
export function unpricedBecause(location: CloudLocation, option: PurchaseOption): string | undefined {
  if (!location.region) return "the region is unknown: set the provider's region (or the environment's)";
  if (option !== "on-demand") return `${option} capacity: the catalogs hold on-demand list prices only`;
  return undefined;
}

/** Carbon of `hours` of an instance type, added to `parts` (or why it is not estimated). */
function addInstanceCarbon(
  parts: Lines,
  location: CloudLocation,
  type: string,
  hours: number,
  copies = 1,
): void {
  const c = locationCarbon(location);
  const offer = location.region ? nodeOffer(location.cloud, location.region, type) : undefined;
  const shape = offer && "offer" in offer ? offer.offer : undefined;
  const result = instanceCarbon(location.cloud, type, hours, c, shape, copies);
  if ("missing" in result) parts.noCarbon ??= result.missing;
  else {
    parts.carbon.push(...result.carbon);
    parts.assumptions.push(...result.assumptions);
  }
}

/** EC2 instances, autoscaling groups and node groups (count × 730 h), Azure and GCP virtual machines. */
export function instanceLines(demand: InstanceDemand, option: PurchaseOption): Lines {
  const { location, instanceType: type, count } = demand;
  const parts = lines();
  const hours = count * HOURS_PER_MONTH;
  if (!type) {
    parts.unpriced.push("the instance type is unknown");
    parts.noCarbon = "the instance type is unknown";
  } else {
    const blocked =
      unpricedBecause(location, option) ??
      (demand.os === "windows" ? "Windows licence prices are not in the catalogs" : undefined) ??
      (demand.tenancy === "dedicated" ? "dedicated-tenancy prices are not in the catalogs" : undefined);
    const price = blocked ? undefined : instancePrice(location.cloud, location.region as string, type);
    if (blocked) parts.unpriced.push(blocked);
    else if (price && "missing" in price) {
      parts.unpriced.push(
        price.missing === "type"
          ? `${type} is not in the ${location.cloud} price table`
          : `the ${location.cloud} price table has no ${location.region} price for ${type}`,
      );
    } else if (price) {
      parts.cost.push(
        line(`Instance usage (Linux, on-demand, ${type})`, hours, "hours", price.usdPerHour, [price.source]),
      );
    }
    addInstanceCarbon(parts, location, type, hours);
  }
  for (const disk of demand.disks) merge(parts, diskLines(disk, location, count));
  for (const part of demand.unpricedParts ?? []) parts.unpriced.push(`${part} is not in the catalogs`);
  if (demand.template?.linked) parts.assumptions.push(`shape from ${demand.template.linked}`);
  return parts;
}

/** RDS: instance-hours (a Multi-AZ deployment runs a standby: twice the Single-AZ price when the catalog has no Multi-AZ row) and storage. */
export function databaseLines(demand: DatabaseDemand, option: PurchaseOption): Lines {
  const { location, engine, instanceClass, multiAz } = demand;
  const parts = lines();
  const deployment = multiAz ? "multi-az" : "single-az";
  const blocked = unpricedBecause(location, option) ?? (location.cloud === "aws" ? undefined : "not AWS");
  const region = location.region as string;
  if (!instanceClass) parts.unpriced.push("the instance class is unknown");
  else if (blocked) parts.unpriced.push(blocked);
  else {
    const row = rdsInstancePrice(region, engine, instanceClass, deployment);
    const single = rdsInstancePrice(region, engine, instanceClass, "single-az");
    const label = `Database instance (${engine}, ${instanceClass}, ${multiAz ? "Multi-AZ" : "Single-AZ"})`;
    if (row !== undefined) parts.cost.push(priceLine(label, HOURS_PER_MONTH, "hours", row));
    else if (multiAz && single !== undefined) {
      parts.cost.push(priceLine(label, 2 * HOURS_PER_MONTH, "instance-hours", single));
      parts.assumptions.push("Multi-AZ: a primary and a standby, each at the Single-AZ price");
    } else parts.unpriced.push(`no price for ${engine} ${instanceClass} in ${region}`);
  }
  const copies = multiAz ? 2 : 1;
  if (instanceClass)
    addInstanceCarbon(parts, location, instanceClass.replace(/^db\./, ""), HOURS_PER_MONTH, copies);
  if (demand.storage && !blocked) merge(parts, databaseStorageLines(demand, region, copies));
  return parts;
}

/** Storage and provisioned IOPS above what each type includes (Infracost's db_instance_test rules). */
function databaseStorageLines(demand: DatabaseDemand, region: string, copies: number): Lines {
  const storage = demand.storage;
  const parts = lines();
  if (!storage) return parts;
  const deployment = demand.multiAz ? "multi-az" : "single-az";
  const add = (component: string, name: string, quantity: number, unit: string) => {
    if (quantity <= 0) return;
    const price = rdsStoragePrice(region, component, deployment);
    const single = rdsStoragePrice(region, component, "single-az");
    if (price !== undefined) parts.cost.push(priceLine(name, quantity, unit, price));
    else if (single !== undefined && demand.multiAz) {
      parts.cost.push(priceLine(`${name}, both copies`, quantity * 2, unit, single));
    } else parts.unpriced.push(`no price for ${name} (${deployment}) in ${region}`);
  };
  const gb = storage.sizeGb;
  const iops = storage.iops ?? 0;
  switch (storage.volumeType) {
    case "gp2":
      add("storage-gp2", "Storage (gp2)", gb, "GB-months");
      break;
    case "gp3":
      add("storage-gp3", "Storage (gp3)", gb, "GB-months");
      add(
        "storage-gp3-iops-above-baseline",
        "Provisioned IOPS above the baseline",
        iops - (gb < 400 ? 3000 : 12000),
        "IOPS-months",
      );
      break;
    case "io1":
      add("storage-io1", "Storage (io1, at least 100 GB)", Math.max(gb, 100), "GB-months");
      add("storage-io1-iops", "Provisioned IOPS (at least 1,000)", Math.max(iops, 1000), "IOPS-months");
      break;
    case "standard":
      add("storage-magnetic", "Storage (magnetic)", gb, "GB-months");
      parts.assumptions.push("magnetic I/O requests are billed by usage: not included");
      break;
    default:
      parts.unpriced.push(`no price for ${storage.volumeType} database storage`);
  }
  for (const assumed of storage.assumed ?? []) parts.assumptions.push(`storage: ${assumed} assumed`);
  const c = locationCarbon(demand.location);
  parts.carbon.push(storageEnergy(`Storage (${storage.volumeType})`, gb, storage.volumeType, c, copies));
  return parts;
}

/** ElastiCache: nodes × 730 h at the node type's price for the engine. */
export function cacheLines(demand: CacheDemand, option: PurchaseOption): Lines {
  const { location, nodeType, nodes, engine } = demand;
  const parts = lines();
  const hours = nodes * HOURS_PER_MONTH;
  if (!nodeType) {
    parts.unpriced.push("the node type is unknown");
    parts.noCarbon = "the node type is unknown";
    return parts;
  }
  const blocked = unpricedBecause(location, option);
  const price = blocked ? undefined : elasticachePrice(location.region as string, nodeType, engine);
  if (blocked) parts.unpriced.push(blocked);
  else if (price === undefined)
    parts.unpriced.push(`no price for ${engine} ${nodeType} nodes in ${location.region}`);
  else parts.cost.push(priceLine(`ElastiCache (${engine}, ${nodeType})`, hours, "hours", price));
  addInstanceCarbon(parts, location, nodeType.replace(/^cache\./, ""), hours);
  return parts;
}
