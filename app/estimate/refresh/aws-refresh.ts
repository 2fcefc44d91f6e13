import type { CatalogTable } from "../catalog/catalog-files.ts";
import type { TableBuilder, TableData } from "../catalog/price-table.ts";
import { builderFor, type TableId } from "../catalog/tables.ts";
import {
  AWS_SERVICES,
  type AwsService,
  type ProductRow,
  productRow,
  SERVICE_TABLES,
} from "./aws-products.ts";
import { readOfferFile } from "./offer-file.ts";
import { download, downloadJson, RefreshError } from "./price-lists.ts";

/**
 * AWS's Price List bulk files, read as AWS documents them ("Getting price list files using the AWS
 * Price List Bulk API"): for each service `/offers/v1.0/aws/<offer>/current/region_index.json`
 * ({formatVersion, publicationDate, regions: {<code>: {regionCode, currentVersionUrl}}}), then each
 * region's offer file at its currentVersionUrl, streamed.
 */
export type AwsRefresh = {
  baseUrl: string;
  services: AwsService[];
  /** Region codes to read; default: every commercial region of the index. */
  regions?: string[];
  retrievedAt: string;
  log: (line: string) => void;
};

/** Commercial regions: not GovCloud, China, the European Sovereign Cloud or isolated regions. */
const COMMERCIAL = /^(?!us-gov-|cn-|eusc-|us-iso)[a-z]{2}-[a-z]+-\d+$/;

const TITLES: Record<string, string> = {
  "aws-ec2-prices": "AWS EC2 on-demand Linux prices",
  "aws-ebs-prices": "AWS EBS volume, IOPS, throughput and snapshot prices",
  "aws-load-balancer-prices": "AWS load balancer, NAT gateway and idle IPv4 hourly prices",
  "aws-rds-prices": "AWS RDS instance (open-source engines) and storage prices",
  "aws-eks-prices": "AWS EKS cluster hourly prices",
  "aws-elasticache-prices": "AWS ElastiCache node hourly prices",
};

type Read = { offer: string; version: string; published: string };

export async function refreshAws(
  options: AwsRefresh,
): Promise<{ tables: TableData[]; entries: CatalogTable[] }> {
  const builders = new Map<TableId, TableBuilder>();
  const reads = new Map<TableId, Read[]>();
  for (const service of options.services) {
    const offer = AWS_SERVICES[service];
    const index = await regionIndex(options.baseUrl, offer);
    const regions = chosenRegions(index, options.regions, offer, options.log);
    let duplicates = 0;
    let priced = 0;
    for (const table of SERVICE_TABLES[service])
      if (!builders.has(table)) builders.set(table, builderFor(table));
    for (const region of regions) {
      const url = new URL(index.regions[region]?.currentVersionUrl as string, `${options.baseUrl}/`).href;
      const response = await download(url);
      if (!response.body) throw new RefreshError(`${url}: empty answer`);
      const meta = await readOfferFile<ProductRow>(
        response.body,
        `${offer} ${region} (${url})`,
        (product) => productRow(service, product),
        ({ kept, usdPerUnit }) => {
          priced++;
          if (!builders.get(kept.table)?.add(kept.keys, region, usdPerUnit, kept.attributes)) duplicates++;
        },
      );
      if (meta.offerCode !== offer)
        throw new RefreshError(`${url}: offerCode is ${meta.offerCode}, not ${offer}`);
      for (const table of SERVICE_TABLES[service]) {
        builders.get(table)?.cover(region);
        const list = reads.get(table) ?? [];
        if (!list.some((r) => r.offer === offer))
          list.push({ offer, version: meta.version, published: meta.publicationDate });
        reads.set(table, list);
      }
      options.log(`${offer} ${region}: version ${meta.version}, ${priced} prices so far`);
    }
    if (priced === 0)
      throw new RefreshError(
        `${offer}: no product matched in ${regions.length} regions; has the price list format changed?`,
      );
    if (duplicates > 0)
      options.log(`${offer}: ${duplicates} SKUs priced a row already priced (the first was kept)`);
  }
  const tables = [...builders.entries()].filter(([id, builder]) => {
    if (builder.size === 0)
      options.log(`${id}: no row in the files read; not written (the bundled table stays)`);
    return builder.size > 0;
  });
  tables.sort(([a], [b]) => a.localeCompare(b));
  const built = tables.map(([id, builder]) => ({ id, data: builder.data() }));
  return {
    tables: built.map(({ data }) => data),
    entries: built.map(({ id, data }) => entry(id, data, reads.get(id) ?? [], options)),
  };
}

function entry(id: TableId, data: TableData, reads: Read[], options: AwsRefresh): CatalogTable {
  const published = reads.map((r) => r.published).sort()[0] ?? options.retrievedAt;
  return {
    id,
    title: `${TITLES[id] ?? id}, ${data.regions.length} regions (AWS Price List)`,
    origin: `AWS Price List bulk API: ${reads.map((r) => `${r.offer} version ${r.version} published ${r.published}`).join("; ")}`,
    asOf: published.slice(0, 10),
    licence: "AWS public list prices (AWS Site Terms)",
    url: `${options.baseUrl}/offers/v1.0/aws/`,
    retrievedAt: options.retrievedAt,
    regions: data.regions.length,
    rows: data.rows.length,
  };
}

type RegionIndex = { regions: Record<string, { regionCode: string; currentVersionUrl: string }> };

async function regionIndex(baseUrl: string, offer: string): Promise<RegionIndex> {
  const url = `${baseUrl}/offers/v1.0/aws/${offer}/current/region_index.json`;
  const index = (await downloadJson(url)) as Partial<RegionIndex> & { formatVersion?: unknown };
  if (index.formatVersion !== "v1.0" || typeof index.regions !== "object" || index.regions === null)
    throw new RefreshError(`${url}: not a region index (formatVersion v1.0 and regions expected)`);
  for (const [code, region] of Object.entries(index.regions)) {
    if (region?.regionCode !== code || typeof region.currentVersionUrl !== "string")
      throw new RefreshError(`${url}: regions.${code} has no regionCode "${code}" and currentVersionUrl`);
  }
  return index as RegionIndex;
}

function chosenRegions(
  index: RegionIndex,
  wanted: string[] | undefined,
  offer: string,
  log: (l: string) => void,
) {
  const listed = Object.keys(index.regions).sort();
  if (!wanted) return listed.filter((r) => COMMERCIAL.test(r));
  for (const region of wanted.filter((r) => !listed.includes(r)))
    log(`${offer}: AWS's region index lists no ${region}; its prices stay unknown`);
  return wanted.filter((r) => listed.includes(r));
}
