import { describe, expect, it } from "vitest";
import { collect, widen } from "../../app/estimate/refresh/aws-price-list.ts";
import { gcpRows } from "../../app/estimate/refresh/gcp-compute.ts";
import { componentsOf, deriveRow } from "../../app/estimate/refresh/infracost-goldens.ts";
import { unitPrice } from "../../app/estimate/refresh/repo-files.ts";

describe("the Infracost golden-file refresh", () => {
  const golden = `
 Name                                                   Monthly Qty  Unit              Monthly Cost    

 aws_lb.lb1
 ├─ Application load balancer                730  hours                   $16.43    
 └─ Load balancer capacity units  Monthly cost depends on usage: $5.84 per LCU      

 aws_elb.elb1
 └─ Classic load balancer                    730  hours                   $18.25    
`;

  it("reads a resource's components, priced and usage-based", () => {
    expect(componentsOf(golden, "aws_lb.lb1")).toEqual([
      { name: "Application load balancer", quantity: 730, unit: "hours", cost: 16.43 },
      { name: "Load balancer capacity units", unit: "LCU", printedPrice: 5.84 },
    ]);
  });

  it("recovers list prices from figures rounded to cents", () => {
    expect(unitPrice(16.43, 730)).toBe(0.0225);
    expect(unitPrice(2596.61, 730)).toBe(3.557);
    expect(unitPrice(100000.2, 6e9)).toBe(0.0000166667);
    expect(
      deriveRow(golden, {
        keys: ["us-east-1", "x"],
        golden: "g",
        resource: "aws_elb.elb1",
        component: /^Classic/,
      }),
    ).toEqual([
      "us-east-1",
      "x",
      "hour",
      0.025,
      "cost/qty (shortest price within half a cent)",
      730,
      "hours",
      18.25,
      "Classic load balancer",
      "g",
      "aws_elb.elb1",
    ]);
  });
});

describe("the GCP refresh (Cyclenerd's pricing.yml)", () => {
  it("writes one row per priced machine type, one column per region", () => {
    const { header, rows } = gcpRows({
      compute: {
        instance: {
          "e2-medium": {
            cpu: 1,
            ram: 4,
            cost: { "us-central1": { hour: 0.0335 }, "europe-west1": { hour: 0.0368 } },
          },
          "m4n-megamem-112": { cpu: 112, ram: 2900 },
        },
      },
    });
    expect(header).toEqual([
      "machine_type",
      "vcpu",
      "memory_gib",
      "on_demand_linux_usd_per_hour_europe-west1",
      "on_demand_linux_usd_per_hour_us-central1",
    ]);
    expect(rows).toEqual([["e2-medium", 1, 4, 0.0368, 0.0335]]);
  });
});

