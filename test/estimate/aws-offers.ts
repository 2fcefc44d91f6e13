import { addOffer, type Sku } from "./price-list-server.ts";

/**
 * AWS offer files for two commercial regions and GovCloud, with the traps of the real files: one
 * instance type under many SKUs (other operating systems, tenancies, pre-installed software,
 * capacity reservations at 0.0000000000, BYOL), RDS engines with licences and readable standbys,
 * Aurora I/O-Optimized, load balancers in Local Zones. Attribute names and values are those of the
 * published files (e.g. an r5d.12xlarge RHEL "UnusedCapacityReservation" product quoted in public
 * code that reads them).
 */
const LOCATION: Record<string, [string, string]> = {
  "us-east-1": ["US East (N. Virginia)", ""],
  "eu-west-1": ["EU (Ireland)", "EU-"],
  "us-gov-west-1": ["AWS GovCloud (US-West)", "UGW1-"],
};

function instance(sku: string, region: string, attributes: Record<string, string>, usd?: string): Sku {
  const [location, prefix] = LOCATION[region] ?? ["", ""];
  return {
    sku,
    productFamily: "Compute Instance",
    usd,
    attributes: {
      servicecode: "AmazonEC2",
      location,
      locationType: "AWS Region",
      instanceType: "m5.large",
      currentGeneration: "Yes",
      instanceFamily: "General purpose",
      vcpu: "2",
      physicalProcessor: "Intel Xeon Platinum 8175",
      clockSpeed: "3.1 GHz",
      memory: "8 GiB",
      storage: "EBS only",
      networkPerformance: "Up to 10 Gigabit",
      processorArchitecture: "64-bit",
      tenancy: "Shared",
      operatingSystem: "Linux",
      licenseModel: "No License required",
      usagetype: `${prefix}BoxUsage:m5.large`,
      operation: "RunInstances",
      capacitystatus: "Used",
      ecu: "10",
      instancesku: sku,
      normalizationSizeFactor: "4",
      preInstalledSw: "NA",
      regionCode: region,
      servicename: "Amazon Elastic Compute Cloud",
      ...attributes,
    },
  };
}

/** The m5.large SKUs of a region: every trap, then the one Linux/Shared/Used/NA SKU. */
function m5Large(region: string, tag: string, linux: string): Sku[] {
  return [
    instance(
      `${tag}WIN0000000002`,
      region,
      { operatingSystem: "Windows", operation: "RunInstances:0002" },
      "0.1880000000",
    ),
    instance(
      `${tag}RHL0000000003`,
      region,
      { operatingSystem: "RHEL", operation: "RunInstances:0010" },
      "0.1560000000",
    ),
    instance(
      `${tag}DED0000000004`,
      region,
      { tenancy: "Dedicated", usagetype: `DedicatedUsage:m5.large` },
      "0.1060000000",
    ),
    instance(
      `${tag}HST0000000005`,
      region,
      { tenancy: "Host", usagetype: "HostBoxUsage:m5.large" },
      "0.0000000000",
    ),
    instance(
      `${tag}UCR0000000006`,
      region,
      { capacitystatus: "UnusedCapacityReservation", usagetype: "UnusedBox:m5.large" },
      "0.0000000000",
    ),
    instance(
      `${tag}ACR0000000007`,
      region,
      { capacitystatus: "AllocatedCapacityReservation" },
      "0.0000000000",
    ),
    instance(
      `${tag}SQL0000000008`,
      region,
      { operatingSystem: "Windows", preInstalledSw: "SQL Web" },
      "0.2560000000",
    ),
    instance(
      `${tag}BYL0000000009`,
      region,
      { operatingSystem: "Windows", licenseModel: "Bring your own license" },
      "0.0960000000",
    ),
    // Last, so that a filter letting any trap through would price the type from the trap instead.
    instance(`${tag}LNX0000000001`, region, {}, linux),
  ];
}

function other(
  sku: string,
  family: string,
  attributes: Record<string, string>,
  usd: string,
  unit = "Hrs",
): Sku {
  return { sku, productFamily: family, attributes: { locationType: "AWS Region", ...attributes }, usd, unit };
}

