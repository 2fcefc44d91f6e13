import { definePolicy, type PolicyContext, type ReviewedResource } from "../app/engine/policy.ts";
import { attributeFix, configSpan } from "../app/engine/policy-kit.ts";
import { environmentBasis } from "../app/estimate/basis.ts";
import { nodeOffer } from "../app/estimate/catalog/prices.ts";
import { estimateNode, estimateResource } from "../app/estimate/estimate-resource.ts";
import { YamlEditor } from "../app/iac/yaml/yaml-edits.ts";

type Options = { families: Record<string, string[]> };

/** x86 families and their Graviton equivalents, newest last; the same size is compared. */
const GRAVITON: Record<string, string[]> = {
  general: ["m6g", "m7g", "m8g"],
  compute: ["c6g", "c7g", "c8g"],
  memory: ["r6g", "r7g", "r8g"],
  burstable: ["t4g"],
};
const X86: Record<string, keyof typeof GRAVITON> = {
  m4: "general",
  m5: "general",
  m5a: "general",
  m5n: "general",
  m6i: "general",
  m6a: "general",
  m7i: "general",
  m7a: "general",
  c4: "compute",
  c5: "compute",
  c5a: "compute",
  c5n: "compute",
  c6i: "compute",
  c6a: "compute",
  c7i: "compute",
  c7a: "compute",
  r4: "memory",
  r5: "memory",
  r5a: "memory",
  r5n: "memory",
  r6i: "memory",
  r6a: "memory",
  r7i: "memory",
  r7a: "memory",
  t2: "burstable",
  t3: "burstable",
  t3a: "burstable",
};

/** The docs' example: an estimate of production whose settings name this node type. */
const production = (nodeType: string) => ({
  mode: "estimate" as const,
  environment: "prod",
  files: {
    "environments/prod/greenops.yml": `# the production cluster
cloud: aws
region: us-east-1
nodeInstanceType: ${nodeType}
nodeCount: 3
currency: USD
`,
  },
  code: "apiVersion: v1\nkind: Namespace\nmetadata: { name: shop }\n",
});

/** Graviton nodes cost less and draw less power per vCPU than the x86 types they replace. */
export default definePolicy<Options, "arm" | "instance">({
  meta: {
    id: "prefer-arm",
    title: "Nodes use an ARM (Graviton) type when it is cheaper and cleaner",
    description:
      "An environment's x86 node type, and the x86 instance type of a cloud resource (an instance, an autoscaling or node group), is swapped for the Graviton type of the same size when that is both cheaper and lower-carbon.",
    rationale:
      "AWS Graviton types list 10–20 % below their x86 equivalents, and Cloud Carbon Footprint's coefficients give Graviton2 0.47–1.69 W per vCPU against 0.65–4.26 W for Skylake. The policy only proposes a type whose price (the bundled AWS price table) and carbon (CCF, in the environment's region) are both lower, and shows both savings.",
    category: "carbon",
    scope: "environment",
    defaultSeverity: "notice",
    fix: "suggestion",
    options: {
      type: "object",
      properties: {
        families: {
          type: "object",
          additionalProperties: { type: "array", items: { type: "string" } },
          default: {},
          description: 'More x86 family → ARM families to consider, e.g. { "m6in": ["m7g"] }.',
        },
      },
      additionalProperties: false,
    },
    messages: {
      arm: "{{from}} nodes could be {{to}}: {{cost}} and {{carbon}} a month less for {{nodes}} node(s) in {{environment}}",
      instance:
        "{{resource}} runs {{from}}; {{to}} would cost {{cost}} and emit {{carbon}} less a month{{how}}",
    },
    fixDescription:
      "Replaces nodeInstanceType in the environment's settings, or the instance type literal (or the stack config value) of a cloud resource a Pulumi program declares. A suggestion: every image must be built for arm64. An instance type the program computes, or takes from a launch template, is reported with the change to make by hand.",
    whenNotToUse:
      "When some images have no arm64 build, or a workload depends on x86-only instructions or licences.",
    examples: {
      invalid: [
        {
          title: "An Intel node type with a Graviton equivalent",
          ...production("m5.xlarge # chosen in 2023"),
        },
      ],
      valid: [{ title: "Graviton nodes", ...production("m6g.xlarge") }],
    },
  },
  check(context) {
    for (const reviewed of context.resources) {
      if (context.mode === "estimate" || reviewed.change === "added" || reviewed.change === "changed")
        checkInstance(context, reviewed);
    }
    const basis = context.environment;
    const { settings, settingsFile } = basis;
    const from = settings.nodeInstanceType;
    if (!from || !settingsFile || settings.cloud !== "aws") return;
    if (context.mode === "review" && !context.touched(settingsFile)) return;
    const current = estimateNode(basis);
    const cost = current?.monthlyCost;
    const carbon = current?.monthlyCarbonKg;
    if (cost === null || cost === undefined || carbon === null || carbon === undefined) return;
    const best = candidates(from, context.options.families)
      .map((type) => ({
        type,
        basis: environmentBasis(basis.environment, { ...settings, nodeInstanceType: type }),
      }))
      .map((c) => ({ ...c, node: c.basis.compute.node, estimate: estimateNode(c.basis) }))
      .filter(
        (c) =>
          c.node &&
          c.node.vcpus >= (basis.compute.node?.vcpus ?? 0) &&
          c.node.memoryGiB >= (basis.compute.node?.memoryGiB ?? 0),
      )
      .filter((c) => lower(c.estimate?.monthlyCost, cost) && lower(c.estimate?.monthlyCarbonKg, carbon))
      .sort((a, b) => (a.estimate?.monthlyCost ?? 0) - (b.estimate?.monthlyCost ?? 0))[0];
    if (!best?.estimate) return;
    const nodes = settings.nodeCount ?? 1;
    const text = context.text(settingsFile);
    context.report({
      messageId: "arm",
      data: {
        from,
        to: best.type,
        cost: `$${((cost - (best.estimate.monthlyCost ?? 0)) * nodes).toFixed(2)}`,
        carbon: `${((carbon - (best.estimate.monthlyCarbonKg ?? 0)) * nodes).toFixed(2)} kgCO2e`,
        nodes,
        environment: basis.environment,
      },
      at: configSpan(settingsFile, text, ["nodeInstanceType"]),
      ...(text === undefined
        ? {}
        : {
            fix: {
              title: `Use ${best.type} nodes`,
              edits: () =>
                new YamlEditor(() => text).set(settingsFile, 0, [], ["nodeInstanceType"], best.type),
            },
          }),
    });
  },
});

