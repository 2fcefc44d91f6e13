import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";

/**
 * A local server for the clouds' public price lists, in their published shapes:
 * - AWS: `/offers/v1.0/aws/<offer>/current/region_index.json` and each region's offer file (AWS
 *   Billing user guide, "Service Region index file" and "Reading the service price list file for
 *   an AWS service": products keyed by SKU, terms.OnDemand / terms.Reserved keyed by SKU and
 *   offer-term code, priceDimensions keyed by rate code, pricePerUnit.USD as a 10-decimal string);
 * - Azure: `/api/retail/prices` pages of {BillingCurrency, CustomerEntityId, CustomerEntityType,
 *   Items, NextPageLink, Count} (Microsoft Learn, "Azure Retail Prices overview");
 * - GCP: Cyclenerd's pricing.yml.
 * `files` maps a path to a body (Azure pages: `/api/retail/prices` and `…?$skip=N`, whatever the
 * filter); `{{BASE}}` in a body becomes the server's URL, as Azure's NextPageLink is absolute.
 */
export type PriceListServer = {
  url: string;
  files: Map<string, string>;
  requests: string[];
  close(): Promise<void>;
};

export async function servePriceLists(files: Map<string, string>): Promise<PriceListServer> {
  const requests: string[] = [];
  let url = "";
  const server: Server = createServer((request, response) => {
    const path = decodeURIComponent(request.url ?? "");
    requests.push(path);
    const body = files.get(retailPage(path) ?? path);
    if (body === undefined) {
      response.writeHead(404).end("not found");
      return;
    }
    response.writeHead(200, { "content-type": "application/json" });
    response.end(body.replaceAll("{{BASE}}", url));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    files,
    requests,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

function retailPage(path: string): string | undefined {
  if (!path.startsWith("/api/retail/prices")) return undefined;
  const skip = new URLSearchParams(path.split("?")[1] ?? "").get("$skip");
  return skip ? `/api/retail/prices?$skip=${skip}` : "/api/retail/prices";
}

export type Sku = {
  sku: string;
  productFamily: string;
  attributes: Record<string, string>;
  /** The on-demand price, as AWS prints it ("0.0960000000"); undefined: no on-demand term. */
  usd?: string;
  unit?: string;
};

const ON_DEMAND = "JRTCKXETXF";

function dimension(sku: string, code: string, usd: string, unit: string) {
  const rateCode = `${sku}.${code}.6YS6EN2CT7`;
  return {
    [rateCode]: {
      rateCode,
      description: `$${usd} per ${unit}`,
      beginRange: "0",
      endRange: "Inf",
      unit,
      pricePerUnit: { USD: usd },
      appliesTo: [],
    },
  };
}

/** An offer file of one region, with an on-demand term for each priced SKU and a Reserved term for the first. */
export function offerFile(offerCode: string, skus: Sku[]): string {
  const products = Object.fromEntries(
    skus.map((s) => [s.sku, { sku: s.sku, productFamily: s.productFamily, attributes: s.attributes }]),
  );
  const term = (s: Sku, code: string, usd: string) => ({
    [`${s.sku}.${code}`]: {
      offerTermCode: code,
      sku: s.sku,
      effectiveDate: "2026-11-01T00:00:00Z",
      priceDimensions: dimension(s.sku, code, usd, s.unit ?? "Hrs"),
      termAttributes: {},
    },
  });
  const priced = skus.filter((s) => s.usd !== undefined);
  const onDemand = Object.fromEntries(priced.map((s) => [s.sku, term(s, ON_DEMAND, s.usd as string)]));
  const reserved = Object.fromEntries(
    priced.slice(0, 1).map((s) => [s.sku, term(s, "4NA7Y494T4", "0.0600000000")]),
  );
  return JSON.stringify(
    {
      formatVersion: "v1.0",
      disclaimer: "This pricing list is for informational purposes only.",
      offerCode,
      version: "20261101000000",
      publicationDate: "2026-11-01T00:00:00Z",
      products,
      terms: { OnDemand: onDemand, Reserved: reserved },
    },
    null,
    4,
  );
}

/** Serves a region index and one offer file per region for an offer. */
export function addOffer(
  files: Map<string, string>,
  offerCode: string,
  regions: Record<string, Sku[]>,
): void {
  const index = Object.fromEntries(
    Object.keys(regions).map((region) => [
      region,
      {
        regionCode: region,
        currentVersionUrl: `/offers/v1.0/aws/${offerCode}/20261101000000/${region}/index.json`,
      },
    ]),
  );
  files.set(
    `/offers/v1.0/aws/${offerCode}/current/region_index.json`,
    JSON.stringify({
      formatVersion: "v1.0",
      disclaimer: "This pricing list is for informational purposes only.",
      publicationDate: "2026-11-01T00:00:00Z",
      regions: index,
    }),
  );
  for (const [region, skus] of Object.entries(regions))
    files.set(index[region]?.currentVersionUrl as string, offerFile(offerCode, skus));
}