export function addAwsOffers(files: Map<string, string>): void {
  addOffer(files, "AmazonEC2", {
    "us-east-1": [
      ...m5Large("us-east-1", "USE1M5L", "0.0960000000"),
      instance(
        "USE1M6G000000010",
        "us-east-1",
        {
          instanceType: "m6g.large",
          physicalProcessor: "AWS Graviton2 Processor",
          usagetype: "BoxUsage:m6g.large",
        },
        "0.0770000000",
      ),
      other(
        "USE1GP3000000011",
        "Storage",
        { volumeApiName: "gp3", usagetype: "EBS:VolumeUsage.gp3" },
        "0.0800000000",
        "GB-Mo",
      ),
      other("USE1NAT000000012", "NAT Gateway", { usagetype: "NatGateway-Hours" }, "0.0450000000"),
    ],
    "eu-west-1": [
      ...m5Large("eu-west-1", "EUW1M5L", "0.1070000000"),
      other(
        "EUW1GP3000000011",
        "Storage",
        { volumeApiName: "gp3", usagetype: "EU-EBS:VolumeUsage.gp3" },
        "0.0880000000",
        "GB-Mo",
      ),
      other(
        "EUW1IOP000000013",
        "System Operation",
        { volumeApiName: "io1", usagetype: "EU-EBS:VolumeP-IOPS.piops" },
        "0.0720000000",
        "IOPS-Mo",
      ),
      other("EUW1NAT000000012", "NAT Gateway", { usagetype: "EU-NatGateway-Hours" }, "0.0480000000"),
    ],
    "us-gov-west-1": m5Large("us-gov-west-1", "UGW1M5L", "0.1210000000"),
  });
  const rds = (sku: string, attributes: Record<string, string>, usd: string) =>
    other(
      sku,
      "Database Instance",
      {
        instanceType: "db.m5.large",
        databaseEngine: "PostgreSQL",
        deploymentOption: "Single-AZ",
        licenseModel: "No license required",
        usagetype: "EU-InstanceUsage:db.m5.large",
        ...attributes,
      },
      usd,
    );
  addOffer(files, "AmazonRDS", {
    "eu-west-1": [
      rds("EUW1PGS000000021", {}, "0.1910000000"),
      rds(
        "EUW1PGM000000022",
        { deploymentOption: "Multi-AZ", usagetype: "EU-Multi-AZUsage:db.m5.large" },
        "0.3820000000",
      ),
      rds("EUW1PGR000000023", { deploymentOption: "Multi-AZ (readable standbys)" }, "0.5730000000"),
      rds("EUW1ORA000000024", { databaseEngine: "Oracle", licenseModel: "License included" }, "0.4650000000"),
      rds(
        "EUW1AUR000000025",
        { databaseEngine: "Aurora PostgreSQL", usagetype: "EU-InstanceUsage:db.m5.large" },
        "0.3100000000",
      ),
      rds(
        "EUW1AIO000000026",
        { databaseEngine: "Aurora PostgreSQL", usagetype: "EU-InstanceUsageIOOptimized:db.m5.large" },
        "0.4030000000",
      ),
      other(
        "EUW1ST3000000027",
        "Database Storage",
        {
          volumeType: "General Purpose-GP3",
          databaseEngine: "Any",
          deploymentOption: "Multi-AZ",
          usagetype: "EU-RDS:Multi-AZ-GP3-Storage",
        },
        "0.2540000000",
        "GB-Mo",
      ),
    ],
  });
  addOffer(files, "AWSELB", {
    "eu-west-1": [
      other(
        "EUW1ALB000000031",
        "Load Balancer-Application",
        { usagetype: "EU-LoadBalancerUsage" },
        "0.0252000000",
      ),
      other(
        "EUW1LZ0000000032",
        "Load Balancer-Application",
        { usagetype: "EU-LoadBalancerUsage", locationType: "AWS Local Zone" },
        "0.0300000000",
      ),
    ],
  });
  addOffer(files, "AmazonEKS", {
    "eu-west-1": [
      other("EUW1EKS000000041", "Compute", { usagetype: "EU-AmazonEKS-Hours:perCluster" }, "0.1000000000"),
    ],
  });
  addOffer(files, "AmazonElastiCache", {
    "eu-west-1": [
      other(
        "EUW1ECR000000051",
        "Cache Instance",
        { instanceType: "cache.m5.large", cacheEngine: "Redis" },
        "0.1730000000",
      ),
      other(
        "EUW1ECV000000052",
        "Cache Instance",
        { instanceType: "cache.m5.large", cacheEngine: "Valkey" },
        "0.1384000000",
      ),
    ],
  });
}
