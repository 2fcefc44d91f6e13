import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { DEFAULT_SETTINGS } from "../../../app/config/environment-settings.ts";
import { pulumiPreview } from "../../../app/iac/pulumi/index.ts";
import { parseWith } from "../../helpers/parse-format.ts";

const URN = "urn:pulumi:dev::shop";
const state = (type: string, name: string, inputs: Record<string, unknown>, provider?: string) => ({
  urn: `${URN}::${type}::${name}`,
  type,
  custom: true,
  inputs,
  ...(provider ? { provider } : {}),
});

function parse(text: string, file = "preview.json") {
  return parseWith(pulumiPreview, file, text, { environment: "", settings: DEFAULT_SETTINGS });
}

describe("pulumi preview --json", () => {
  it("reads Infracost's example preview (pulumi 3.x, aws 5.4) with the stack's region", () => {
    const file = "test/fixtures/pulumi/preview/preview-multiple-resources.json";
    const text = readFileSync(new URL(`../../../${file}`, import.meta.url), "utf8");
    expect(pulumiPreview.detect(file, text)).toBe(true);
    const { resources, diagnostics } = parse(text, file);
    expect(diagnostics).toEqual([]);
    expect(resources.map((r) => [r.id, r.planned?.action, r.source.span.startLine])).toEqual([
      ["aws:ebs/volume:Volume::example", "create", 17],
      ["aws:ebs/volume:Volume::example-1", "create", 45],
    ]);
    expect(resources[0]?.demand).toMatchObject({
      type: "disk",
      location: { region: "us-east-1", regionBasis: "stack-config" },
      disk: { volumeType: "gp2", sizeGb: 40 },
    });
  });

  it("estimates the children a provider plugin built for a component, not the component's defaults", () => {
    const vpc = { ...state("awsx:ec2:Vpc", "vpc", {}), custom: false };
    const nat = {
      ...state("aws:ec2/natGateway:NatGateway", "vpc-1", { subnetId: "subnet-1" }),
      urn: `${URN}::awsx:ec2:Vpc$aws:ec2/natGateway:NatGateway::vpc-1`,
    };
    const steps = (states: object[]) =>
      JSON.stringify({
        config: { "aws:region": "us-east-1" },
        steps: states.map((s) => ({ op: "create", urn: (s as { urn: string }).urn, newState: s })),
      });
    expect(parse(steps([vpc, nat])).resources.map((r) => r.id)).toEqual([
      "aws:ec2/natGateway:NatGateway::vpc-1",
    ]);
    // A component alone (no children in the file) is estimated from its inputs and awsx's defaults.
    expect(
      parse(steps([vpc])).resources.map((r) => [r.id, r.demand.type === "hourly-service" && r.demand.count]),
    ).toEqual([["awsx:ec2:Vpc::vpc/nat-gateways", 3]]);
  });

  it("counts a replacement's steps once, with the old and the new state", () => {
    const old = state("aws:ec2/instance:Instance", "web", { instanceType: "t3.large" });
    const next = state("aws:ec2/instance:Instance", "web", { instanceType: "m5.large" });
    const text = JSON.stringify({
      config: { "aws:region": "us-east-1" },
      steps: [
        { op: "create-replacement", urn: next.urn, oldState: old, newState: next },
        { op: "replace", urn: next.urn, oldState: old, newState: next },
        { op: "delete-replaced", urn: next.urn, oldState: old },
      ],
    });
    const { resources } = parse(text);
    expect(
      resources.map((r) => [
        r.planned?.side,
        r.planned?.action,
        r.demand.type === "instance" && r.demand.instanceType,
      ]),
    ).toEqual([
      ["before", "replace", "t3.large"],
      ["after", "replace", "m5.large"],
    ]);
  });

  it("takes the region of an explicit provider, and links a group to its template through propertyDependencies", () => {
    const provider = state("pulumi:providers:aws", "euw1", { region: "eu-west-1" });
    const template = state(
      "aws:ec2/launchTemplate:LaunchTemplate",
      "workers",
      { instanceType: "m5.large" },
      `${provider.urn}::id`,
    );
    const group = {
      ...state(
        "aws:autoscaling/group:Group",
        "workers",
        { desiredCapacity: 2, launchTemplate: { id: "04da6b54-80e4-46f7-96ec-b56ff0331ba9" } },
        `${provider.urn}::id`,
      ),
      propertyDependencies: { launchTemplate: [template.urn] },
    };
    const text = JSON.stringify({
      steps: [provider, template, group].map((s) => ({ op: "create", urn: s.urn, newState: s })),
    });
    const { resources } = parse(text);
    expect(resources.find((r) => r.kind === "aws:autoscaling/group:Group")?.demand).toMatchObject({
      instanceType: "m5.large",
      count: 2,
      location: { region: "eu-west-1", regionBasis: "provider" },
      template: { linked: "aws:ec2/launchTemplate:LaunchTemplate::workers" },
    });
  });

  it("estimates Kubernetes resources with the Kubernetes estimator, and says which components it cannot expand", () => {
    const deployment = state("kubernetes:apps/v1:Deployment", "api", {
      apiVersion: "apps/v1",
      kind: "Deployment",
      metadata: { namespace: "shop" },
      spec: {
        replicas: 3,
        template: {
          spec: {
            containers: [
              {
                name: "api",
                resources: { requests: { cpu: "500m", memory: "04da6b54-80e4-46f7-96ec-b56ff0331ba9" } },
              },
            ],
          },
        },
      },
    });
    const chart = { ...state("kubernetes:helm.sh/v4:Chart", "redis", {}), custom: false };
    const text = JSON.stringify(
      { steps: [deployment, chart].map((s) => ({ op: "create", urn: s.urn, newState: s })) },
      null,
      2,
    );
    const { resources, diagnostics } = parse(text);
    expect(resources.map((r) => [r.id, r.source.format, r.source.span.startLine])).toEqual([
      ["Deployment/shop/api", "pulumi-preview", 3],
    ]);
    expect(resources[0]?.demand).toMatchObject({
      type: "workload",
      replicas: { count: 3 },
      pod: { cpuMillis: 1500 / 3 },
    });
    expect(resources[0]?.notes[0]).toBe(
      'metadata.name is not set: Pulumi names it after "api" with a random suffix',
    );
    expect(diagnostics).toEqual([
      expect.objectContaining({
        severity: "warning",
        message: expect.stringContaining(
          'kubernetes:helm.sh/v4:Chart "redis" is expanded only by the Kubernetes provider plugin',
        ),
      }),
    ]);
  });

  it("skips a step it cannot read, with its line", () => {
    const text = JSON.stringify({ steps: [{ op: "create" }] }, null, 2);
    expect(parse(text).diagnostics).toEqual([
      expect.objectContaining({
        line: 3,
        severity: "warning",
        message: "steps[0]: the step must have required property 'urn'; skipped",
      }),
    ]);
  });
});
