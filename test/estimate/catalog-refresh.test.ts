import { mkdtempSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { catalogFolders } from "../../app/estimate/catalog/catalog-files.ts";
import { reloadCatalogs } from "../../app/estimate/catalog/catalog-store.ts";
import {
  elasticachePrice,
  rdsInstancePrice,
  rdsStoragePrice,
} from "../../app/estimate/catalog/cloud-prices.ts";
import { ebsPrice, instancePrice, loadBalancerPrice, nodeOffer } from "../../app/estimate/catalog/prices.ts";
import { source } from "../../app/estimate/catalog/sources.ts";
import { withRefreshLock } from "../../app/estimate/refresh/lock.ts";
import { refreshCatalogs } from "../../app/estimate/refresh/refresh-catalogs.ts";
import { addAwsOffers } from "./aws-offers.ts";
import { addAzurePages, PRICING_YML } from "./other-clouds.ts";
import { type PriceListServer, servePriceLists } from "./price-list-server.ts";

let server: PriceListServer;
const EC2_EU = "/offers/v1.0/aws/AmazonEC2/20261101000000/eu-west-1/index.json";

beforeAll(async () => {
  const files = new Map<string, string>();
  addAwsOffers(files);
  addAzurePages(files);
  files.set("/pricing.yml", PRICING_YML);
  server = await servePriceLists(files);
});
afterAll(() => server.close());

const original = process.env.GREENOPS_CATALOG_DIR;
afterEach(() => {
  process.env.GREENOPS_CATALOG_DIR = original;
  reloadCatalogs();
});

/** Refreshes into a new folder and makes the estimates read it. */
async function refresh(
  clouds: ("aws" | "azure" | "gcp")[],
  dir = mkdtempSync(join(tmpdir(), "greenops-catalogs-")),
) {
  const lines: string[] = [];
  const env = {
    GREENOPS_AWS_PRICING_URL: server.url,
    GREENOPS_AZURE_PRICING_URL: server.url,
    GREENOPS_GCP_PRICING_URL: `${server.url}/pricing.yml`,
  };
  const outcome = await refreshCatalogs({ clouds, dir, env, log: (line) => lines.push(line) });
  process.env.GREENOPS_CATALOG_DIR = dir;
  reloadCatalogs();
  return { dir, outcome, lines };
}

describe("an AWS refresh from the Price List bulk files", () => {
  it("prices each region from the one Linux, Shared, Used, no-software SKU of each instance type", async () => {
    const { outcome } = await refresh(["aws"]);
    expect(outcome).toMatchObject([{ cloud: "aws" }]);
    const cited = instancePrice("aws", "eu-west-1", "m5.large");
    // SKU EUW1M5LLNX0000000001; not EUW1M5LWIN…(Windows 0.188), …DED… (dedicated 0.106), …BYL… (BYOL 0.096)
    expect(cited).toMatchObject({ usdPerHour: 0.107 });
    expect(instancePrice("aws", "us-east-1", "m5.large")).toMatchObject({ usdPerHour: 0.096 }); // USE1M5LLNX0000000001
    expect(nodeOffer("aws", "us-east-1", "m6g.large")).toMatchObject({
      offer: { vcpus: 2, memoryGiB: 8, gpus: 0, usdPerHour: 0.077 }, // USE1M6G000000010
    });
    const refreshed = source((cited as { source: string }).source);
    expect(refreshed).toMatchObject({
      catalog: "refreshed",
      url: `${server.url}/offers/v1.0/aws/`,
      asOf: "2026-11-01",
    });
    expect(refreshed.origin).toContain("AmazonEC2 version 20261101000000 published 2026-11-01T00:00:00Z");
  });

  it("reads only commercial regions: GovCloud stays unpriced, never another region's price", async () => {
    await refresh(["aws"]);
    expect(server.requests).not.toContain(
      "/offers/v1.0/aws/AmazonEC2/20261101000000/us-gov-west-1/index.json",
    );
    expect(instancePrice("aws", "us-gov-west-1", "m5.large")).toMatchObject({ missing: "region" });
    expect(instancePrice("aws", "ap-south-1", "m5.large")).toMatchObject({ missing: "region" });
  });

  it("prices RDS Multi-AZ instances and storage, EBS, NAT gateways, load balancers and ElastiCache", async () => {
    await refresh(["aws"]);
    expect(rdsInstancePrice("eu-west-1", "postgres", "db.m5.large", "multi-az")?.usdPerUnit).toBe(0.382); // EUW1PGM000000022
    expect(rdsInstancePrice("eu-west-1", "postgres", "db.m5.large", "single-az")?.usdPerUnit).toBe(0.191); // EUW1PGS000000021
    expect(rdsInstancePrice("eu-west-1", "aurora-postgresql", "db.m5.large", "single-az")?.usdPerUnit).toBe(
      0.31,
    ); // EUW1AUR000000025, not IOOptimized
    expect(rdsStoragePrice("eu-west-1", "storage-gp3", "multi-az")?.usdPerUnit).toBe(0.254); // EUW1ST3000000027
    expect(ebsPrice("eu-west-1", "gp3", "storage")?.usdPerUnit).toBe(0.088); // EUW1GP3000000011
    expect(ebsPrice("eu-west-1", "io1", "iops")?.usdPerUnit).toBe(0.072); // EUW1IOP000000013
    expect(loadBalancerPrice("eu-west-1", "nat-gateway")?.usdPerUnit).toBe(0.048); // EUW1NAT000000012
    expect(loadBalancerPrice("eu-west-1", "application-load-balancer")?.usdPerUnit).toBe(0.0252); // EUW1ALB…, not the Local Zone
    expect(elasticachePrice("eu-west-1", "cache.m5.large", "valkey")?.usdPerUnit).toBe(0.1384); // EUW1ECV000000052
  });

  it("falls back to the bundled catalog where the refreshed one has no price, citing it", async () => {
    await refresh(["aws"]);
    // us-east-1 gp2 is in the bundled EBS catalog (Infracost golden), not in the served offer file
    expect(ebsPrice("us-east-1", "gp2", "storage")).toEqual({ usdPerUnit: 0.1, source: "aws-ebs-prices" });
  });

  it("refuses a truncated offer file and keeps the last good catalog", async () => {
    const { dir } = await refresh(["aws"]);
    const good = server.files.get(EC2_EU) as string;
    server.files.set(EC2_EU, good.slice(0, Math.floor(good.length / 2)));
    try {
      const { outcome } = await refresh(["aws"], dir);
      expect(outcome).toEqual([
        { cloud: "aws", error: expect.stringMatching(/eu-west-1.*not a whole JSON document/) },
      ]);
    } finally {
      server.files.set(EC2_EU, good);
    }
    expect(catalogFolders(dir, "aws")).toHaveLength(1);
    expect(readdirSync(join(dir, "aws")).filter((f) => f.startsWith(".writing"))).toEqual([]);
    expect(instancePrice("aws", "eu-west-1", "m5.large")).toMatchObject({ usdPerHour: 0.107 });
  });

  it.each([
    ["another format version", (f: string) => f.replace('"v1.0"', '"v2.0"'), /formatVersion is "v2.0"/],
    [
      "a product without its SKU",
      (f: string) => f.replace('"sku": "EUW1M5LWIN0000000002"', '"sku": "X"'),
      /products.EUW1M5LWIN0000000002 has no sku/,
    ],
    [
      "a price that is not a number",
      (f: string) => f.replace('"USD": "0.1070000000"', '"USD": "n/a"'),
      /no USD price \("n\/a"\)/,
    ],
  ])("refuses an offer file with %s", async (_, corrupt, message) => {
    const good = server.files.get(EC2_EU) as string;
    server.files.set(EC2_EU, corrupt(good));
    try {
      const { outcome, dir } = await refresh(["aws"]);
      expect(outcome).toEqual([{ cloud: "aws", error: expect.stringMatching(message) }]);
      expect(catalogFolders(dir, "aws")).toEqual([]);
    } finally {
      server.files.set(EC2_EU, good);
    }
    expect(instancePrice("aws", "eu-west-1", "m5.large")).toMatchObject({
      missing: "region",
      source: "aws-ec2-prices",
    });
  });
});

describe("Azure's Retail Prices API", () => {
  it("reads every page and keeps the pay-as-you-go Linux meters", async () => {
    const { outcome } = await refresh(["azure"]);
    expect(outcome).toMatchObject([{ cloud: "azure" }]);
    expect(server.requests.filter((r) => r.startsWith("/api/retail/prices?"))).toEqual([
      "/api/retail/prices?$filter=serviceName eq 'Virtual Machines' and priceType eq 'Consumption'",
      "/api/retail/prices?$filter=serviceName eq 'Virtual Machines' and priceType eq 'Consumption'&$skip=1000",
    ]);
    // meter w-linux; not w-win (Windows), w-spot, w-low, w-devtest or w-secondary (not the primary meter region)
    expect(instancePrice("azure", "westeurope", "Standard_D2s_v5")).toMatchObject({ usdPerHour: 0.096 });
    expect(instancePrice("azure", "westeurope", "standard_e2s_v5")).toMatchObject({ usdPerHour: 0.146 }); // e-linux, page 2
    expect(instancePrice("azure", "eastus", "Standard_D2s_v5")).toMatchObject({ usdPerHour: 0.096 }); // e-d2, page 2
  });

  it("does not follow a NextPageLink to another server", async () => {
    const first = server.files.get("/api/retail/prices") as string;
    server.files.set("/api/retail/prices", first.replace("{{BASE}}", "http://127.0.0.2:9"));
    try {
      const { outcome } = await refresh(["azure"]);
      expect(outcome).toEqual([{ cloud: "azure", error: expect.stringMatching(/leaves .*: not followed/) }]);
    } finally {
      server.files.set("/api/retail/prices", first);
    }
  });
});

describe("GCP's fallback price list (pricing.yml)", () => {
  it("prices each machine type per region, with its shape", async () => {
    const { outcome } = await refresh(["gcp"]);
    expect(outcome).toMatchObject([
      { cloud: "gcp", tables: [{ id: "gcp-compute-prices", asOf: "2026-11-26" }] },
    ]);
    expect(nodeOffer("gcp", "europe-west1", "e2-medium")).toMatchObject({
      offer: { vcpus: 1, memoryGiB: 4, usdPerHour: 0.03687 },
    });
    expect(instancePrice("gcp", "europe-west1", "m4n-megamem-112")).toMatchObject({ missing: "type" });
  });

  it("keeps the last good catalog when the file is not the expected YAML", async () => {
    const { dir } = await refresh(["gcp"]);
    server.files.set("/pricing.yml", "compute: [1, 2");
    try {
      const { outcome } = await refresh(["gcp"], dir);
      expect(outcome).toEqual([{ cloud: "gcp", error: expect.stringMatching(/pricing.yml: not YAML/) }]);
    } finally {
      server.files.set("/pricing.yml", PRICING_YML);
    }
    expect(instancePrice("gcp", "europe-west1", "e2-medium")).toMatchObject({ usdPerHour: 0.03687 });
  });
});

describe("the refresh lock", () => {
  it("lets one refresh run at a time per catalog folder", async () => {
    const dir = mkdtempSync(join(tmpdir(), "greenops-lock-"));
    let release = () => {};
    const holding = withRefreshLock(dir, () => new Promise<void>((resolve) => (release = resolve)));
    const second = await refreshCatalogs({ clouds: ["aws"], dir, env: {}, log: () => {} });
    expect(second).toEqual({ locked: expect.stringMatching(/^pid \d+ on .+ since /) });
    release();
    await holding;
  });
});
