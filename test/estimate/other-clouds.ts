/**
 * Azure Retail Prices pages and GCP's pricing.yml in their published shapes. Azure items carry
 * every field the API documents; the traps are Windows, Spot and Low Priority meters, DevTest
 * prices and a non-primary meter region. Page 1 points to page 2 through an absolute NextPageLink.
 */
type AzureItem = {
  meterId: string;
  armSkuName: string;
  armRegionName: string;
  retailPrice: number;
} & Partial<Record<"productName" | "skuName" | "meterName" | "type", string>> & {
    isPrimaryMeterRegion?: boolean;
  };

function item(i: AzureItem) {
  const size = i.armSkuName.replace(/^Standard_/, "").replaceAll("_", " ");
  return {
    currencyCode: "USD",
    tierMinimumUnits: 0.0,
    retailPrice: i.retailPrice,
    unitPrice: i.retailPrice,
    armRegionName: i.armRegionName,
    location: i.armRegionName === "westeurope" ? "EU West" : "US East",
    effectiveStartDate: "2023-04-01T00:00:00Z",
    meterId: i.meterId,
    meterName: i.meterName ?? size,
    productId: "DZH318Z0BQ4R",
    skuId: "DZH318Z0BQ4R/00GJ",
    availabilityId: null,
    productName: i.productName ?? "Virtual Machines Dsv5 Series",
    skuName: i.skuName ?? size,
    serviceName: "Virtual Machines",
    serviceId: "DZH313Z7MMC8",
    serviceFamily: "Compute",
    unitOfMeasure: "1 Hour",
    type: i.type ?? "Consumption",
    isPrimaryMeterRegion: i.isPrimaryMeterRegion ?? true,
    armSkuName: i.armSkuName,
  };
}

function page(items: AzureItem[], next: string | null) {
  return JSON.stringify({
    BillingCurrency: "USD",
    CustomerEntityId: "Default",
    CustomerEntityType: "Retail",
    Items: items.map(item),
    NextPageLink: next,
    Count: items.length,
  });
}

const D2 = { armSkuName: "Standard_D2s_v5", armRegionName: "westeurope" };

export function addAzurePages(files: Map<string, string>): void {
  files.set(
    "/api/retail/prices",
    page(
      [
        { ...D2, meterId: "w-win", retailPrice: 0.188, productName: "Virtual Machines Dsv5 Series Windows" },
        { ...D2, meterId: "w-spot", retailPrice: 0.0192, skuName: "D2s v5 Spot", meterName: "D2s v5 Spot" },
        { ...D2, meterId: "w-low", retailPrice: 0.0192, skuName: "D2s v5 Low Priority" },
        { ...D2, meterId: "w-devtest", retailPrice: 0.05, type: "DevTestConsumption" },
        { ...D2, meterId: "w-secondary", retailPrice: 0.5, isPrimaryMeterRegion: false },
        { ...D2, meterId: "w-linux", retailPrice: 0.096 },
      ],
      "{{BASE}}/api/retail/prices?$filter=serviceName eq 'Virtual Machines' and priceType eq 'Consumption'&$skip=1000",
    ),
  );
  files.set(
    "/api/retail/prices?$skip=1000",
    page(
      [
        {
          armSkuName: "Standard_E2s_v5",
          armRegionName: "westeurope",
          meterId: "e-linux",
          retailPrice: 0.146,
          productName: "Virtual Machines Esv5 Series",
        },
        { armSkuName: "Standard_D2s_v5", armRegionName: "eastus", meterId: "e-d2", retailPrice: 0.096 },
      ],
      null,
    ),
  );
}

export const PRICING_YML = `about:
  generated: Thu Nov 26 06:13:17 2026
  copyright: Apache-2.0
compute:
  instance:
    e2-medium:
      cpu: 1
      ram: 4
      cost:
        europe-west1: { hour: 0.03687, month: 26.9151 }
        us-central1: { hour: 0.03350571, month: 24.4592 }
    m4n-megamem-112:
      cpu: 112
      ram: 2900
`;
