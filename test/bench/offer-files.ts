/**
 * Generated AWS offer files in the published shape (see app/estimate/refresh/offer-file.ts), as
 * large as the real ones per region: every instance type in every operating system, tenancy,
 * capacity status, pre-installed software and licence model, each with an on-demand term and
 * Reserved terms, plus EBS products. Streamed as text chunks, so a server can serve gigabytes
 * without holding them.
 */
const OPERATING_SYSTEMS = [
  "Linux",
  "Windows",
  "RHEL",
  "SUSE",
  "Red Hat Enterprise Linux with HA",
  "Ubuntu Pro",
];
const TENANCIES = ["Shared", "Dedicated", "Host"];
const CAPACITY = ["Used", "UnusedCapacityReservation", "AllocatedCapacityReservation"];
const SOFTWARE = ["NA", "SQL Std", "SQL Web"];
const RESERVED_PER_SKU = 6;

export type OfferShape = { instanceTypes: string[]; regions: string[] };

function sku(region: number, n: number): string {
  return `R${region.toString(36).padStart(2, "0")}${n.toString(36).toUpperCase().padStart(13, "0")}`;
}

function variants(): { os: string; tenancy: string; capacity: string; software: string }[] {
  const all = [];
  for (const os of OPERATING_SYSTEMS)
    for (const tenancy of TENANCIES)
      for (const capacity of CAPACITY)
        for (const software of SOFTWARE)
          if (software === "NA" || os === "Windows") all.push({ os, tenancy, capacity, software });
  return all;
}

/** The price of the one Linux/Shared/Used/NA SKU of instance type i (what a refresh must find). */
export function linuxPrice(i: number, region: number): number {
  return Number((0.0052 * (1 + (i % 97)) * (1 + region / 100)).toFixed(4));
}

function product(id: string, type: string, v: ReturnType<typeof variants>[number]): string {
  return JSON.stringify({
    sku: id,
    productFamily: "Compute Instance",
    attributes: {
      servicecode: "AmazonEC2",
      location: "Somewhere",
      locationType: "AWS Region",
      instanceType: type,
      currentGeneration: "Yes",
      instanceFamily: "General purpose",
      vcpu: "4",
      physicalProcessor: "Intel Xeon Platinum 8175",
      clockSpeed: "3.1 GHz",
      memory: "16 GiB",
      storage: "EBS only",
      networkPerformance: "Up to 10 Gigabit",
      processorArchitecture: "64-bit",
      tenancy: v.tenancy,
      operatingSystem: v.os,
      licenseModel: "No License required",
      usagetype: `XX-BoxUsage:${type}`,
      operation: "RunInstances",
      capacitystatus: v.capacity,
      ecu: "16",
      instancesku: id,
      normalizationSizeFactor: "8",
      preInstalledSw: v.software,
      regionCode: "xx-region-1",
      servicename: "Amazon Elastic Compute Cloud",
    },
  });
}

function term(id: string, code: string, usd: string): string {
  const rate = `${id}.${code}.6YS6EN2CT7`;
  return JSON.stringify({
    offerTermCode: code,
    sku: id,
    effectiveDate: "2026-11-01T00:00:00Z",
    priceDimensions: {
      [rate]: {
        rateCode: rate,
        description: `$${usd} per On Demand Linux Instance Hour`,
        beginRange: "0",
        endRange: "Inf",
        unit: "Hrs",
        pricePerUnit: { USD: usd },
        appliesTo: [],
      },
    },
    termAttributes: {},
  });
}

/** One region's AmazonEC2 offer file, in chunks of about 64 KB. */
export async function* ec2OfferFile(shape: OfferShape, region: number): AsyncGenerator<string> {
  const all = variants();
  let buffer = `{"formatVersion":"v1.0","disclaimer":"Generated for a benchmark.","offerCode":"AmazonEC2","version":"20261101000000","publicationDate":"2026-11-01T00:00:00Z","products":{`;
  const flush = function* (force = false) {
    if (buffer.length > 65536 || force) {
      yield buffer;
      buffer = "";
    }
  };
  const skus: { id: string; usd: string }[] = [];
  let n = 0;
  for (const [i, type] of shape.instanceTypes.entries()) {
    for (const v of all) {
      const id = sku(region, n++);
      const linux =
        v.os === "Linux" && v.tenancy === "Shared" && v.capacity === "Used" && v.software === "NA";
      const usd =
        v.capacity === "Used"
          ? (linux ? linuxPrice(i, region) : 0.1 + (n % 50) / 10).toFixed(10)
          : "0.0000000000";
      skus.push({ id, usd });
      buffer += `${n > 1 ? "," : ""}"${id}":${product(id, type, v)}`;
      yield* flush();
    }
  }
  buffer += `},"terms":{"OnDemand":{`;
  for (const [k, { id, usd }] of skus.entries()) {
    buffer += `${k > 0 ? "," : ""}"${id}":{"${id}.JRTCKXETXF":${term(id, "JRTCKXETXF", usd)}}`;
    yield* flush();
  }
  buffer += `},"Reserved":{`;
  for (const [k, { id }] of skus.entries()) {
    const reserved = Array.from({ length: RESERVED_PER_SKU }, (_, r) => {
      const code = `RESERVED${r}`;
      return `"${id}.${code}":${term(id, code, "0.0300000000")}`;
    });
    buffer += `${k > 0 ? "," : ""}"${id}":{${reserved.join(",")}}`;
    yield* flush();
  }
  buffer += "}}}";
  yield* flush(true);
}
