import { describe, expect, it } from "vitest";
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
