import { type CatalogManifest, writeCatalog } from "../../app/estimate/catalog/catalog-files.ts";
import type { TableData } from "../../app/estimate/catalog/price-table.ts";

/** The EC2 table of a refreshed catalog with one price: m5.large in eu-west-1. */
export function ec2Table(usd: number | string): TableData {
  return {
    id: "aws-ec2-prices",
    keys: ["instance_type"],
    attributes: ["vcpu", "memory_gib", "arch", "gpu_count"],
    regions: ["eu-west-1"],
    rows: [["m5.large", 2, 8, "x86_64", 0, usd as number]],
  };
}

export function ec2Manifest(retrievedAt: string): CatalogManifest {
  return {
    format: "greenops-catalog/1",
    cloud: "aws",
    retrievedAt,
    tables: [
      {
        id: "aws-ec2-prices",
        title: "AWS EC2 on-demand Linux prices, 1 region (AWS Price List)",
        origin: "AWS Price List bulk API: AmazonEC2 version 20261101000000 published 2026-11-01T00:00:00Z",
        asOf: "2026-11-01",
        licence: "AWS public list prices (AWS Site Terms)",
        url: "http://127.0.0.1/offers/v1.0/aws/",
        retrievedAt,
        regions: 1,
        rows: 1,
      },
    ],
  };
}

/** Writes a refreshed AWS catalog whose one price is m5.large in eu-west-1 at `usd`; returns its folder. */
export function writeOnePriceCatalog(dir: string, retrievedAt: string, usd: number): string {
  return writeCatalog(dir, ec2Manifest(retrievedAt), [ec2Table(usd)]);
}
