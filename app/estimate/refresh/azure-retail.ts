import type { CatalogTable } from "../catalog/catalog-files.ts";
import type { TableData } from "../catalog/price-table.ts";
import { builderFor } from "../catalog/tables.ts";
import { downloadJson, RefreshError } from "./price-lists.ts";

/**
 * Azure's Retail Prices API (unauthenticated; "Azure Retail Prices overview", Microsoft Learn):
 * `GET /api/retail/prices?$filter=…` answers {BillingCurrency, Items: [...], NextPageLink, Count},
 * up to 1,000 items a page, and NextPageLink is the next page's absolute URL (null on the last).
 * Each item: currencyCode, retailPrice, armRegionName, armSkuName, productName, skuName, meterName,
 * serviceName, unitOfMeasure, type, isPrimaryMeterRegion, effectiveStartDate, …
 */
export type AzureRefresh = {
  baseUrl: string;
  regions?: string[];
  retrievedAt: string;
  log: (line: string) => void;
};

type Item = {
  currencyCode: string;
  retailPrice: number;
  armRegionName: string;
  armSkuName: string;
  productName: string;
  skuName: string;
  meterName: string;
  serviceName: string;
  unitOfMeasure: string;
  type: string;
  isPrimaryMeterRegion?: boolean;
};

const MAX_PAGES = 5000;

export async function refreshAzure(
  options: AzureRefresh,
): Promise<{ tables: TableData[]; entries: CatalogTable[] }> {
  const builder = builderFor("azure-vm-prices");
  const filters = (options.regions ?? [undefined]).map(
    (region) =>
      `serviceName eq 'Virtual Machines' and priceType eq 'Consumption'${region ? ` and armRegionName eq '${region}'` : ""}`,
  );
  let items = 0;
  for (const filter of filters) {
    let next: string | null = `${options.baseUrl}/api/retail/prices?$filter=${encodeURIComponent(filter)}`;
    for (let page = 1; next; page++) {
      if (page > MAX_PAGES) throw new RefreshError(`${next}: more than ${MAX_PAGES} pages`);
      const body = await downloadJson(next);
      const { Items, NextPageLink } = checkedPage(body, next);
      for (const item of Items) {
        items++;
        if (isLinuxOnDemand(item)) builder.add([item.armSkuName], item.armRegionName, item.retailPrice);
        builder.cover(item.armRegionName);
      }
      next = NextPageLink ? sameOrigin(NextPageLink, options.baseUrl) : null;
    }
  }
  if (builder.size === 0)
    throw new RefreshError(`${options.baseUrl}: no Linux pay-as-you-go VM price in ${items} items`);
  const data = builder.data();
  options.log(`azure: ${items} items, ${data.rows.length} VM sizes in ${data.regions.length} regions`);
  const entry: CatalogTable = {
    id: "azure-vm-prices",
    title: `Azure VM pay-as-you-go Linux prices, ${data.regions.length} regions (Azure Retail Prices API)`,
    origin: "Azure Retail Prices API: serviceName 'Virtual Machines', priceType 'Consumption'",
    asOf: options.retrievedAt.slice(0, 10),
    licence: "Azure public retail prices (Microsoft terms of use)",
    url: `${options.baseUrl}/api/retail/prices`,
    retrievedAt: options.retrievedAt,
    regions: data.regions.length,
    rows: data.rows.length,
  };
  return { tables: [data], entries: [entry] };
}

/** Pay-as-you-go Linux: not Windows, not Spot or Low Priority, per hour, in USD, primary meter. */
function isLinuxOnDemand(item: Item): boolean {
  return (
    item.type === "Consumption" &&
    item.serviceName === "Virtual Machines" &&
    item.currencyCode === "USD" &&
    item.unitOfMeasure === "1 Hour" &&
    item.isPrimaryMeterRegion !== false &&
    item.armSkuName !== "" &&
    item.retailPrice > 0 &&
    !/Windows/i.test(item.productName) &&
    !/Spot|Low Priority/i.test(`${item.skuName} ${item.meterName}`)
  );
}

const REQUIRED: (keyof Item)[] = [
  "currencyCode",
  "armRegionName",
  "armSkuName",
  "productName",
  "skuName",
  "meterName",
  "serviceName",
  "unitOfMeasure",
  "type",
];

function checkedPage(body: unknown, url: string): { Items: Item[]; NextPageLink: string | null } {
  const page = body as { Items?: unknown; NextPageLink?: unknown } | null;
  if (typeof page !== "object" || page === null || !Array.isArray(page.Items))
    throw new RefreshError(`${url}: not a Retail Prices page (no Items)`);
  if (page.NextPageLink !== null && page.NextPageLink !== undefined && typeof page.NextPageLink !== "string")
    throw new RefreshError(`${url}: NextPageLink is not a URL`);
  for (const [index, item] of (page.Items as Record<string, unknown>[]).entries()) {
    const missing = REQUIRED.filter((field) => typeof item?.[field] !== "string");
    if (missing.length > 0 || typeof item.retailPrice !== "number")
      throw new RefreshError(`${url}: Items[${index}] lacks ${[...missing, "retailPrice"].join(", ")}`);
  }
  return { Items: page.Items as Item[], NextPageLink: (page.NextPageLink as string | null) ?? null };
}

/** Next pages are followed only on the configured server (Azure answers with https://prices.azure.com:443/…). */
function sameOrigin(link: string, baseUrl: string): string {
  if (!URL.canParse(link) || new URL(link).origin !== new URL(baseUrl).origin)
    throw new RefreshError(`NextPageLink ${link} leaves ${baseUrl}: not followed`);
  return link;
}