describe("the AWS Price List refresh, on offer-file rows", () => {
  const offer = (service: string, rows: Record<string, string>[]) => {
    const header = [...new Set(rows.flatMap((r) => Object.keys(r)))];
    const quote = (cells: string[]) => cells.map((c) => `"${c}"`).join(",");
    return [
      '"FormatVersion","v1.0"',
      '"Disclaimer","This pricing list is for informational purposes only."',
      '"Publication Date","2026-11-01T00:00:00Z"',
      '"Version","20261101000000"',
      `"OfferCode","${service}"`,
      quote(["SKU", ...header]),
      ...rows.map((row, i) => quote([`SKU${i}`, ...header.map((h) => row[h] ?? "")])),
    ];
  };
  const od = { TermType: "OnDemand", Currency: "USD" };
  const files: Record<string, string[]> = {
    AmazonEC2: offer("AmazonEC2", [
      {
        ...od,
        PricePerUnit: "0.096",
        "Product Family": "Compute Instance",
        "Instance Type": "m5.large",
        vCPU: "2",
        Memory: "8 GiB",
        "Physical Processor": "Intel Xeon Platinum 8175",
        "Operating System": "Linux",
        "Pre Installed S/W": "NA",
        CapacityStatus: "Used",
        "License Model": "No License required",
        Tenancy: "Shared",
        GPU: "",
      },
      {
        ...od,
        PricePerUnit: "0.188",
        "Product Family": "Compute Instance",
        "Instance Type": "m5.large",
        "Operating System": "Windows",
        "Pre Installed S/W": "NA",
        CapacityStatus: "Used",
        "License Model": "No License required",
        Tenancy: "Shared",
      },
      {
        TermType: "Reserved",
        Currency: "USD",
        PricePerUnit: "0.06",
        "Product Family": "Compute Instance",
        "Instance Type": "m5.large",
        "Operating System": "Linux",
      },
      { ...od, PricePerUnit: "0.08", "Product Family": "Storage", "Volume API Name": "gp3" },
      {
        ...od,
        PricePerUnit: "0.005",
        "Product Family": "System Operation",
        usageType: "EBS:VolumeP-IOPS.gp3",
      },
      { ...od, PricePerUnit: "0.045", "Product Family": "NAT Gateway", usageType: "NatGateway-Hours" },
      {
        ...od,
        PricePerUnit: "0.0225",
        "Product Family": "Load Balancer-Network",
        usageType: "LoadBalancerUsage",
      },
    ]),
    AmazonRDS: offer("AmazonRDS", [
      {
        ...od,
        PricePerUnit: "0.145",
        "Product Family": "Database Instance",
        "Instance Type": "db.t3.large",
        "Database Engine": "PostgreSQL",
        "Deployment Option": "Single-AZ",
        "License Model": "No license required",
      },
      {
        ...od,
        PricePerUnit: "0.23",
        "Product Family": "Database Storage",
        "Volume Type": "General Purpose",
        "Database Engine": "Any",
        "Deployment Option": "Multi-AZ",
      },
    ]),
    AmazonEKS: offer("AmazonEKS", [
      { ...od, PricePerUnit: "0.10", usageType: "USE1-AmazonEKS-Hours:perCluster" },
    ]),
    AmazonElastiCache: offer("AmazonElastiCache", [
      {
        ...od,
        PricePerUnit: "0.156",
        "Product Family": "Cache Instance",
        "Instance Type": "cache.m4.large",
        "Cache Engine": "Redis",
      },
    ]),
    AWSLambda: offer("AWSLambda", [
      { ...od, PricePerUnit: "0.0000002", Group: "AWS-Lambda-Requests" },
      {
        ...od,
        PricePerUnit: "0.0000166667",
        Group: "AWS-Lambda-Duration",
        StartingRange: "0",
        EndingRange: "6000000000",
      },
    ]),
  };
  const open = async (service: string) =>
    (async function* () {
      yield* files[service] ?? [];
    })();

  it("keeps on-demand Linux prices and the components each catalog needs", async () => {
    const { rows, versions } = await collect(["us-east-1"], open);
    expect(versions.get("AmazonEC2")).toBe("20261101000000");
    expect(widen(rows.get("aws-ec2-prices.csv") ?? [])).toEqual([
      {
        instance_type: "m5.large",
        vcpu: 2,
        memory_gib: 8,
        arch: "x86_64",
        gpu_count: 0,
        "on_demand_linux_usd_per_hour_us-east-1": 0.096,
      },
    ]);
    const d = (service: string) => `AWS Price List ${service} 20261101000000`;
    expect(rows.get("aws-ebs-prices.csv")).toEqual([
      {
        region: "us-east-1",
        volume_type: "gp3",
        component: "storage",
        unit: "GB-month",
        usd_per_unit: 0.08,
        derivation: d("AmazonEC2"),
      },
      {
        region: "us-east-1",
        volume_type: "gp3",
        component: "iops_above_3000",
        unit: "IOPS-month",
        usd_per_unit: 0.005,
        derivation: d("AmazonEC2"),
      },
    ]);
    expect(rows.get("aws-load-balancer-prices.csv")?.map((r) => [r.item, r.usd_per_unit])).toEqual([
      ["nat-gateway", 0.045],
      ["network-load-balancer", 0.0225],
    ]);
    expect(
      rows
        .get("aws-rds-prices.csv")
        ?.map((r) => [r.engine, r.instance_class_or_item, r.deployment, r.component, r.usd_per_unit]),
    ).toEqual([
      ["postgres", "db.t3.large", "single-az", "instance", 0.145],
      ["any", undefined, "multi-az", "storage-gp2", 0.23],
    ]);
    expect(rows.get("aws-eks-prices.csv")?.map((r) => [r.item, r.usd_per_unit])).toEqual([["cluster", 0.1]]);
    expect(rows.get("aws-elasticache-prices.csv")?.map((r) => [r.node_type, r.engine])).toEqual([
      ["cache.m4.large", "redis"],
    ]);
    expect(
      rows.get("aws-lambda-prices.csv")?.map((r) => [r.item, r.usd_per_unit, r.tier_to_gb_seconds]),
    ).toEqual([
      ["requests", 0.2, undefined],
      ["duration", 0.0000166667, 6e9],
    ]);
  });
});
