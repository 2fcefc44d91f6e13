import type { Cloud } from "../../config/environment-settings.ts";
import {
  type CatalogManifest,
  type CatalogTable,
  catalogFolders,
  readManifest,
  readTable,
  writeCatalog,
} from "../catalog/catalog-files.ts";
import type { TableData } from "../catalog/price-table.ts";
import { AWS_SERVICES, type AwsService } from "./aws-products.ts";
import { refreshAws } from "./aws-refresh.ts";
import { refreshAzure } from "./azure-retail.ts";
import { refreshGcp } from "./gcp-pricing.ts";
import { withRefreshLock } from "./lock.ts";
import { priceListUrl, RefreshError } from "./price-lists.ts";

export type RefreshRequest = {
  clouds: Cloud[];
  /** AWS offer files to read (ec2, rds, elb, eks, elasticache); default all. */
  services?: string[];
  regions?: string[];
  dir: string;
  env?: NodeJS.ProcessEnv;
  log: (line: string) => void;
};

export type RefreshOutcome =
  | { cloud: Cloud; folder: string; tables: CatalogTable[] }
  | { cloud: Cloud; error: string };

type Refreshed = { tables: TableData[]; entries: CatalogTable[] };

/**
 * `greenops catalogs refresh`: each cloud's price list downloaded, checked and written as a new
 * catalog; a cloud that fails keeps its last good catalog (its error is returned, the others go on).
 */
export async function refreshCatalogs(
  request: RefreshRequest,
): Promise<RefreshOutcome[] | { locked: string }> {
  const services = awsServices(request.services);
  const result = await withRefreshLock(request.dir, async () => {
    const outcomes: RefreshOutcome[] = [];
    for (const cloud of request.clouds) {
      const retrievedAt = new Date().toISOString().replace(/\.\d+Z$/, "Z");
      try {
        const base = priceListUrl(cloud, request.env);
        request.log(`${cloud}: reading ${base}`);
        const fresh: Refreshed =
          cloud === "aws"
            ? await refreshAws({
                baseUrl: base,
                services,
                regions: request.regions,
                retrievedAt,
                log: request.log,
              })
            : cloud === "azure"
              ? await refreshAzure({ baseUrl: base, regions: request.regions, retrievedAt, log: request.log })
              : await refreshGcp({ url: base, retrievedAt, log: request.log });
        outcomes.push({ cloud, ...write(request.dir, cloud, retrievedAt, fresh) });
      } catch (error) {
        outcomes.push({ cloud, error: (error as Error).message });
      }
    }
    return outcomes;
  });
  return "locked" in result ? result : result.done;
}

/** The AWS offer files `--services` names (all by default); an unknown name is an error. */
export function awsServices(names: string[] | undefined): AwsService[] {
  if (!names) return Object.keys(AWS_SERVICES) as AwsService[];
  const unknown = names.filter((n) => !(n in AWS_SERVICES));
  if (unknown.length > 0)
    throw new RefreshError(
      `unknown service ${unknown.join(", ")}: use ${Object.keys(AWS_SERVICES).join(", ")}`,
    );
  return names as AwsService[];
}

/** The new tables, plus the tables of the previous catalog that this refresh did not read. */
function write(dir: string, cloud: Cloud, retrievedAt: string, fresh: Refreshed) {
  const previous = catalogFolders(dir, cloud)
    .map((folder) => ({ folder, manifest: readManifest(folder) }))
    .find((c): c is { folder: string; manifest: CatalogManifest } => !("error" in c.manifest));
  const tables = [...fresh.tables];
  const entries = [...fresh.entries];
  for (const old of previous?.manifest.tables ?? []) {
    if (entries.some((e) => e.id === old.id)) continue;
    const data = readTable(previous?.folder as string, old.id);
    if ("error" in data) continue;
    tables.push(data);
    entries.push(old);
  }
  const manifest: CatalogManifest = { format: "greenops-catalog/1", cloud, retrievedAt, tables: entries };
  return { folder: writeCatalog(dir, manifest, tables), tables: entries };
}
