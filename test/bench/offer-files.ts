/**
 * Generated AWS offer files in the published shape (see app/estimate/refresh/offer-file.ts), shaped
 * like the real ones: every instance type of the bundled EC2 catalog in several operating systems,
 * tenancies, capacity statuses and software (the SKUs a refresh must skip), RDS classes in every
 * engine and deployment, each SKU with an on-demand term and Reserved terms. Streamed as text
 * chunks, so a server can serve gigabytes without holding them.
 */
export const COMMERCIAL_REGIONS = [
  "af-south-1",
  "ap-east-1",
  "ap-east-2",
  "ap-northeast-1",
  "ap-northeast-2",
  "ap-northeast-3",
  "ap-south-1",
  "ap-south-2",
  "ap-southeast-1",
  "ap-southeast-2",
  "ap-southeast-3",
  "ap-southeast-4",
  "ap-southeast-5",
  "ap-southeast-7",
  "ca-central-1",
  "ca-west-1",
  "eu-central-1",
  "eu-central-2",
  "eu-north-1",
  "eu-south-1",
  "eu-south-2",
  "eu-west-1",
  "eu-west-2",
  "eu-west-3",
  "il-central-1",
  "me-central-1",
  "me-south-1",
  "mx-central-1",
  "sa-east-1",
  "us-east-1",
  "us-east-2",
  "us-west-1",
  "us-west-2",
];

type GeneratedSku = { family: string; attributes: Record<string, string>; usd: string };

const EC2_VARIANTS = [
  { operatingSystem: "Linux", tenancy: "Shared", capacitystatus: "Used", preInstalledSw: "NA" },
  {
    operatingSystem: "Linux",
    tenancy: "Shared",
    capacitystatus: "UnusedCapacityReservation",
    preInstalledSw: "NA",
  },
  {
    operatingSystem: "Linux",
    tenancy: "Shared",
    capacitystatus: "AllocatedCapacityReservation",
    preInstalledSw: "NA",
  },
  { operatingSystem: "Linux", tenancy: "Dedicated", capacitystatus: "Used", preInstalledSw: "NA" },
  { operatingSystem: "Linux", tenancy: "Host", capacitystatus: "Used", preInstalledSw: "NA" },
  { operatingSystem: "Windows", tenancy: "Shared", capacitystatus: "Used", preInstalledSw: "NA" },
  { operatingSystem: "Windows", tenancy: "Shared", capacitystatus: "Used", preInstalledSw: "SQL Std" },
  { operatingSystem: "Windows", tenancy: "Shared", capacitystatus: "Used", preInstalledSw: "SQL Web" },
  { operatingSystem: "Windows", tenancy: "Dedicated", capacitystatus: "Used", preInstalledSw: "NA" },
  { operatingSystem: "RHEL", tenancy: "Shared", capacitystatus: "Used", preInstalledSw: "NA" },
  { operatingSystem: "SUSE", tenancy: "Shared", capacitystatus: "Used", preInstalledSw: "NA" },
  { operatingSystem: "Ubuntu Pro", tenancy: "Shared", capacitystatus: "Used", preInstalledSw: "NA" },
];

function* ec2Skus(instanceTypes: string[], region: string): Generator<GeneratedSku> {
  for (const [i, type] of instanceTypes.entries()) {
    for (const variant of EC2_VARIANTS) {
      const used = variant.capacitystatus === "Used";
      yield {
        family: "Compute Instance",
        usd: used
          ? (0.0052 * (1 + (i % 97)) * (variant.operatingSystem === "Linux" ? 1 : 1.8)).toFixed(10)
          : "0.0000000000",
        attributes: {
          servicecode: "AmazonEC2",
          location: region,
          locationType: "AWS Region",
          instanceType: type,
          currentGeneration: "Yes",
          instanceFamily: "General purpose",
          vcpu: String(2 ** (i % 7)),
          physicalProcessor: i % 3 === 0 ? "AWS Graviton3 Processor" : "Intel Xeon Platinum 8375C",
          clockSpeed: "3.5 GHz",
          memory: `${2 ** (i % 7) * 4} GiB`,
          storage: "EBS only",
          networkPerformance: "Up to 12500 Megabit",
          processorArchitecture: "64-bit",
          licenseModel: "No License required",
          usagetype: `BoxUsage:${type}`,
          operation: "RunInstances",
          ecu: "NA",
          normalizationSizeFactor: "4",
          regionCode: region,
          servicename: "Amazon Elastic Compute Cloud",
          ...variant,
        },
      };
    }
  }
}

