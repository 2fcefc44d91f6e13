import { describe, expect, it } from "vitest";
import { DEFAULT_SETTINGS, type EnvironmentSettings } from "../../../app/config/environment-settings.ts";
import { terraformPlan } from "../../../app/iac/terraform-plan/index.ts";
import type { InstanceDemand } from "../../../app/model/cloud.ts";
import { parseWith } from "../../helpers/parse-format.ts";
import { planJson } from "../../helpers/plan.ts";

function parse(text: string, settings: EnvironmentSettings = DEFAULT_SETTINGS) {
  return parseWith(terraformPlan, "plan.json", text, { environment: "", settings });
}

function instance(demand: unknown): InstanceDemand {
  if ((demand as InstanceDemand).type !== "instance") throw new Error("not an instance");
  return demand as InstanceDemand;
}

describe("Terraform plan JSON", () => {
  it("is recognised by its content, whatever the file is called", () => {
    const text = planJson([{ address: "aws_instance.web", after: { instance_type: "t3.large" } }]);
    expect(terraformPlan.detect("ci/output/tfplan.json", text)).toBe(true);
    expect(terraformPlan.detect("package.json", '{ "name": "x" }')).toBe(false);
    expect(terraformPlan.detect("plan.yaml", text)).toBe(false);
  });

  it("reads each side of a change, with the address as id and the change's line as location", () => {
    const text = planJson([
      {
        address: "aws_instance.web",
        before: { instance_type: "t3.large" },
        after: { instance_type: "t3.medium" },
      },
    ]);
    const { resources, diagnostics } = parse(text);
    expect(diagnostics).toEqual([]);
    expect(resources.map((r) => [r.id, r.kind, r.planned])).toEqual([
      ["aws_instance.web", "aws_instance", { action: "update", side: "before" }],
      ["aws_instance.web", "aws_instance", { action: "update", side: "after" }],
    ]);
    expect(resources.map((r) => instance(r.demand).instanceType)).toEqual(["t3.large", "t3.medium"]);
    expect(resources[0]?.source.span).toMatchObject({ file: "plan.json", startLine: 5 });
    expect(instance(resources[1]?.demand).location).toEqual({
      cloud: "aws",
      region: "us-east-1",
      regionBasis: "provider",
    });
  });

  it.each([
    [["create"], "create", ["after"]],
    [["delete"], "delete", ["before"]],
    [["delete", "create"], "replace", ["before", "after"]],
    [["create", "delete"], "replace", ["before", "after"]],
    [["no-op"], "no-op", ["before", "after"]],
  ])("maps actions %j to %s", (actions, action, sides) => {
    const values = { instance_type: "t3.large" };
    const before = actions.includes("create") && !actions.includes("delete") ? null : values;
    const after = actions.includes("delete") && !actions.includes("create") ? null : values;
    const text = planJson([{ address: "aws_instance.web", before, after, actions }]);
    expect(parse(text).resources.map((r) => [r.planned?.action, r.planned?.side])).toEqual(
      sides.map((side) => [action, side]),
    );
  });

  it("skips data sources and reads, and takes the region from a variable", () => {
    const plan = JSON.parse(
      planJson([{ address: "aws_instance.web", after: { instance_type: "t3.large" } }]),
    );
    plan.resource_changes.push({
      address: "data.aws_ami.ubuntu",
      mode: "data",
      type: "aws_ami",
      name: "ubuntu",
      change: { actions: ["read"], before: null, after: {} },
    });
    plan.configuration.provider_config.aws.expressions.region = { references: ["var.region"] };
    plan.variables = { region: { value: "eu-west-1" } };
    const { resources } = parse(JSON.stringify(plan));
    expect(resources.map((r) => r.id)).toEqual(["aws_instance.web"]);
    expect(instance(resources[0]?.demand).location.region).toBe("eu-west-1");
  });

  it("uses the environment's region when the provider names none, and says so", () => {
    const plan = JSON.parse(
      planJson([{ address: "aws_instance.web", after: { instance_type: "t3.large" } }]),
    );
    plan.configuration.provider_config = {};
    const settings = { ...DEFAULT_SETTINGS, region: "eu-central-1" };
    const [resource] = parse(JSON.stringify(plan), settings).resources;
    expect(instance(resource?.demand).location).toEqual({
      cloud: "aws",
      region: "eu-central-1",
      regionBasis: "environment",
    });
    expect(resource?.notes).toContain("the provider names no region: the environment's eu-central-1 is used");
  });

  it("refuses an unknown major format_version with a located error", () => {
    const text =
      '{\n  "format_version": "2.0",\n  "terraform_version": "2.0.0",\n  "resource_changes": []\n}\n';
    expect(parse(text)).toEqual({
      resources: [],
      diagnostics: [
        {
          file: "plan.json",
          line: 2,
          column: 21,
          severity: "error",
          message:
            'unsupported plan format_version "2.0" (GreenOps reads 0.x and 1.x); the file is not estimated',
        },
      ],
    });
  });

  it("reports invalid JSON with its line and column", () => {
    const { resources, diagnostics } = parse(
      '{\n  "format_version": "1.2",\n  "terraform_version": 1,\n  oops\n}',
    );
    expect(resources).toEqual([]);
    expect(diagnostics).toEqual([
      expect.objectContaining({
        line: 4,
        column: 3,
        severity: "error",
        message: expect.stringMatching(/^invalid JSON/),
      }),
    ]);
  });

  it("skips an entry it cannot read, says where, and reads the rest", () => {
    const plan = JSON.parse(
      planJson([{ address: "aws_instance.web", after: { instance_type: "t3.large" } }]),
    );
    plan.resource_changes.unshift({ address: "aws_instance.broken", type: "aws_instance", name: "broken" });
    const { resources, diagnostics } = parse(JSON.stringify(plan, null, 2));
    expect(resources.map((r) => r.id)).toEqual(["aws_instance.web"]);
    expect(diagnostics).toEqual([
      expect.objectContaining({
        line: 5,
        severity: "warning",
        message: "resource_changes[0]: the entry must have required property 'change'; skipped",
      }),
    ]);
  });

  it("says when an instance type is known only after apply, at the attribute's line", () => {
    const plan = JSON.parse(planJson([{ address: "aws_instance.web", after: { ami: "ami-1" } }]));
    plan.resource_changes[0].change.after.instance_type = null;
    plan.resource_changes[0].change.after_unknown = { instance_type: true };
    const { diagnostics } = parse(JSON.stringify(plan, null, 2));
    expect(diagnostics).toEqual([
      expect.objectContaining({
        severity: "warning",
        message: "aws_instance.web: instance_type is known only after apply: the instance is not priced",
      }),
    ]);
  });

  it("gives an autoscaling group the shape of the launch template its configuration refers to", () => {
    const text = planJson([
      {
        address: "module.app.aws_autoscaling_group.web",
        after: { desired_capacity: 4, min_size: 2, launch_template: [{ id: null }] },
        references: ["aws_launch_template.web.id", "aws_launch_template.web"],
      },
      {
        address: "module.app.aws_launch_template.web",
        after: {
          instance_type: "m5.large",
          block_device_mappings: [{ ebs: [{ volume_size: 30, volume_type: "gp3" }] }],
        },
      },
    ]);
    const plan = JSON.parse(text);
    // In a module, configuration addresses are relative to the module.
    plan.configuration.root_module = {
      module_calls: {
        app: { module: { resources: plan.configuration.root_module.resources.map(relative) } },
      },
    };
    const { resources } = parse(JSON.stringify(plan));
    const group = instance(resources.find((r) => r.kind === "aws_autoscaling_group")?.demand);
    expect(group).toMatchObject({
      instanceType: "m5.large",
      count: 4,
      countBasis: "desired-capacity",
      template: { linked: "module.app.aws_launch_template.web" },
    });
    expect(group.disks).toEqual([{ label: "block_device_mapping[0]", volumeType: "gp3", sizeGb: 30 }]);
  });
});

function relative(resource: { address: string }) {
  return { ...resource, address: resource.address.replace(/^module\.app\./, "") };
}
