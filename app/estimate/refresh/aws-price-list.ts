/**
 * Refreshes the AWS catalogs for every region from AWS's public Price List bulk files, which need
 * no credentials:
 *
 *   node app/estimate/refresh/aws-price-list.ts [--regions us-east-1,eu-west-1] [--offers <directory>]
 *
 * For each service (AmazonEC2 with EBS, NAT gateways, load balancers and public IPs; AmazonRDS;
 * AmazonEKS; AmazonElastiCache; AWSLambda) it reads
 * https://pricing.us-east-1.amazonaws.com/offers/v1.0/aws/<service>/current/region_index.json and
 * streams each region's offer file as CSV (`…/<region>/index.csv`; AmazonEC2 is several hundred MB
 * per region), keeping on-demand rows only. `--offers` reads `<service>/<region>.csv` files
 * downloaded beforehand instead. It rewrites aws-ec2-prices.csv, aws-ebs-prices.csv,
 * aws-load-balancer-prices.csv, aws-rds-prices.csv, aws-eks-prices.csv, aws-elasticache-prices.csv
 * and aws-lambda-prices.csv, and the asOf dates of catalog.json; the SOURCE notes are to be updated
 * by hand (origin and date).
 *
 * Written against the offer-file CSV format (FormatVersion v1.0). AWS's endpoints are not reachable
 * from the machine this was written on, so the filters are tested on sample rows
 * (test/estimate/refresh.test.ts), not on a full download.
 */