const ENGINES = [
  "MySQL",
  "PostgreSQL",
  "MariaDB",
  "Aurora MySQL",
  "Aurora PostgreSQL",
  "Oracle",
  "SQL Server",
];
const DEPLOYMENTS = ["Single-AZ", "Multi-AZ", "Multi-AZ (readable standbys)"];

function* rdsSkus(classes: string[], region: string): Generator<GeneratedSku> {
  for (const [i, instanceType] of classes.entries()) {
    for (const databaseEngine of ENGINES) {
      for (const deploymentOption of DEPLOYMENTS) {
        yield {
          family: "Database Instance",
          usd: (0.017 * (1 + (i % 89)) * (deploymentOption === "Single-AZ" ? 1 : 2)).toFixed(10),
          attributes: {
            servicecode: "AmazonRDS",
            location: region,
            locationType: "AWS Region",
            instanceType,
            currentGeneration: "Yes",
            instanceFamily: "General purpose",
            vcpu: "2",
            memory: "8 GiB",
            databaseEngine,
            deploymentOption,
            licenseModel: /Oracle|SQL Server/.test(databaseEngine)
              ? "License included"
              : "No license required",
            usagetype: `InstanceUsage:${instanceType}`,
            operation: "CreateDBInstance:0014",
            regionCode: region,
            servicename: "Amazon Relational Database Service",
          },
        };
      }
    }
  }
}

function term(sku: string, code: string, usd: string): string {
  const rate = `${sku}.${code}.6YS6EN2CT7`;
  return `"${sku}.${code}":${JSON.stringify({
    offerTermCode: code,
    sku,
    effectiveDate: "2026-11-01T00:00:00Z",
    priceDimensions: {
      [rate]: {
        rateCode: rate,
        description: `$${usd} per Hour`,
        beginRange: "0",
        endRange: "Inf",
        unit: "Hrs",
        pricePerUnit: { USD: usd },
        appliesTo: [],
      },
    },
    termAttributes: {},
  })}`;
}

/** One region's offer file, in chunks of about 64 KB; `reserved` Reserved terms per SKU. */
export async function* offerFile(
  offerCode: "AmazonEC2" | "AmazonRDS",
  names: string[],
  region: string,
  reserved = 4,
): AsyncGenerator<string> {
  const skus = () => (offerCode === "AmazonEC2" ? ec2Skus(names, region) : rdsSkus(names, region));
  const id = (n: number) =>
    `${region.replaceAll("-", "").toUpperCase().slice(0, 6)}${n.toString(36).toUpperCase().padStart(10, "0")}`;
  let buffer = `{"formatVersion":"v1.0","disclaimer":"Generated for a benchmark.","offerCode":"${offerCode}","version":"20261101000000","publicationDate":"2026-11-01T00:00:00Z","products":{`;
  let n = 0;
  for (const sku of skus()) {
    const name = id(n);
    buffer += `${n++ > 0 ? "," : ""}"${name}":${JSON.stringify({ sku: name, productFamily: sku.family, attributes: sku.attributes })}`;
    if (buffer.length > 65536) yield flush();
  }
  buffer += `},"terms":{"OnDemand":{`;
  n = 0;
  for (const sku of skus()) {
    const name = id(n);
    buffer += `${n++ > 0 ? "," : ""}"${name}":{${term(name, "JRTCKXETXF", sku.usd)}}`;
    if (buffer.length > 65536) yield flush();
  }
  buffer += `},"Reserved":{`;
  n = 0;
  for (const _ of skus()) {
    const name = id(n);
    const terms = Array.from({ length: reserved }, (_, r) => term(name, `RESERVED0${r}`, "0.0300000000"));
    buffer += `${n++ > 0 ? "," : ""}"${name}":{${terms.join(",")}}`;
    if (buffer.length > 65536) yield flush();
  }
  buffer += "}}}";
  yield flush();

  function flush(): string {
    const chunk = buffer;
    buffer = "";
    return chunk;
  }
}
