import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { DEFAULT_SETTINGS } from "../../../app/config/environment-settings.ts";
import { cdktf } from "../../../app/iac/cdktf/index.ts";
import type { InstanceDemand } from "../../../app/model/cloud.ts";
import { parseWith } from "../../helpers/parse-format.ts";

const FILE = "test/fixtures/cdktf/synthesized/cdk.tf.json";
const SYNTHESIZED = readFileSync(new URL(`../../../${FILE}`, import.meta.url), "utf8");

function parse(text: string, file = FILE) {
  return parseWith(cdktf, file, text, { environment: "", settings: DEFAULT_SETTINGS });
}

describe("CDKTF synthesized stacks (cdk.tf.json, as cdktf 0.21.0 wrote it)", () => {
  const { resources, diagnostics } = parse(SYNTHESIZED);
  const byId = (id: string) => resources.find((r) => r.id === id);
  const instance = (id: string) => {
    const demand = byId(id)?.demand;
    if (demand?.type !== "instance") throw new Error(`${id} is not an instance`);
    return demand as InstanceDemand;
  };

  it("reads every resource block with its Terraform address, construct path and line", () => {
    expect(diagnostics).toEqual([]);
    expect(resources.map((r) => [r.id, r.name, r.source.span.startLine])).toEqual([
      ["aws_autoscaling_group.workers", "shop/workers", 51],
      ["aws_ebs_volume.cache[0]", "shop/cache", 67],
      ["aws_ebs_volume.cache[1]", "shop/cache", 67],
      ["aws_iam_role.app", "shop/app", 81],
      ["aws_instance.eu_web", "shop/eu_web", 92],
      ["aws_instance.web", "shop/web", 102],
      ["aws_launch_template.workers_template", "shop/workers_template", 117],
    ]);
  });

  it("takes each resource's region from its provider, aliases included", () => {
    const region = (id: string) => instance(id).location.region;
    expect(region("aws_instance.web")).toBe("us-east-1");
    expect(region("aws_instance.eu_web")).toBe("eu-west-1");
  });

  it("follows an interpolation of the launch template's id to the template", () => {
    expect(byId("aws_autoscaling_group.workers")?.demand).toMatchObject({
      type: "instance",
      instanceType: "m5.large",
      count: 3,
      template: { linked: "aws_launch_template.workers_template" },
    });
  });

  it("reads a root block device written as an object (CDKTF) as well as a list (plans)", () => {
    expect(instance("aws_instance.web").disks).toEqual([
      {
        label: "root_block_device",
        volumeType: "gp3",
        sizeGb: 50,
        typeAt: ["root_block_device", "volume_type"],
      },
    ]);
  });
});

describe("Terraform JSON configurations", () => {
  it("counts a computed count or a for_each once, and says so", () => {
    const text = JSON.stringify({
      resource: {
        aws_instance: {
          a: { instance_type: "t3.micro", count: `\${var.n}` },
          b: { instance_type: "t3.micro", for_each: `\${toset(var.names)}` },
        },
      },
      module: { vpc: { source: "terraform-aws-modules/vpc/aws" } },
    });
    const { resources, diagnostics } = parse(text, "main.tf.json");
    expect(resources.map((r) => r.id)).toEqual(["aws_instance.a[0]", "aws_instance.b"]);
    expect(diagnostics.map((d) => d.message)).toEqual([
      "aws_instance.a: count is known only after apply; counted as 1",
      "aws_instance.b: for_each keys are not evaluated; counted as 1",
      'module "vpc" is not expanded: estimate the plan JSON (terraform show -json) to include its resources',
    ]);
  });

  it("resolves a provider region given as a variable's default", () => {
    const text = JSON.stringify({
      variable: { region: { default: "us-east-1" } },
      provider: { aws: [{ region: `\${var.region}` }] },
      resource: { aws_nat_gateway: { egress: {} } },
    });
    expect(parse(text, "main.tf.json").resources[0]?.demand).toMatchObject({
      location: { region: "us-east-1", regionBasis: "provider" },
    });
  });

  it("refuses a file whose resource blocks are not objects, with its line", () => {
    const { resources, diagnostics } = parse(
      '{\n  "resource": {\n    "aws_instance": []\n  }\n}',
      "x.tf.json",
    );
    expect(resources).toEqual([]);
    expect(diagnostics).toEqual([
      expect.objectContaining({
        line: 3,
        severity: "error",
        message: expect.stringContaining("must be object"),
      }),
    ]);
  });

  it("is recognised by name: cdk.tf.json and *.tf.json", () => {
    expect(cdktf.detect("cdktf.out/stacks/shop/cdk.tf.json", SYNTHESIZED)).toBe(true);
    expect(cdktf.detect("infra/main.tf.json", '{"resource": {}}')).toBe(true);
    expect(cdktf.detect("infra/main.json", SYNTHESIZED)).toBe(false);
  });
});
