import { definePolicy, type ReviewedResource } from "../app/engine/policy.ts";
import { containers, field, setFields } from "../app/engine/policy-kit.ts";
import { cores, cpuMillisFor, daysAbove, memoryBytesFor } from "../app/engine/usage-kit.ts";
import { formatCpu, formatMemory, readableMemory } from "../app/iac/kubernetes/quantity.ts";
import type { ContainerDemand } from "../app/model/resource.ts";
import { containerUsage, exampleDeployment, workloadUsage } from "../app/telemetry/example-usage.ts";

type Options = { memoryBufferPercent: number };
type Messages = "memoryLimit" | "memoryRequest" | "cpuLimit" | "oom";

const web = (memory: string) =>
  exampleDeployment(
    "web",
    2,
    `            requests: { cpu: 500m, memory: ${memory} }\n            limits: { memory: ${memory} }\n`,
  );
/** 14 days of usage: p95 0.5 cores, p99 2 cores, peak working set 760Mi. */
const spiky = [
  workloadUsage("Deployment/shop/web", { web: containerUsage({ p95: 0.5, p99: 2, peakMi: 760 }) }),
];

/** A change checked against what its containers really use: the regression guard no peer has. */
export default definePolicy<Options, Messages>({
  meta: {
    id: "live-usage",
    title: "Changes respect observed peaks",
    description:
      "A change that sets a memory limit or request below the observed peak working set, or a CPU limit below observed p99 usage, or that touches a container recently OOMKilled, is reported with the evidence.",
    rationale:
      "Rightsizing tools have OOM-killed the workloads they sized by recommending memory below peaks seen once a week (Robusta KRR #110, #294; VPA #1574, #6705). A memory limit below the peak working set is an OOM kill waiting for the next peak; a request below it overcommits the node and makes the pod an eviction candidate; a CPU limit below p99 throttles the busiest 1 % of the time. The evidence comes from the cluster itself (cAdvisor working set, kube-state-metrics last-terminated reasons), so the reviewer sees the peak, when it happened and how often.",
    category: "reliability",
    scope: "resource",
    defaultSeverity: "error",
    fix: "suggestion",
    options: {
      type: "object",
      properties: {
        memoryBufferPercent: {
          type: "number",
          minimum: 0,
          maximum: 100,
          default: 15,
          description: "Headroom above the peak working set that the fix sets.",
        },
      },
      additionalProperties: false,
    },
    messages: {
      memoryLimit:
        'container "{{container}}" gets a memory limit of {{value}}, below its peak working set of {{peak}} ({{day}}; above {{value}} on {{days}} of {{observed}} days in {{window}}): it would be OOM-killed',
      memoryRequest:
        'container "{{container}}" requests {{value}} of memory, below its peak working set of {{peak}} ({{day}}; above it on {{days}} of {{observed}} days in {{window}})',
      cpuLimit:
        'container "{{container}}" gets a CPU limit of {{value}}, below its p99 usage of {{p99}} cores over {{window}}: it would be throttled',
      oom: 'container "{{container}}" was OOMKilled in the last {{window}}: {{restarts}} restarts, the last at {{when}}; its memory limit is {{limit}}',
    },
    fixDescription:
      "Raises the memory limit or request to the peak working set plus the buffer (rounded up to 16Mi), or the CPU limit to the p99 (rounded up to 10m). A suggestion: the change may have meant to cut usage too.",
    whenNotToUse:
      "When the change ships a fix that cuts the container's memory or CPU use, so past peaks no longer apply; suppress it with a reason on that line.",
    examples: {
      invalid: [
        {
          title: "Memory cut to 512Mi in a pull request; the working set peaked at 760Mi",
          code: web("512Mi"),
          before: web("1Gi"),
          telemetry: spiky,
        },
      ],
      valid: [
        {
          title: "Memory cut to 896Mi, still above the peak",
          code: web("896Mi"),
          before: web("1Gi"),
          telemetry: spiky,
        },
      ],
    },
  },
  needs: () => ({ cpuQuantiles: [0.99] }),
  check(context) {
    const { telemetry, options } = context;
    const { resource } = context.resource;
    const usage = telemetry?.usage(resource);
    if (!telemetry || !usage) return;
    for (const { container, path } of containers(context.resource)) {
      const observed = usage.containers[container.name];
      if (!observed) continue;
      const resources = [...path, "resources"];
      const set = (kind: "limits" | "requests", name: "cpu" | "memory", value: string) =>
        setFields(context.text, resource, [{ path: [...resources, kind, name], value }]);
      const window = telemetry.window.label;
      const changed = changedBy(context.resource, container, context.mode);
      const memory = observed.memory;
      if (memory) {
        const raised = memoryBytesFor(memory.peakBytes, options.memoryBufferPercent, "0");
        for (const [kind, value] of [
          ["limits", container.limits.memoryBytes],
          ["requests", container.requests.memoryBytes],
        ] as const) {
          if (value === undefined || value >= memory.peakBytes || !changed(kind, "memoryBytes")) continue;
          const edits = set(kind, "memory", formatMemory(raised));
          context.report({
            messageId: kind === "limits" ? "memoryLimit" : "memoryRequest",
            subject: `container/${container.name}/${kind}/memory`,
            ...(kind === "requests" ? { severity: "warning" as const } : {}),
            data: {
              container: container.name,
              value: readableMemory(value),
              peak: readableMemory(Math.round(memory.peakBytes)),
              day: memory.peakDay,
              days: daysAbove(memory, value),
              observed: memory.dailyPeaks.length,
              window,
            },
            at: field(resource, [...resources, kind, "memory"]) ?? field(resource, path),
            fix: {
              title: `Set the memory ${kind === "limits" ? "limit" : "request"} of "${container.name}" to ${formatMemory(raised)}`,
              edits,
            },
          });
        }
      }
      const p99 = observed.cpu?.quantiles["0.99"];
      const cpuLimit = container.limits.cpuMillis;
      if (
        p99 !== undefined &&
        cpuLimit !== undefined &&
        cpuLimit < p99 * 1000 &&
        changed("limits", "cpuMillis")
      ) {
        const raised = formatCpu(cpuMillisFor(p99, "0"));
        const edits = set("limits", "cpu", raised);
        context.report({
          messageId: "cpuLimit",
          subject: `container/${container.name}/limits/cpu`,
          severity: "warning",
          data: { container: container.name, value: formatCpu(cpuLimit), p99: cores(p99), window },
          at: field(resource, [...resources, "limits", "cpu"]) ?? field(resource, path),
          fix: { title: `Set the CPU limit of "${container.name}" to ${raised}`, edits },
        });
      }
      if (observed.oom) {
        context.report({
          messageId: "oom",
          subject: `container/${container.name}/oom`,
          severity: "warning",
          data: {
            container: container.name,
            window,
            restarts: observed.oom.restarts,
            when: observed.oom.lastAt ?? "an unknown time",
            limit:
              container.limits.memoryBytes === undefined
                ? "unset"
                : readableMemory(container.limits.memoryBytes),
          },
          at: field(resource, [...resources, "limits", "memory"]) ?? field(resource, path),
        });
      }
    }
  },
});

/** In a review, only values the change sets (new, or different from the base); in an estimate, all. */
function changedBy(reviewed: ReviewedResource, container: ContainerDemand, mode: "review" | "estimate") {
  const before = reviewed.before?.resource.demand;
  const old =
    before?.type === "workload" ? before.containers.find((c) => c.name === container.name) : undefined;
  return (kind: "limits" | "requests", amount: "cpuMillis" | "memoryBytes") =>
    mode === "estimate" ||
    (reviewed.change !== "unchanged" && (old === undefined || old[kind][amount] !== container[kind][amount]));
}
