import { definePolicy } from "../app/engine/policy.ts";
import { gridFactor } from "../app/estimate/catalog/carbon-data.ts";

type Options = { maxGramsPerKWh: number; allowedRegions: string[] };

/** The docs' example: a new batch workload in us-east-1. */
const SCORER = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: batch-scoring
  namespace: ml
spec:
  replicas: 4
  selector: { matchLabels: { app: batch-scoring } }
  template:
    metadata: { labels: { app: batch-scoring } }
    spec:
      containers:
        - name: scorer
          image: example/scorer:0.8.2
          resources:
            requests: { cpu: "2", memory: 4Gi }
`;

/** The same workload emits in proportion to its grid's carbon intensity. */
export default definePolicy<Options, "region">({
  meta: {
    id: "region-carbon",
    title: "New resources go to a cleaner region when one is allowed",
    description:
      "A resource added in a region whose grid emits more than `maxGramsPerKWh` is reported when a cleaner region of the same cloud is in `allowedRegions`.",
    rationale:
      "Operational emissions are energy × the grid's carbon intensity: the same pods emit several times more on a coal-heavy grid than on a hydro or nuclear one (Cloud Carbon Footprint's factors range from under 10 to over 900 gCO2e/kWh across AWS regions). Placement is decided when a resource is added, so that is when the policy speaks; only regions your organisation allows are proposed.",
    category: "carbon",
    scope: "resource",
    defaultSeverity: "notice",
    options: {
      type: "object",
      properties: {
        maxGramsPerKWh: {
          type: "number",
          minimum: 0,
          default: 300,
          description: "Grid intensity above which a region is reported.",
        },
        allowedRegions: {
          type: "array",
          items: { type: "string" },
          default: [],
          description: "Regions of the same cloud you may deploy to (none: the policy stays silent).",
        },
      },
      additionalProperties: false,
    },
    messages: {
      region:
        "{{resource}} is added in {{region}} ({{current}} gCO2e/kWh); {{alternative}} ({{clean}} gCO2e/kWh) is allowed and would emit {{saving}} kgCO2e a month less",
    },
    whenNotToUse: "When data residency, latency or a provider's service availability fixes the region.",
    examples: {
      invalid: [
        {
          title: "A new workload in us-east-1 when ca-central-1 is allowed",
          options: { allowedRegions: ["ca-central-1"] },
          code: SCORER,
        },
      ],
      valid: [{ title: "No cleaner region is allowed", code: SCORER }],
    },
  },
  check(context) {
    const { resource, estimate, change } = context.resource;
    if (change !== "added" && context.mode === "review") return;
    const { cloud, region } = context.environment.settings;
    const current = context.environment.carbon.grid;
    if (!current.regionKnown || current.gPerKWh <= context.options.maxGramsPerKWh) return;
    const kWh = estimate.carbon.reduce((sum, line) => sum + (line.kWh ?? 0), 0);
    if (kWh === 0) return;
    const cleanest = context.options.allowedRegions
      .map((name) => ({ name, factor: gridFactor(cloud, name) }))
      .filter((r) => r.factor.regionKnown && r.factor.gPerKWh < current.gPerKWh)
      .sort((a, b) => a.factor.gPerKWh - b.factor.gPerKWh)[0];
    if (!cleanest) return;
    context.report({
      messageId: "region",
      data: {
        resource: resource.id,
        region,
        current: current.gPerKWh,
        alternative: cleanest.name,
        clean: cleanest.factor.gPerKWh,
        saving: Number(((kWh * (current.gPerKWh - cleanest.factor.gPerKWh)) / 1000).toFixed(3)),
      },
    });
  },
});
