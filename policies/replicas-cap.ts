import { describeEnvironment } from "../app/config/environment-kind.ts";
import { definePolicy } from "../app/engine/policy.ts";
import { attributeFix, field, setFields, workload } from "../app/engine/policy-kit.ts";
import type { AttributePath } from "../app/model/cloud.ts";
import type { Resource } from "../app/model/resource.ts";

type Options = { max: number; nonProductionMax: number; nonProductionHpaMinimum: number };

/** The docs' example: a Deployment with this `replicas` line. */
const checkout = (replicas: string) => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: checkout
  namespace: shop
spec:
  ${replicas}
  selector: { matchLabels: { app: checkout } }
  template:
    metadata: { labels: { app: checkout } }
    spec:
      containers:
        - name: checkout
          image: example/checkout:1.9.0
          resources:
            requests: { cpu: 500m, memory: 1Gi }
`;

/** More replicas than an environment needs multiply every other cost. */
export default definePolicy<Options, "replicas" | "autoscalerMinimum" | "capacity">({
  meta: {
    id: "replicas-cap",
    title: "Replicas stay under the environment's cap",
    description:
      "A workload's replicas, an autoscaler's minimum, and the desired size of a cloud group (an autoscaling or node group, an ECS service's tasks) stay under a cap: `nonProductionMax` in non-production environments, `max` everywhere else (production, and environments GreenOps does not know to be either).",
    rationale:
      "Cost and carbon grow linearly with replicas. Non-production environments rarely need redundancy, and an autoscaler's minimum is paid around the clock whatever the load; a cap per environment catches a copy-pasted production replica count in review.",
    category: "cost",
    scope: "resource",
    defaultSeverity: "warning",
    fix: "suggestion",
    options: {
      type: "object",
      properties: {
        max: {
          type: "integer",
          minimum: 1,
          default: 50,
          description: "Replicas allowed in production and in environments of unknown kind.",
        },
        nonProductionMax: {
          type: "integer",
          minimum: 0,
          default: 2,
          description: "Replicas allowed in non-production environments.",
        },
        nonProductionHpaMinimum: {
          type: "integer",
          minimum: 0,
          default: 1,
          description: "The highest minReplicas an autoscaler may keep in non-production environments.",
        },
      },
      additionalProperties: false,
    },
    messages: {
      replicas: "{{kind}} {{name}} runs {{replicas}} replicas, above the cap of {{cap}} in {{environment}}",
      autoscalerMinimum:
        "the autoscaler keeps at least {{minimum}} replicas of {{target}} in {{environment}}, above {{cap}}",
      capacity:
        "{{resource}} keeps {{count}} {{what}} running, above the cap of {{cap}} in {{environment}}{{how}}",
    },
    fixDescription:
      "Lowers spec.replicas (or the autoscaler's minReplicas, or a cloud group's desired size as a Pulumi program writes it) to the cap. A suggestion: check the workload's availability needs. A count the program computes is reported with the change to make by hand.",
    whenNotToUse:
      "For environments that must mirror production's redundancy (load tests, disaster-recovery rehearsals): raise the cap there instead.",
    examples: {
      invalid: [
        {
          title: "Production's replica count copied into staging",
          environment: "staging",
          code: checkout("replicas: 6 # same as prod"),
        },
      ],
      valid: [
        {
          title: "Six replicas in production",
          environment: "prod",
          settings: { production: true },
          code: checkout("replicas: 6"),
        },
      ],
    },
  },
  check(context) {
    const { resource } = context.resource;
    const nonProduction = context.kind === "non-production";
    const environment = describeEnvironment(resource.environment, context.kind);
    const demand = workload(context.resource);
    if (demand?.replicas.basis === "spec") {
      const cap = nonProduction ? context.options.nonProductionMax : context.options.max;
      if (demand.replicas.count <= cap) return;
      context.report({
        messageId: "replicas",
        data: { kind: resource.kind, name: resource.name, replicas: demand.replicas.count, cap, environment },
        at: field(resource, ["spec", "replicas"]),
        fix: {
          title: `Run ${cap} replicas`,
          edits: () => setFields(context.text, resource, [{ path: ["spec", "replicas"], value: cap }]),
        },
      });
      return;
    }
    const group = cloudGroup(resource);
    if (group) {
      const cap = nonProduction ? context.options.nonProductionMax : context.options.max;
      if (group.count <= cap) return;
      const { how, ...located } = attributeFix(context.text, resource, group.at, {
        what: "desired size",
        value: cap,
        title: `Keep ${cap} ${group.what}`,
      });
      context.report({
        messageId: "capacity",
        data: { resource: resource.id, count: group.count, what: group.what, cap, environment, how },
        ...located,
      });
      return;
    }
    const effect = resource.demand.type === "modifier" ? resource.demand.effect : undefined;
    if (effect?.kind !== "autoscaler" || !nonProduction) return;
    const cap = context.options.nonProductionHpaMinimum;
    if (effect.minReplicas <= cap) return;
    context.report({
      messageId: "autoscalerMinimum",
      data: {
        minimum: effect.minReplicas,
        target: `${effect.target.kind}/${effect.target.name}`,
        cap,
        environment,
      },
      at: field(resource, ["spec", "minReplicas"]),
      fix: {
        title: `Keep at least ${cap} replica${cap === 1 ? "" : "s"}`,
        edits: () => setFields(context.text, resource, [{ path: ["spec", "minReplicas"], value: cap }]),
      },
    });
  },
});

/** A cloud resource that keeps a desired number of instances or tasks running, and where that number is written. */
function cloudGroup(resource: Resource): { count: number; what: string; at?: AttributePath } | undefined {
  const demand = resource.demand;
  if (demand.type === "instance" && demand.countBasis === "desired-capacity")
    return { count: demand.count, what: "instances", ...(demand.at?.count ? { at: demand.at.count } : {}) };
  if (demand.type === "fargate" && demand.tasksBasis === "desired-count")
    return { count: demand.tasks, what: "tasks", ...(demand.at?.count ? { at: demand.at.count } : {}) };
  return undefined;
}
