import { describe, expect, it } from "vitest";
import type { EnvironmentSettings } from "../../app/config/environment-settings.ts";
import { environmentBasis } from "../../app/estimate/basis.ts";
import { gridFactor } from "../../app/estimate/catalog/carbon-data.ts";
import { estimateResource } from "../../app/estimate/estimate-resource.ts";
import { PROD, parseLinked } from "../helpers/evaluate.ts";

const M5_LARGE = { ...PROD, nodeInstanceType: "m5.large" };

function estimateOne(text: string, settings: EnvironmentSettings = M5_LARGE) {
  const resource = parseLinked(text, settings).resources.at(-1);
  if (!resource) throw new Error("no resource");
  return estimateResource(resource, environmentBasis("test", settings));
}

const pod = (requests: string, replicas = 1) => `apiVersion: apps/v1
kind: Deployment
metadata: { name: web }
spec:
  replicas: ${replicas}
  template: { spec: { containers: [{ name: app, resources: { requests: ${requests} } }] } }
`;

describe("compute prices", () => {
  it("splits the node's on-demand price between CPU and RAM in OpenCost's default ratio", () => {
    const { compute } = environmentBasis("prod", PROD);
    // m5.xlarge: $0.192/h, 4 vCPU, 16 GiB; OpenCost defaults CPU 0.031611, RAM 0.004237 (costmodel.go)
    const ratio = 0.031611 / 0.004237;
    const ram = 0.192 / (4 * ratio + 16);
    expect(compute.method).toBe("node-price-split");
    expect(compute.ram).toBeCloseTo(ram, 12);
    expect(compute.cpu).toBeCloseTo(ram * ratio, 12);
    expect(4 * compute.cpu + 16 * compute.ram).toBeCloseTo(0.192, 12);
    expect(compute.sources).toEqual(["aws-ec2-prices", "opencost-default-prices"]);
  });

  it.each([
    [{ ...PROD, nodeInstanceType: undefined }, "the environment names no node instance type"],
    [{ ...PROD, region: "eu-west-1" }, "the price table has no eu-west-1 price for m5.xlarge"],
    [{ ...PROD, nodeInstanceType: "m99.huge" }, "m99.huge is not in the aws price table"],
    [
      { ...PROD, cloud: "gcp" as const, region: "us-central1", nodeInstanceType: "e2-giant-4" },
      "e2-giant-4 is not in the gcp price table",
    ],
  ])("uses OpenCost's default prices and says why %#", (settings, reason) => {
    const { compute } = environmentBasis("x", settings);
    expect(compute).toMatchObject({
      method: "opencost-default",
      cpu: 0.031611,
      ram: 0.004237,
      gpu: 0.95,
      reason,
    });
  });

  it("prices GCP nodes from the Compute Engine table (Cyclenerd's pricing.yml)", () => {
    const { compute } = environmentBasis("x", {
      cloud: "gcp",
      region: "us-central1",
      nodeInstanceType: "e2-standard-4",
      currency: "USD",
    });
    expect(compute.node).toMatchObject({
      vcpus: 4,
      memoryGiB: 16,
      usdPerHour: 0.13402284,
      source: "gcp-compute-prices",
    });
  });

  it("prices Azure nodes from the Azure table with the shape from CCF's", () => {
    const { compute } = environmentBasis("x", {
      cloud: "azure",
      region: "westeurope",
      nodeInstanceType: "Standard_D2s_v5",
      currency: "USD",
    });
    expect(compute.node).toMatchObject({
      vcpus: 2,
      memoryGiB: 8,
      usdPerHour: 0.115,
      source: "azure-vm-prices",
    });
  });
});