import { createReadStream, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { Readable } from "node:stream";
import { splitRows } from "../catalog/csv.ts";
import { type Cell, toCsv, writeData } from "./repo-files.ts";

const ENDPOINT = "https://pricing.us-east-1.amazonaws.com";
export const SERVICES = ["AmazonEC2", "AmazonRDS", "AmazonEKS", "AmazonElastiCache", "AWSLambda"] as const;
type Service = (typeof SERVICES)[number];

/** One row of an offer file, keyed by the CSV header (SKU, TermType, PricePerUnit, Instance Type, …). */
export type OfferRow = Record<string, string>;

/** A catalog row, in the columns of the catalog's CSV. */
type Out = Record<string, Cell>;

const onDemand = (row: OfferRow) =>
  row.TermType === "OnDemand" && row.Currency === "USD" && Number(row.PricePerUnit) > 0;
const price = (row: OfferRow) => Number(row.PricePerUnit);
const derivation = (service: string, version: string) => `AWS Price List ${service} ${version}`;

const RDS_ENGINES: Record<string, string> = {
  MySQL: "mysql",
  PostgreSQL: "postgres",
  MariaDB: "mariadb",
  "Aurora MySQL": "aurora-mysql",
  "Aurora PostgreSQL": "aurora-postgresql",
};
const RDS_STORAGE: Record<string, string> = {
  "General Purpose": "storage-gp2",
  "General Purpose-GP3": "storage-gp3",
  "Provisioned IOPS": "storage-io1",
  Magnetic: "storage-magnetic",
};
const LOAD_BALANCERS: Record<string, string> = {
  "Load Balancer": "classic-load-balancer",
  "Load Balancer-Application": "application-load-balancer",
  "Load Balancer-Network": "network-load-balancer",
};

/** What each offer row becomes, if anything: the catalog and the row, for one region. */
export function classify(
  service: Service,
  row: OfferRow,
  region: string,
  version: string,
): { catalog: string; row: Out } | undefined {
  if (!onDemand(row)) return undefined;
  const family = row["Product Family"] ?? "";
  const usage = row.usageType ?? row.usagetype ?? "";
  const d = derivation(service, version);
  if (service === "AmazonEC2") {
    if (
      family.startsWith("Compute Instance") &&
      row["Operating System"] === "Linux" &&
      row["Pre Installed S/W"] === "NA" &&
      row.CapacityStatus === "Used" &&
      row["License Model"] === "No License required" &&
      (row.Tenancy === "Shared" || (family.includes("bare metal") && row.Tenancy === "Dedicated")) &&
      (row.MarketOption ?? "OnDemand") === "OnDemand"
    ) {
      return {
        catalog: "aws-ec2-prices.csv",
        row: {
          instance_type: row["Instance Type"],
          vcpu: Number(row.vCPU),
          memory_gib: Number.parseFloat(row.Memory ?? ""),
          arch: /graviton|arm/i.test(`${row["Physical Processor"]} ${row["Processor Architecture"]}`)
            ? "arm64"
            : "x86_64",
          gpu_count: Number(row.GPU || 0),
          [`on_demand_linux_usd_per_hour_${region}`]: price(row),
        },
      };
    }
    const volume = row["Volume API Name"];
    if (family === "Storage" && volume) return ebs(region, volume, "storage", "GB-month", row, d);
    if (/EBS:VolumeP-IOPS\.piops$/.test(usage)) return ebs(region, "io1", "iops", "IOPS-month", row, d);
    if (/EBS:VolumeP-IOPS\.io2$/.test(usage) && Number(row.StartingRange || 0) === 0) {
      return ebs(region, "io2", "iops_first_tier", "IOPS-month", row, d);
    }
    if (/EBS:VolumeP-IOPS\.gp3$/.test(usage))
      return ebs(region, "gp3", "iops_above_3000", "IOPS-month", row, d);
    if (/EBS:VolumeP-Throughput\.gp3$/.test(usage))
      return ebs(region, "gp3", "throughput_above_125", "MBps-month", row, d);
    if (/EBS:SnapshotUsage$/.test(usage)) return ebs(region, "snapshot", "storage", "GB-month", row, d);
    const item =
      family === "NAT Gateway" && usage.endsWith("NatGateway-Hours")
        ? "nat-gateway"
        : family === "IP Address" && /(PublicIPv4|ElasticIP):IdleAddress$/.test(usage)
          ? "elastic-ip-unused"
          : usage.endsWith("LoadBalancerUsage")
            ? LOAD_BALANCERS[family]
            : undefined;
    if (item) return hourly("aws-load-balancer-prices.csv", { region, item }, row, d);
    return undefined;
  }
  if (service === "AmazonRDS") {
    const deployment = row["Deployment Option"] === "Multi-AZ" ? "multi-az" : "single-az";
    if (family === "Database Instance" && row["Deployment Option"]?.match(/^(Single|Multi)-AZ$/)) {
      const engine = RDS_ENGINES[row["Database Engine"] ?? ""];
      if (!engine || (row["License Model"] ?? "No license required") !== "No license required")
        return undefined;
      return rds(
        {
          region,
          engine,
          instance_class_or_item: row["Instance Type"],
          deployment,
          component: "instance",
          unit: "hour",
        },
        row,
        d,
      );
    }
    const storage = RDS_STORAGE[row["Volume Type"] ?? ""];
    if (family === "Database Storage" && storage && row["Database Engine"] === "Any") {
      return rds({ region, engine: "any", deployment, component: storage, unit: "GB-month" }, row, d);
    }
    if (family === "Provisioned IOPS" && row["Database Engine"] === "Any") {
      return rds(
        { region, engine: "any", deployment, component: "storage-io1-iops", unit: "IOPS-month" },
        row,
        d,
      );
    }
    return undefined;
  }
  if (service === "AmazonEKS") {
    const item = usage.endsWith("AmazonEKS-Hours:perCluster")
      ? "cluster"
      : usage.endsWith("AmazonEKS-Hours:extendedSupport")
        ? "cluster-extended-support"
        : undefined;
    return item ? hourly("aws-eks-prices.csv", { region, item }, row, d) : undefined;
  }
  if (service === "AmazonElastiCache") {
    if (family !== "Cache Instance" || !row["Instance Type"]) return undefined;
    const engine = (row["Cache Engine"] ?? "").toLowerCase();
    return hourly("aws-elasticache-prices.csv", { region, node_type: row["Instance Type"], engine }, row, d);
  }
  const group = row.Group ?? "";
  const architecture = group.endsWith("-ARM") ? "arm64" : "x86_64";
  const tier = {
    tier_from_gb_seconds: Number(row.StartingRange || 0),
    tier_to_gb_seconds: row.EndingRange === "Inf" ? undefined : Number(row.EndingRange),
  };
  if (/^AWS-Lambda-Requests(-ARM)?$/.test(group)) {
    return lambda(
      {
        region,
        architecture,
        item: "requests",
        tier_from_gb_seconds: 0,
        unit: "1M requests",
        usd_per_unit: Number((price(row) * 1e6).toPrecision(12)),
      },
      d,
    );
  }
  if (/^AWS-Lambda-Duration(-ARM)?$/.test(group)) {
    return lambda(
      { region, architecture, item: "duration", ...tier, unit: "GB-seconds", usd_per_unit: price(row) },
      d,
    );
  }
  if (group === "AWS-Lambda-Storage-Duration") {
    return lambda(
      {
        region,
        architecture: "x86_64",
        item: "ephemeral-storage",
        tier_from_gb_seconds: 0,
        unit: "GB-seconds",
        usd_per_unit: price(row),
      },
      d,
    );
  }
  return undefined;
}

function ebs(region: string, volume: string, component: string, unit: string, row: OfferRow, d: string) {
  return {
    catalog: "aws-ebs-prices.csv",
    row: { region, volume_type: volume, component, unit, usd_per_unit: price(row), derivation: d },
  };
}

function hourly(catalog: string, keys: Out, row: OfferRow, d: string) {
  return { catalog, row: { ...keys, unit: "hour", usd_per_unit: price(row), derivation: d } };
}

function rds(keys: Out, row: OfferRow, d: string) {
  return { catalog: "aws-rds-prices.csv", row: { ...keys, usd_per_unit: price(row), derivation: d } };
}

function lambda(keys: Out, d: string) {
  return { catalog: "aws-lambda-prices.csv", row: { ...keys, derivation: d } };
}

/** An offer file's lines: five lines of metadata (FormatVersion, Disclaimer, Publication Date, Version, OfferCode), the header, rows. */
export async function* offerRows(
  lines: AsyncIterable<string>,
): AsyncGenerator<OfferRow | { version: string }> {
  let header: string[] | undefined;
  for await (const line of lines) {
    if (!header) {
      const [key, value] = parseCsvLine(line);
      if (key === "Version" && value) yield { version: value };
      if (key === "SKU") header = parseCsvLine(line);
      continue;
    }
    const cells = parseCsvLine(line);
    yield Object.fromEntries(header.map((name, i) => [name, cells[i] ?? ""]));
  }
}

function parseCsvLine(line: string): string[] {
  return splitRows(line)[0] ?? [];
}

/** The catalogs' rows from the offer files of the regions given. */
export async function collect(
  regions: string[],
  open: (service: Service, region: string) => Promise<AsyncIterable<string>>,
): Promise<{ rows: Map<string, Out[]>; versions: Map<Service, string> }> {
  const rows = new Map<string, Out[]>();
  const versions = new Map<Service, string>();
  for (const service of SERVICES) {
    for (const region of regions) {
      let version = "";
      for await (const row of offerRows(await open(service, region))) {
        if ("version" in row) {
          version = row.version as string;
          versions.set(service, version);
          continue;
        }
        const found = classify(service, row as OfferRow, region, version);
        if (!found) continue;
        let list = rows.get(found.catalog);
        if (!list) {
          list = [];
          rows.set(found.catalog, list);
        }
        list.push(found.row);
      }
    }
  }
  return { rows, versions };
}

/** EC2 rows of every region folded into one row per instance type, one price column per region. */
export function widen(rows: Out[]): Out[] {
  const byType = new Map<string, Out>();
  for (const row of rows)
    byType.set(String(row.instance_type), { ...byType.get(String(row.instance_type)), ...row });
  return [...byType.values()].sort((a, b) => String(a.instance_type).localeCompare(String(b.instance_type)));
}

function csvOf(rows: Out[]): string {
  const header = [...new Set(rows.flatMap((row) => Object.keys(row)))];
  return toCsv(
    header,
    rows.map((row) => header.map((column) => row[column])),
  );
}

async function fromNetwork(service: Service, region: string): Promise<AsyncIterable<string>> {
  const index = (await (
    await fetch(`${ENDPOINT}/offers/v1.0/aws/${service}/current/region_index.json`)
  ).json()) as {
    regions: Record<string, { currentVersionUrl: string }>;
  };
  const url = index.regions[region]?.currentVersionUrl.replace(/\.json$/, ".csv");
  if (!url) return (async function* () {})();
  const response = await fetch(`${ENDPOINT}${url}`);
  if (!response.body) throw new Error(`${service} ${region}: empty response`);
  return createInterface({
    input: Readable.fromWeb(response.body as never),
    crlfDelay: Number.POSITIVE_INFINITY,
  });
}

if (import.meta.main) {
  const args = process.argv.slice(2);
  const option = (name: string) => args[args.indexOf(name) + 1];
  const regions = (args.includes("--regions") ? option("--regions") : "us-east-1")?.split(",") ?? [];
  const offers = args.includes("--offers") ? option("--offers") : undefined;
  const open = offers
    ? async (service: Service, region: string) =>
        createInterface({
          input: createReadStream(join(offers, service, `${region}.csv`)),
          crlfDelay: Number.POSITIVE_INFINITY,
        })
    : fromNetwork;
  const { rows, versions } = await collect(regions, open);
  for (const [catalog, list] of rows)
    writeData(catalog, csvOf(catalog === "aws-ec2-prices.csv" ? widen(list) : list));
  const catalog = new URL("../data/catalog.json", import.meta.url);
  const entries = JSON.parse(readFileSync(catalog, "utf8")) as { sources: { file: string; asOf: string }[] };
  const today = new Date().toISOString().slice(0, 10);
  for (const entry of entries.sources) if (rows.has(entry.file)) entry.asOf = today;
  writeFileSync(catalog, `${JSON.stringify(entries, null, 2)}\n`);
  process.stderr.write(
    `offer versions: ${[...versions].map(([s, v]) => `${s} ${v}`).join(", ")}; update the SOURCE notes\n`,
  );
}
