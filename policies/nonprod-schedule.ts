import { describeEnvironment } from "../app/config/environment-kind.ts";
import { definePolicy } from "../app/engine/policy.ts";
import { field, setFields, workload } from "../app/engine/policy-kit.ts";
import { estimateResource } from "../app/estimate/estimate-resource.ts";
import { weeklyShare } from "../app/iac/kubernetes/downscaler.ts";
import type { Resource } from "../app/model/resource.ts";

type Options = { uptime: string; kinds: string[] };

/** The docs' example: a development Deployment, with these metadata lines. */
const storefront = (metadata = "") => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: storefront
  namespace: shop
${metadata}spec:
  replicas: 1
  selector: { matchLabels: { app: storefront } }
  template:
    metadata: { labels: { app: storefront } }
    spec:
      containers:
        - name: storefront
          image: example/storefront:3.2.0
          resources:
            requests: { cpu: "1", memory: 2Gi }
`;

/** A development environment used 60 hours a week runs, and costs, 168. */
export default definePolicy<Options, "alwaysOn">({
  meta: {
    id: "nonprod-schedule",
    title: "Non-production workloads sleep outside working hours",
    description:
      "Workloads in non-production environments carry a kube-downscaler uptime schedule instead of running around the clock (never in production, nor where GreenOps does not know which an environment is).",
    rationale:
      "Working hours are about a third of the week: scaling non-production workloads to zero outside them saves up to two thirds of their compute cost and emissions. GreenOps writes the schedule as kube-downscaler's `downscaler/uptime` annotation (caas-team/kube-downscaler), which the estimate honours, so the saving is shown before the change is merged. With ArgoCD self-heal, add `ignoreDifferences` on `/spec/replicas` so ArgoCD does not undo the scale-down.",
    category: "cost",
    scope: "resource",
    defaultSeverity: "notice",
    fix: "suggestion",
    options: {
      type: "object",
      properties: {
        uptime: {
          type: "string",
          default: "Mon-Fri 07:00-19:00 UTC",
          description: "The kube-downscaler schedule the fix writes.",
        },
        kinds: {
          type: "array",
          items: { type: "string" },
          default: ["Deployment", "StatefulSet", "Rollout"],
          description: "The kinds checked.",
        },
      },
      additionalProperties: false,
    },
    messages: {
      alwaysOn:
        '{{resource}} runs around the clock in {{environment}}; on "{{uptime}}" it would cost {{saving}} a month less',
    },
    fixDescription:
      "Adds the annotation `downscaler/uptime: <uptime>` to the workload's metadata. A suggestion: it takes effect only where kube-downscaler runs.",
    whenNotToUse:
      "For non-production environments used around the clock (shared integration environments, overnight test runs), or where kube-downscaler is not installed.",
    examples: {
      invalid: [
        { title: "A development Deployment that runs all week", environment: "dev", code: storefront() },
      ],
      valid: [
        {
          title: "The same Deployment on a working-hours schedule",
          environment: "dev",
          code: storefront("  annotations:\n    downscaler/uptime: Mon-Fri 07:00-19:00 Europe/Berlin\n"),
        },
      ],
    },
  },
  check(context) {
    const { resource, estimate, change } = context.resource;
    const demand = workload(context.resource);
    if (
      context.kind !== "non-production" ||
      !demand ||
      demand.uptime ||
      demand.runs ||
      !context.options.kinds.includes(resource.kind)
    )
      return;
    if (context.mode === "review" && change === "unchanged") return;
    if ((estimate.monthlyCost ?? 0) === 0) return;
    const { uptime } = context.options;
    const scheduled: Resource = {
      ...resource,
      demand: {
        ...demand,
        uptime: {
          share: weeklyShare(uptime),
          annotation: "downscaler/uptime",
          schedule: uptime,
          downtimeReplicas: 0,
        },
      },
    };
    const saving =
      (estimate.monthlyCost ?? 0) - (estimateResource(scheduled, context.environment).monthlyCost ?? 0);
    context.report({
      messageId: "alwaysOn",
      data: {
        resource: resource.id,
        environment: describeEnvironment(resource.environment, context.kind),
        uptime,
        saving: `$${saving.toFixed(2)}`,
      },
      at: field(resource, ["metadata", "name"]) ?? field(resource, ["kind"]),
      fix: {
        title: `Run ${resource.name} on "${uptime}" (kube-downscaler)`,
        edits: () =>
          setFields(context.text, resource, [
            { path: ["metadata", "annotations", "downscaler/uptime"], value: uptime },
          ]),
      },
    });
  },
});
