import type { PolicyResource, StackValidationPolicy } from "@pulumi/policy";
import { beforeAll, describe, expect, it } from "vitest";
import { crossGuardPolicies } from "../../app/crossguard/policies.ts";
import { BUILT_IN_POLICIES } from "../../policies/index.ts";
import { policyResources } from "../helpers/pulumi-capture.ts";

const CORPUS = new URL("../fixtures/pulumi/corpus/", import.meta.url).pathname;
const policies = crossGuardPolicies();
const byName = (name: string) => policies.find((p) => p.name === name) as StackValidationPolicy;

/** Calls a stack policy's validation as the Pulumi CLI's analyzer would, and lists its violations. */
async function violations(name: string, resources: PolicyResource[], config: object = {}) {
  const found: { message: string; urn?: string }[] = [];
  await byName(name).validateStack?.(
    {
      resources,
      stackTags: new Map(),
      getConfig: <T>() => config as T,
      notApplicable: () => {
        throw new Error("not applicable");
      },
    },
    (message, urn) => found.push({ message, ...(urn ? { urn } : {}) }),
  );
  return found;
}

describe("the CrossGuard policy pack is GreenOps' policies, not a second copy of them", () => {
  it("has one stack policy per built-in policy, with its options' schema and an enforcement level from its severity", () => {
    expect(policies.map((p) => p.name)).toEqual(Object.keys(BUILT_IN_POLICIES));
    for (const policy of policies) {
      const own = BUILT_IN_POLICIES[policy.name as keyof typeof BUILT_IN_POLICIES];
      expect(policy.description).toBe(own.meta.description);
      expect(policy.enforcementLevel).toBe(own.meta.defaultSeverity === "error" ? "mandatory" : "advisory");
      expect(Object.keys(policy.configSchema?.properties ?? {})).toEqual([
        ...Object.keys(own.meta.options.properties),
        "environments",
      ]);
    }
    expect(byName("cost-budget-total").severity).toBe("high");
  });
});

describe("validations on resources of real programs evaluated under mocks", () => {
  let volumes: PolicyResource[];
  let nodeGroups: PolicyResource[];

  beforeAll(async () => {
    [volumes, nodeGroups] = await Promise.all([
      policyResources(`${CORPUS}aws-ts-ebs-volumes`, "dev"),
      policyResources(`${CORPUS}aws-ts-eks-managed-nodegroups`, "dev"),
    ]);
  }, 180_000);

  it("storage-class: the gp2 volume, on its URN", async () => {
    expect(await violations("storage-class", volumes)).toEqual([
      {
        message:
          "aws:ebs/volume:Volume::logs has a gp2 volume ($0.1/GB-month); gp3 costs $0.08/GB-month in us-east-1: set its volume type to gp3.",
        urn: "urn:pulumi:dev::aws-ts-ebs-volumes::aws:ebs/volume:Volume::logs",
      },
    ]);
  });

  it("instance families and replica caps on a component's node group, with the stack's settings from the config", async () => {
    const arm = await violations("prefer-arm", nodeGroups);
    expect(arm).toEqual([
      {
        message: expect.stringMatching(
          /^eks:index:ManagedNodeGroup::standard\/node-group runs m5\.large; m6g\.large would cost \$\d+\.\d\d and emit [\d.]+ kgCO2e less a month: set its instance type to m6g\.large\.$/,
        ),
        urn: "urn:pulumi:dev::aws-ts-eks-managed-nodegroups::eks:index:ManagedNodeGroup::standard",
      },
    ]);
    // A stack the config does not describe is neither production nor not: the production cap applies.
    expect(await violations("replicas-cap", nodeGroups)).toEqual([]);
    const development = { environments: { dev: { production: false } } };
    const capped = await violations("replicas-cap", nodeGroups, development);
    expect(capped.map((v) => v.message)).toEqual([
      "eks:index:ManagedNodeGroup::standard/node-group keeps 3 instances running, above the cap of 2 in non-production environment dev: set its desired size to 2.",
    ]);
    // In production (by the pack's config), 3 nodes are under the cap.
    const production = { environments: { dev: { production: true } } };
    expect(await violations("replicas-cap", nodeGroups, production)).toEqual([]);
  });

  it("budgets per stack: the stack's total against its budget, mandatory", async () => {
    const config = { environments: { dev: { budgets: { monthlyCost: 100 } } } };
    const [over] = await violations("cost-budget-total", nodeGroups, config);
    // The control plane ($73) and three m5.large nodes with 20 GB gp2 each ($216.24); spot is not priced.
    expect(over?.message).toMatch(/^dev would cost \$289\.24 a month, above the budget of \$100\.00/);
    expect(
      await violations("cost-budget-total", nodeGroups, {
        environments: { dev: { budgets: { monthlyCost: 500 } } },
      }),
    ).toEqual([]);
    expect(await violations("cost-budget-total", nodeGroups, { max: 200 })).toHaveLength(1);
  });

  it("counts a component's children, when a real preview has them, instead of its defaults", async () => {
    const urn = (type: string, name: string) => `urn:pulumi:dev::net::${type}::${name}`;
    const resource = (type: string, name: string, parent?: PolicyResource): PolicyResource =>
      ({
        type,
        name,
        urn: urn(type, name),
        props: {},
        opts: {},
        provider: {
          type: "pulumi:providers:aws",
          name: "default",
          urn: urn("pulumi:providers:aws", "default"),
          props: { region: "us-east-1" },
        },
        ...(parent ? { parent } : {}),
        dependencies: [],
        propertyDependencies: {},
        isType: () => false,
        asType: () => undefined,
      }) as unknown as PolicyResource;
    const vpc = resource("awsx:ec2:Vpc", "vpc");
    const expanded = [vpc, resource("aws:ec2/natGateway:NatGateway", "vpc-1", vpc)];
    const budget = { environments: { dev: { budgets: { monthlyCost: 1 } } } };
    // One NAT gateway the plugin created: $32.85, not awsx's default of three.
    expect((await violations("cost-budget-total", expanded, budget))[0]?.message).toMatch(
      /would cost \$32\.85 a month/,
    );
    expect((await violations("cost-budget-total", [vpc], budget))[0]?.message).toMatch(
      /would cost \$98\.55 a month/,
    );
  });
});