describe("workload cost", () => {
  it("is not priced when the environment buys spot capacity, which no catalog prices", () => {
    const estimate = estimateOne(pod("{ cpu: 500m, memory: 1Gi }", 3), {
      ...M5_LARGE,
      purchaseOption: "spot",
    });
    expect(estimate).toMatchObject({
      monthlyCost: null,
      cost: [],
      unestimated: "the nodes are spot capacity: the catalogs hold on-demand list prices only",
    });
    expect(estimate.monthlyCarbonKg).toBeGreaterThan(0);
  });

  it("is replicas × (CPU × CPU price + memory × RAM price) × 730 hours", () => {
    const estimate = estimateOne(pod("{ cpu: 500m, memory: 1Gi }", 3));
    const { compute } = environmentBasis("test", M5_LARGE);
    expect(estimate.cost.map((l) => [l.component, l.quantity, l.unit])).toEqual([
      ["CPU", 1095, "vCPU-hours"],
      ["Memory", 2190, "GiB-hours"],
    ]);
    expect(estimate.monthlyCost).toBeCloseTo(1095 * compute.cpu + 2190 * compute.ram, 10);
  });

  it("costs a pod that fills an m5.large exactly what the node costs", () => {
    expect(estimateOne(pod("{ cpu: 2, memory: 8Gi }")).monthlyCost).toBeCloseTo(0.096 * 730, 10);
  });

  it("counts a CronJob's pod-hours only", () => {
    const text = `apiVersion: batch/v1\nkind: CronJob\nmetadata: { name: c }\nspec:\n  schedule: "0 * * * *"\n  jobTemplate: { spec: { activeDeadlineSeconds: 360, template: { spec: { containers: [{ name: a, resources: { requests: { cpu: 1 } } }] } } } }\n`;
    expect(estimateOne(text).cost[0]?.quantity).toBeCloseTo(730 * 0.1, 10);
  });

  it("gives the autoscaler's maximum beside the estimate at its minimum", () => {
    const text = `${pod("{ cpu: 1 }")}---\napiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\nmetadata: { name: web }\nspec: { scaleTargetRef: { kind: Deployment, name: web }, minReplicas: 2, maxReplicas: 8 }\n`;
    const resource = parseLinked(text, M5_LARGE).resources[0];
    const estimate = resource && estimateResource(resource, environmentBasis("test", M5_LARGE));
    expect(estimate?.atMaximum?.monthlyCost).toBeCloseTo((estimate?.monthlyCost ?? 0) * 4, 10);
  });

  it("adds the volume claim templates of a StatefulSet, one per replica", () => {
    const text = `apiVersion: apps/v1\nkind: StatefulSet\nmetadata: { name: db }\nspec:\n  replicas: 3\n  template: { spec: { containers: [{ name: a, resources: { requests: { cpu: 1 } } }] } }\n  volumeClaimTemplates:\n    - metadata: { name: data }\n      spec: { storageClassName: gp3, resources: { requests: { storage: 100Gi } } }\n`;
    const line = estimateOne(text).cost.find((l) => l.component === "Storage (gp3)");
    expect(line).toMatchObject({
      quantity: 300,
      unitPrice: 0.08,
      monthlyCost: 24,
      sources: ["aws-ebs-prices"],
    });
  });
});

describe("a workload whose pods request nothing", () => {
  const bare = `apiVersion: apps/v1
kind: Deployment
metadata: { name: web, namespace: shop }
spec:
  replicas: 3
  template: { spec: { containers: [{ name: app }, { name: proxy }] } }
`;
  const limitRange = `apiVersion: v1
kind: LimitRange
metadata: { name: defaults, namespace: shop }
spec: { limits: [{ type: Container, defaultRequest: { cpu: 100m, memory: 128Mi } }] }
---
`;

  it("is not estimated (not $0.00): what it costs is unknown", () => {
    const estimate = estimateOne(bare);
    expect(estimate).toMatchObject({ monthlyCost: null, monthlyCarbonKg: null, cost: [] });
    expect(estimate.unestimated).toMatch(/^no requests: /);
  });

  it.each([
    ["a LimitRange of its namespace gives defaults", limitRange + bare],
    [
      "one container requests something",
      bare.replace("{ name: proxy }", "{ name: proxy, resources: { limits: { memory: 64Mi } } }"),
    ],
  ])("is estimated when %s", (_, text) => {
    expect(estimateOne(text).monthlyCost).toBeGreaterThan(0);
  });
});

