import { describe, expect, it } from "vitest";
import { stackRegions } from "../../../app/iac/pulumi/regions.ts";
import {
  projectConfig,
  pulumiConfig,
  readPulumiYaml,
  SECRET_PLACEHOLDER,
  stackConfig,
} from "../../../app/iac/pulumi/stack-config.ts";

const PROJECT = `name: shop
runtime: nodejs
config:
  replicas: 2
  tier:
    type: string
    default: small
  instanceType:
    type: string
  aws:region:
    value: eu-west-1
template:
  config:
    aws:region:
      description: The AWS region to deploy into
      default: us-west-2
    tier:
      default: medium
    dbName:
      default: shop
`;

const layered = (stack?: string) => {
  const project = readPulumiYaml("Pulumi.yaml", PROJECT);
  const read = stack === undefined ? undefined : readPulumiYaml("Pulumi.dev.yaml", stack);
  return stackConfig("shop", "dev", read, projectConfig("shop", project));
};

describe("stack config: Pulumi.<stack>.yaml over Pulumi.yaml's config over its template defaults", () => {
  it("layers the values and keeps where each was read", () => {
    const config = layered("config:\n  shop:tier: large\n  shop:dbPassword:\n    secure: AAABAKqP\n");
    const read = (key: string) => {
      const value = config.values.get(key);
      return value && [value.value, value.layer, value.at.file, value.at.value.startLine];
    };
    expect(read("shop:tier")).toEqual(["large", "stack", "Pulumi.dev.yaml", 2]);
    expect(read("shop:replicas")).toEqual([2, "project", "Pulumi.yaml", 4]);
    expect(read("shop:dbName")).toEqual(["shop", "template", "Pulumi.yaml", 20]);
    expect(read("aws:region")).toEqual(["eu-west-1", "project", "Pulumi.yaml", 11]);
    expect(read("shop:instanceType")).toBeUndefined();
    expect(pulumiConfig(config)).toEqual({
      values: {
        "aws:region": "eu-west-1",
        "shop:dbName": "shop",
        "shop:dbPassword": SECRET_PLACEHOLDER,
        "shop:replicas": "2",
        "shop:tier": "large",
      },
      secrets: ["shop:dbPassword"],
    });
  });

  it.each([
    [
      "the stack's config",
      "config:\n  aws:region: ap-south-1\n",
      undefined,
      "ap-south-1",
      "stack-config",
      "aws:region in Pulumi.dev.yaml",
    ],
    [
      "the project's config",
      undefined,
      undefined,
      "eu-west-1",
      "project-config",
      "aws:region in Pulumi.yaml",
    ],
  ] as const)("takes the region from %s", (_, stack, shell, region, basis, from) => {
    expect(stackRegions(layered(stack).values, shell).aws).toEqual({ region, basis, from });
  });

  it("falls back to the template's default, then to the shell's AWS_REGION", () => {
    const project = readPulumiYaml(
      "Pulumi.yaml",
      PROJECT.replace("  aws:region:\n    value: eu-west-1\n", ""),
    );
    const config = stackConfig("shop", "dev", undefined, projectConfig("shop", project));
    expect(stackRegions(config.values, { region: "us-east-2", variable: "AWS_REGION" }).aws).toEqual({
      region: "us-west-2",
      basis: "template-default",
      from: "the template default of aws:region in Pulumi.yaml",
    });
    const bare = stackConfig("shop", "dev", undefined, new Map());
    expect(stackRegions(bare.values, { region: "us-east-2", variable: "AWS_REGION" }).aws).toEqual({
      region: "us-east-2",
      basis: "process-env",
      from: "AWS_REGION of the shell",
    });
    expect(stackRegions(bare.values).aws).toBeUndefined();
  });

  it("reads a GCP zone as its region and an Azure location", () => {
    const stack = readPulumiYaml(
      "Pulumi.dev.yaml",
      "config:\n  gcp:zone: europe-west1-b\n  azure-native:location: westeurope\n",
    );
    const regions = stackRegions(stackConfig("shop", "dev", stack, new Map()).values);
    expect([regions.gcp?.region, regions.azure?.region]).toEqual(["europe-west1", "westeurope"]);
  });

  it("reports invalid YAML at its line", () => {
    expect(readPulumiYaml("Pulumi.dev.yaml", "config:\n  a: [1\n").diagnostics).toEqual([
      expect.objectContaining({
        file: "Pulumi.dev.yaml",
        severity: "error",
        message: expect.stringMatching(/^invalid YAML/),
      }),
    ]);
  });
});