type Context = PolicyContext<Options, "arm" | "instance">;

/** A cloud resource's x86 instances, as the cheapest Graviton type of the same size that also emits less. */
function checkInstance(context: Context, { resource, estimate }: ReviewedResource): void {
  const demand = resource.demand;
  const region = demand.type === "instance" ? demand.location.region : undefined;
  if (demand.type !== "instance" || demand.location.cloud !== "aws" || !region || !demand.instanceType)
    return;
  const { monthlyCost: cost, monthlyCarbonKg: carbon } = estimate;
  const current = nodeOffer("aws", region, demand.instanceType);
  if (cost === null || carbon === null || !("offer" in current)) return;
  const best = candidates(demand.instanceType, context.options.families)
    .map((type) => ({ type, offer: nodeOffer("aws", region, type) }))
    .filter(
      (c) =>
        "offer" in c.offer &&
        c.offer.offer.vcpus >= current.offer.vcpus &&
        c.offer.offer.memoryGiB >= current.offer.memoryGiB,
    )
    .map((c) => ({
      type: c.type,
      estimate: estimateResource(
        { ...resource, demand: { ...demand, instanceType: c.type } },
        context.environment,
      ),
    }))
    .filter((c) => lower(c.estimate.monthlyCost, cost) && lower(c.estimate.monthlyCarbonKg, carbon))
    .sort((a, b) => (a.estimate.monthlyCost ?? 0) - (b.estimate.monthlyCost ?? 0))[0];
  if (!best) return;
  const { how, ...located } = attributeFix(context.text, resource, demand.at?.instanceType, {
    what: "instance type",
    value: best.type,
    title: `Use ${best.type}`,
  });
  context.report({
    messageId: "instance",
    data: {
      resource: resource.id,
      from: demand.instanceType,
      to: best.type,
      cost: `$${(cost - (best.estimate.monthlyCost ?? 0)).toFixed(2)}`,
      carbon: `${(carbon - (best.estimate.monthlyCarbonKg ?? 0)).toFixed(2)} kgCO2e`,
      how,
    },
    resource,
    ...located,
  });
}

function candidates(type: string, extra: Record<string, string[]>): string[] {
  const [family = "", size] = type.split(".");
  const families = [...(GRAVITON[X86[family] ?? ""] ?? []), ...(extra[family] ?? [])];
  return size ? families.map((f) => `${f}.${size}`) : [];
}

function lower(value: number | null | undefined, than: number): boolean {
  return value !== null && value !== undefined && value < than;
}
