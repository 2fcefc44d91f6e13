import { definePolicy } from "../app/engine/policy.ts";
import { containers, field, setFields } from "../app/engine/policy-kit.ts";
import { formatCpu, formatMemory } from "../app/iac/kubernetes/quantity.ts";

type Resource = "cpu" | "memory";
type Options = { resources: Resource[]; maxRatio: number; fixRatio: number };

const MIB = 2 ** 20;

/** The docs' example: a Deployment requesting 512Mi, with this `limits` line. */
const api = (limits: string) => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: api
  namespace: shop
spec:
  replicas: 3
  selector: { matchLabels: { app: api } }
  template:
    metadata: { labels: { app: api } }
    spec:
      containers:
        - name: api
          image: example/api:2.4.1
          resources:
            requests: { cpu: 500m, memory: 512Mi }
            ${limits}
`;

/** A limit far above the request lets one pod take what the scheduler gave others. */
export default definePolicy<Options, "missingLimit" | "ratio">({
  meta: {
    id: "limits-ratio",
    title: "Limits stay close to requests",
    description:
      "Containers set a limit for each checked resource (memory by default), at most `maxRatio` times the request.",
    rationale:
      "Nodes are sized, priced and packed by requests. A memory limit far above the request overcommits the node: under pressure the kernel kills whichever pod exceeds its request, and teams answer by adding nodes that sit idle. A memory limit equal to the request is the common recommendation; CPU limits are a debated choice, so CPU is not checked unless you list it.",
    category: "reliability",
    scope: "resource",
    defaultSeverity: "warning",
    fix: "suggestion",
    options: {
      type: "object",
      properties: {
        resources: {
          type: "array",
          items: { type: "string", enum: ["cpu", "memory"] },
          uniqueItems: true,
          default: ["memory"],
          description: "The resources whose limits are checked.",
        },
        maxRatio: {
          type: "number",
          exclusiveMinimum: 0,
          default: 2,
          description: "The highest limit/request ratio allowed.",
        },
        fixRatio: {
          type: "number",
          exclusiveMinimum: 0,
          default: 1,
          description: "limit = request × fixRatio where a limit is missing.",
        },
      },
      additionalProperties: false,
    },
    messages: {
      missingLimit: 'container "{{container}}" sets no {{resource}} limit',
      ratio: 'container "{{container}}" limits {{resource}} to {{ratio}}× its request, above {{max}}×',
    },
    fixDescription:
      "Sets the limit to the request × fixRatio (missing limit) or × maxRatio (ratio too high), rounded up to whole Mi or millicores.",
    whenNotToUse:
      "For workloads that legitimately burst far above their steady state and run on nodes reserved for them.",
    examples: {
      invalid: [
        {
          title: "A memory limit eight times the request",
          code: api("limits: { memory: 4Gi } # room for the import job"),
        },
      ],
      valid: [
        {
          title: "A memory limit equal to the request; no CPU limit",
          code: api("limits: { memory: 512Mi }"),
        },
      ],
    },
  },
  check(context) {
    const { resource } = context.resource;
    for (const { container, path } of containers(context.resource)) {
      for (const kind of context.options.resources) {
        const request = kind === "cpu" ? container.requests.cpuMillis : container.requests.memoryBytes;
        const limit = kind === "cpu" ? container.limits.cpuMillis : container.limits.memoryBytes;
        if (request === undefined || request === 0) continue;
        const ratio = limit === undefined ? undefined : limit / request;
        if (ratio !== undefined && ratio <= context.options.maxRatio) continue;
        const target = request * (ratio === undefined ? context.options.fixRatio : context.options.maxRatio);
        const value =
          kind === "cpu" ? formatCpu(Math.ceil(target)) : formatMemory(Math.ceil(target / MIB) * MIB);
        const fix = {
          title: `Limit ${kind} to ${value} for container "${container.name}"`,
          edits: () =>
            setFields(context.text, resource, [{ path: [...path, "resources", "limits", kind], value }]),
        };
        // A missing limit and a ratio too high are one subject: a fix that leaves either one failed.
        const subject = `container/${container.name}/${kind}`;
        if (ratio === undefined) {
          context.report({
            messageId: "missingLimit",
            subject,
            data: { container: container.name, resource: kind },
            at: field(resource, [...path, "resources", "requests", kind]) ?? field(resource, path),
            fix,
          });
        } else {
          context.report({
            messageId: "ratio",
            subject,
            data: {
              container: container.name,
              resource: kind,
              ratio: Number(ratio.toFixed(2)),
              max: context.options.maxRatio,
            },
            at: field(resource, [...path, "resources", "limits", kind]),
            fix,
          });
        }
      }
    }
  },
});
