import { describeEnvironment } from "../config/environment-kind.ts";
import type { Budgets } from "../config/environment-settings.ts";
import { definePolicy, type Policy, type PolicyMeta, type ReviewedResource } from "./policy.ts";

type Measure = "monthlyCost" | "monthlyCarbonKg";
type Options = { max: number | null };

/** What distinguishes one budget policy from another: what it sums, over what, and its words. */
type Budget = Pick<
  PolicyMeta<"over">,
  "id" | "title" | "description" | "rationale" | "category" | "examples"
> & {
  measure: Measure;
  /** delta: what one change adds; total: what the environment costs or emits after it. */
  span: "delta" | "total";
  /** The environment settings' budget that applies when the option is not set. */
  budget: keyof Budgets;
  message: string;
};

const FORMAT: Record<Measure, (value: number) => string> = {
  monthlyCost: (value) => `$${value.toFixed(2)}`,
  monthlyCarbonKg: (value) => `${value.toFixed(2)} kgCO2e`,
};

/**
 * The four budget policies (cost and carbon, per change and in total) are one check over different
 * figures. A finding is anchored on the resource that adds the most, so it shows on the diff.
 */
export function budgetPolicy(budget: Budget): Policy<Options, "over"> {
  return definePolicy<Options, "over">({
    meta: {
      id: budget.id,
      title: budget.title,
      description: budget.description,
      rationale: budget.rationale,
      category: budget.category,
      ...(budget.examples ? { examples: budget.examples } : {}),
      scope: "environment",
      defaultSeverity: "error",
      options: {
        type: "object",
        properties: {
          max: {
            type: ["number", "null"],
            minimum: 0,
            default: null,
            description: `The budget; when null, the environment settings' budgets.${budget.budget} (no check when neither is set).`,
          },
        },
        additionalProperties: false,
      },
      messages: { over: budget.message },
      whenNotToUse:
        "When the budget is enforced elsewhere (a FinOps approval step), or an environment has no agreed budget.",
    },
    check(context) {
      const limit = context.options.max ?? context.environment.settings.budgets?.[budget.budget];
      if (limit === undefined || limit === null) return;
      const { before, after } = context.totals;
      const delta = after[budget.measure] - before[budget.measure];
      let value: number;
      if (budget.span === "delta") {
        if (context.mode !== "review") return;
        value = delta;
      } else {
        const total = context.mode === "estimate" ? after : context.environmentTotal;
        if (!total || (context.mode === "review" && delta <= 0)) return;
        value = total[budget.measure];
      }
      if (value <= limit) return;
      const largest = largestIncrease(context.resources, budget.measure, context.mode);
      const format = FORMAT[budget.measure];
      context.report({
        messageId: "over",
        data: {
          value: format(value),
          budget: format(limit),
          environment: describeEnvironment(context.environment.environment),
          largest: largest ? `${largest.resource.resource.id} ${format(largest.delta)}` : "none",
        },
        ...(largest ? { resource: largest.resource.resource } : {}),
      });
    },
  });
}

function largestIncrease(
  resources: readonly ReviewedResource[],
  measure: Measure,
  mode: "review" | "estimate",
) {
  let best: { resource: ReviewedResource; delta: number } | undefined;
  for (const resource of resources) {
    if (resource.change === "removed") continue;
    const delta =
      (resource.estimate[measure] ?? 0) - (mode === "review" ? (resource.before?.estimate[measure] ?? 0) : 0);
    if (!best || delta > best.delta) best = { resource, delta };
  }
  return best;
}

/** The budget policies' docs example: an API Deployment of this many replicas (1 vCPU, 1 GiB each). */
export function exampleDeployment(replicas: number): string {
  return `apiVersion: apps/v1
kind: Deployment
metadata:
  name: api
  namespace: shop
spec:
  replicas: ${replicas}
  selector: { matchLabels: { app: api } }
  template:
    metadata: { labels: { app: api } }
    spec:
      containers:
        - name: api
          image: example/api:2.4.1
          resources:
            requests: { cpu: "1", memory: 1Gi }
`;
}
