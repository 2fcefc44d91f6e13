import { describe, expect, it } from "vitest";
import { DEFAULT_SETTINGS, type EnvironmentSettings } from "../../app/config/environment-settings.ts";
import { environmentBasis } from "../../app/estimate/basis.ts";
import { estimateResource } from "../../app/estimate/estimate-resource.ts";
import { Attributes } from "../../app/iac/cloud/attributes.ts";
import { mapCloudResource } from "../../app/iac/cloud/index.ts";
import type { CloudLocation } from "../../app/model/cloud.ts";
import type { Resource } from "../../app/model/resource.ts";
import { fileStart } from "../../app/model/span.ts";

const US_EAST_1: CloudLocation = { cloud: "aws", region: "us-east-1", regionBasis: "provider" };

function estimate(
  type: string,
  values: Record<string, unknown>,
  location: CloudLocation = US_EAST_1,
  settings: EnvironmentSettings = DEFAULT_SETTINGS,
) {
  const mapped = mapCloudResource(type, new Attributes(values), { address: `${type}.x`, location });
  const resource: Resource = {
    id: `${type}.x`,
    kind: type,
    name: "x",
    environment: "",
    labels: {},
    source: {
      format: "terraform-plan",
      span: fileStart("p"),
      fields: {},
    },
    demand: mapped.demand,
    notes: mapped.notes,
  };
  return estimateResource(resource, environmentBasis("", settings));
}

describe("EC2 carbon follows CCF's worked example (carbon.md §1.8)", () => {
  const result = estimate("aws_instance", {
    instance_type: "m5.large",
    root_block_device: [{ volume_size: 100, volume_type: "gp3" }],
  });
  const line = (name: string) => result.carbon.find((l) => l.component === name);

  it("CPU: 2 vCPU × 730 h × 2.455 W × PUE 1.135 = 4.068 kWh", () => {
    expect(line("CPU")?.kWh).toBeCloseTo(4.068, 3);
  });

  it("memory beyond the reference server: 6.3058 GB × 730 h × 0.000392 × 1.135 = 2.048 kWh", () => {
    expect(line("Memory")?.kWh).toBeCloseTo(2.048, 3);
  });

  it("embodied: 1610.38 kg × 730/35040 × 2/96 = 0.699 kg, and a 100 GB SSD about 0.075 kg", () => {
    expect(line("Embodied")?.kgCO2e).toBeCloseTo(0.699, 3);
    expect(line("root_block_device (gp3)")?.kWh).toBeCloseTo(0.199, 3);
    expect(line("root_block_device (gp3)")?.kgCO2e).toBeCloseTo(0.075, 3);
  });

  it("totals about 3.02 kg for the instance and 0.075 kg for its volume", () => {
    expect(result.monthlyCarbonKg).toBeCloseTo(3.02 + 0.075, 2);
  });
});

describe("what is never priced as if it were on-demand Linux in a known region", () => {
  it.each([
    [
      "a spot instance",
      "aws_instance",
      { instance_type: "m5.large", instance_market_options: [{ market_type: "spot" }] },
      "spot capacity: the catalogs hold on-demand list prices only",
    ],
    [
      "a Windows VM",
      "azurerm_windows_virtual_machine",
      { size: "Standard_D2s_v5", location: "eastus" },
      "Windows licence prices are not in the catalogs",
    ],
    [
      "dedicated tenancy",
      "aws_instance",
      { instance_type: "m5.large", tenancy: "dedicated" },
      "dedicated-tenancy prices are not in the catalogs",
    ],
    [
      "a type the table lacks",
      "aws_instance",
      { instance_type: "m99.huge" },
      "m99.huge is not in the aws price table",
    ],
  ])("%s", (_, type, values, reason) => {
    const result = estimate(type, values);
    expect(result.monthlyCost).toBeNull();
    expect(result.unestimated).toContain(reason);
  });

  it("a region the price table lacks is not priced with another region's price", () => {
    const result = estimate(
      "aws_instance",
      { instance_type: "m5.large" },
      { cloud: "aws", region: "eu-west-3", regionBasis: "provider" },
    );
    expect(result.monthlyCost).toBeNull();
    expect(result.unestimated).toContain("the aws price table has no eu-west-3 price for m5.large");
    expect(result.monthlyCarbonKg).toBeGreaterThan(0);
  });

  it("an unknown region is said so", () => {
    const result = estimate("aws_nat_gateway", {}, { cloud: "aws", regionBasis: "unknown" });
    expect(result.unestimated).toContain("the region is unknown");
  });

  it("environment settings with purchaseOption spot leave compute unpriced, and say why", () => {
    const result = estimate(
      "aws_db_instance",
      { engine: "mysql", instance_class: "db.t3.large" },
      US_EAST_1,
      {
        ...DEFAULT_SETTINGS,
        purchaseOption: "spot",
      },
    );
    expect(result.monthlyCost).toBeNull();
    expect(result.unestimated).toContain("spot capacity");
  });

  it("a Lambda function without usage is usage-based, not $0", () => {
    const result = estimate("aws_lambda_function", { memory_size: 512 });
    expect(result).toMatchObject({ monthlyCost: null, monthlyCarbonKg: null });
    expect(result.unestimated).toMatch(/^usage-based: give monthly_requests/);
  });

  it("free resources cost nothing and unknown ones are not estimated", () => {
    expect(estimate("aws_iam_role", {})).toMatchObject({ monthlyCost: 0, monthlyCarbonKg: 0 });
    expect(estimate("aws_security_group", {})).toMatchObject({ monthlyCost: 0 });
    expect(estimate("aws_kms_key", {})).toMatchObject({
      monthlyCost: null,
      unestimated: "no cost model for aws_kms_key",
    });
  });
});