describe("carbon, against the worked example of ../shared/reference/carbon.md §1.8", () => {
  // m5.large (2 vCPU, Skylake), us-east-1, 730 h, 50% CPU
  const estimate = estimateOne(pod("{ cpu: 2, memory: 8Gi }"));
  const line = (component: string) => estimate.carbon.find((l) => l.component === component);

  it("CPU: 2.455 W per vCPU × 1460 vCPU-h × PUE 1.135 = 4.068 kWh", () => {
    expect(line("CPU")?.kWh).toBeCloseTo(4.068, 3);
    expect(line("CPU")?.kgCO2e).toBeCloseTo((4.068 * 379.069) / 1000, 3);
  });

  it("embodied: 1610.38 kg × 730/35040 × 2/96 = 0.699 kg", () => {
    expect(line("Embodied")?.kgCO2e).toBeCloseTo(0.699, 3);
  });

  it("memory: requested GiB-hours × 0.000392 kWh × PUE", () => {
    expect(line("Memory")?.kWh).toBeCloseTo(8 * 730 * 0.000392 * 1.135, 9);
  });

  it("a 100 GB SSD volume: 0.1 TB × 730 h × 1.2 Wh × 1.135 × 2 copies = 0.199 kWh", () => {
    const claim = `apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata: { name: d }\nspec: { storageClassName: gp3, resources: { requests: { storage: 100Gi } } }\n`;
    const volume = estimateOne(claim);
    expect(volume.carbon[0]?.kWh).toBeCloseTo(0.199, 3);
    expect(volume.monthlyCost).toBe(8);
  });

  it("shares a burstable node's embodied carbon by its non-burstable family, as CCF's methodology says", () => {
    const t3 = environmentBasis("dev", { ...PROD, nodeInstanceType: "t3.large" }).carbon;
    const m5 = environmentBasis("prod", M5_LARGE).carbon;
    expect(t3.embodiedKgPerVcpuHour).toBeCloseTo(m5.embodiedKgPerVcpuHour ?? 0, 12);
  });

  it("falls back to CCF's cloud average for a region it does not list", () => {
    expect(gridFactor("aws", "mars-north-1")).toMatchObject({ gPerKWh: 392.782, regionKnown: false });
    expect(gridFactor("azure", "WestEurope")).toMatchObject({ regionKnown: true });
  });
});

describe("load balancers and unknown kinds", () => {
  it.each([
    ["", "Classic load balancer", 18.25],
    [
      "  annotations: { service.beta.kubernetes.io/aws-load-balancer-type: nlb }\n",
      "Network load balancer",
      16.425,
    ],
  ])("prices a Service of type LoadBalancer by the hour %#", (annotations, component, monthly) => {
    const estimate = estimateOne(
      `apiVersion: v1\nkind: Service\nmetadata:\n  name: web\n${annotations}spec: { type: LoadBalancer }\n`,
    );
    expect(estimate.cost).toEqual([expect.objectContaining({ component, quantity: 730 })]);
    expect(estimate.monthlyCost).toBeCloseTo(monthly, 10);
    expect(estimate.monthlyCarbonKg).toBeNull();
  });

  it("reports a load balancer outside the priced region as not priced, never as $0", () => {
    const estimate = estimateOne(
      "apiVersion: v1\nkind: Service\nmetadata: { name: web }\nspec: { type: LoadBalancer }\n",
      { ...PROD, region: "eu-west-2" },
    );
    expect(estimate).toMatchObject({
      monthlyCost: null,
      unestimated: "no aws price for a classic load balancer in eu-west-2",
    });
  });

  it("does not price what it cannot", () => {
    const estimate = estimateOne("apiVersion: example.com/v1\nkind: Widget\nmetadata: { name: w }\n");
    expect(estimate).toMatchObject({
      monthlyCost: null,
      monthlyCarbonKg: null,
      unestimated: "no cost model for Widget (example.com/v1)",
    });
  });
});
