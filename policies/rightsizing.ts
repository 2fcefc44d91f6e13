import { definePolicy } from "../app/engine/policy.ts";
import { containers, field, setFields } from "../app/engine/policy-kit.ts";
import { autoscalerOf, cores, cpuMillisFor, days, memoryBytesFor } from "../app/engine/usage-kit.ts";
import { formatCpu, formatMemory, readableMemory } from "../app/iac/kubernetes/quantity.ts";
import type { ContainerDemand } from "../app/model/resource.ts";
import { containerUsage, exampleDeployment, workloadUsage } from "../app/telemetry/example-usage.ts";
import type { ContainerUsage } from "../app/telemetry/types.ts";

type Options = {
  cpuPercentile: number;
  memoryBufferPercent: number;
  minimumHistoryDays: number;
  minimumCpu: string;
  minimumMemory: string;
  minimumChangePercent: number;
};

const api = (requests: string) => exampleDeployment("api", 3, `            requests: ${requests}\n`);
/** 14 days of usage: p95 0.25 cores, peak working set 200Mi. */
const steady = [workloadUsage("Deployment/shop/api", { api: containerUsage({ p95: 0.25, peakMi: 200 }) })];

/** Requests set from what the containers use: the biggest lever on a cluster's cost and carbon. */
export default definePolicy<Options, "rightsize" | "history">({
  meta: {
    id: "rightsizing",
    title: "Requests match observed usage",
    description:
      "A container whose CPU or memory request is far from what it used over the telemetry window gets a recommendation: CPU at a high percentile of usage, memory at the peak working set plus a buffer.",
    rationale:
      "Requests are what a cluster reserves and what GreenOps and OpenCost price: a container asking for 1 core that uses 0.25 wastes three quarters of a core every hour, in dollars and in embodied and idle-power carbon (CCF charges reserved vCPU-hours). Requests below use are the opposite risk: CPU starvation and evictions. The recommendation follows the method in docs/rightsizing.md (beside Robusta KRR's simple strategy and the VPA recommender): CPU at the p95 of 5-minute usage, memory at the peak working set (never a percentile) plus 15 %, rounded up to 10m and 16Mi, over 14 days of history.",
    category: "cost",
    scope: "resource",
    defaultSeverity: "notice",
    fix: "suggestion",
    options: {
      type: "object",
      properties: {
        cpuPercentile: {
          type: "number",
          enum: [50, 75, 90, 95, 99],
          default: 95,
          description: "Percentile of 5-minute CPU usage the CPU request covers.",
        },
        memoryBufferPercent: {
          type: "number",
          minimum: 0,
          maximum: 100,
          default: 15,
          description: "Added to the peak working set for the memory request.",
        },
        minimumHistoryDays: {
          type: "number",
          exclusiveMinimum: 0,
          maximum: 90,
          default: 14,
          description:
            "Days of usage (first sample to last, in the days the finding shows) needed before recommending anything.",
        },
        minimumCpu: { type: "string", default: "10m", description: "Never recommend a smaller CPU request." },
        minimumMemory: {
          type: "string",
          default: "64Mi",
          description: "Never recommend a smaller memory request.",
        },
        minimumChangePercent: {
          type: "number",
          minimum: 0,
          maximum: 100,
          default: 10,
          description: "Recommend only when a request would change by at least this much.",
        },
      },
      additionalProperties: false,
    },
    messages: {
      rightsize:
        'container "{{container}}" used {{cpu}} cores at p{{percentile}} and {{memory}} at peak over {{window}} ({{samples}} samples): request {{recommended}} instead of {{current}}{{note}}',
      history:
        'container "{{container}}" has {{days}} days of usage in {{source}}; rightsizing needs {{required}} days: no recommendation yet',
    },
    fixDescription:
      "Sets the container's CPU and memory requests to the recommendation (and raises a limit that would sit below it). A suggestion: review it against the workload's known peaks (month-end, releases) that the window may not contain.",
    whenNotToUse:
      "For workloads whose load the telemetry window does not represent (seasonal peaks, a new launch), or when a VPA in Auto mode owns the requests.",
    examples: {
      invalid: [
        {
          title: "A whole core and 1Gi requested; 14 days show p95 0.25 cores and a 200Mi peak",
          code: api("{ cpu: 1, memory: 1Gi } # sized at launch"),
          telemetry: steady,
        },
      ],
      valid: [
        {
          title: "Requests within 10 % of the same usage",
          code: api("{ cpu: 250m, memory: 240Mi }"),
          telemetry: steady,
        },
      ],
    },
  },
  needs: (options) => ({ cpuQuantiles: [options.cpuPercentile / 100] }),
  check(context) {
    const { telemetry, options } = context;
    const { resource } = context.resource;
    const usage = telemetry?.usage(resource);
    if (!telemetry || !usage) return;
    const scaler = autoscalerOf(context.resource, context.all);
    for (const { container, path } of containers(context.resource)) {
      const observed = usage.containers[container.name];
      if (container.role === "init" || !observed?.cpu || !observed.memory) continue;
      const at = field(resource, [...path, "resources", "requests"]) ?? field(resource, path);
      const where = at ? { at } : {};
      // Compared as shown: usage to the last 5-minute step of a 14-day window is 14 days, not 13.997.
      const history = days(observed.historySeconds);
      if (history < options.minimumHistoryDays) {
        const data = {
          container: container.name,
          days: history,
          required: options.minimumHistoryDays,
          source: telemetry.source,
        };
        context.report({ messageId: "history", subject: `container/${container.name}`, data, ...where });
        continue;
      }
      const plan = recommend(container, observed, options, scaler?.effect.utilisation ?? {});
      if (!plan) continue;
      const note =
        plan.heldCpu && scaler
          ? hpaNote(scaler.id, scaler.effect.utilisation.cpu ?? 0, container, plan.cpu, usage.replicas)
          : "";
      const edits = setFields(context.text, resource, changesOf(container, plan, path));
      const recommended = `${formatCpu(plan.next.cpu)} CPU and ${formatMemory(plan.next.memory)}`;
      const fix = { title: `Request ${recommended} for container "${container.name}"`, edits };
      context.report({
        messageId: "rightsize",
        subject: `container/${container.name}`,
        data: {
          container: container.name,
          cpu: cores(plan.quantile),
          percentile: options.cpuPercentile,
          memory: readableMemory(Math.round(plan.peak)),
          window: telemetry.window.label,
          samples: observed.cpu.samples,
          recommended,
          current: `${formatCpu(plan.current.cpu)} CPU and ${readableMemory(plan.current.memory)}`,
          note,
        },
        ...where,
        fix,
        recommendation: {
          container: container.name,
          cpuRequest: { current: formatCpu(plan.current.cpu), recommended: formatCpu(plan.next.cpu) },
          memoryRequest: {
            current: formatMemory(plan.current.memory),
            recommended: formatMemory(plan.next.memory),
          },
          basis: {
            window: telemetry.window.label,
            percentile: options.cpuPercentile,
            samples: observed.cpu.samples,
            source: telemetry.source,
          },
        },
      });
    }
  },
});

type Amounts = { cpu: number; memory: number };
type Plan = Amounts & {
  quantile: number;
  peak: number;
  current: Amounts;
  /** The requests after the change: recommended where they move, as they are elsewhere. */
  next: Amounts;
  changeCpu: boolean;
  changeMemory: boolean;
  heldCpu: boolean;
};

/** What to request, and which requests move (not those an HPA scales on, not those already close). */
function recommend(
  container: ContainerDemand,
  observed: ContainerUsage,
  options: Options,
  hpa: { cpu?: number; memory?: number },
): Plan | undefined {
  const quantile = observed.cpu?.quantiles[String(options.cpuPercentile / 100)];
  const peak = observed.memory?.peakBytes;
  const { cpuMillis, memoryBytes } = container.requests;
  if (quantile === undefined || peak === undefined || cpuMillis === undefined || memoryBytes === undefined)
    return undefined;
  const cpu = cpuMillisFor(quantile, options.minimumCpu);
  const memory = memoryBytesFor(peak, options.memoryBufferPercent, options.minimumMemory);
  const far = (current: number, next: number) =>
    Math.abs(next - current) / current >= options.minimumChangePercent / 100;
  const changeCpu = hpa.cpu === undefined && far(cpuMillis, cpu);
  const changeMemory = hpa.memory === undefined && far(memoryBytes, memory);
  if (!changeCpu && !changeMemory) return undefined;
  return {
    cpu,
    memory,
    quantile,
    peak,
    current: { cpu: cpuMillis, memory: memoryBytes },
    next: { cpu: changeCpu ? cpu : cpuMillis, memory: changeMemory ? memory : memoryBytes },
    changeCpu,
    changeMemory,
    heldCpu: hpa.cpu !== undefined && far(cpuMillis, cpu),
  };
}

/** The requests that move, and a limit that would sit below its new request (an invalid object) with it. */
function changesOf(
  container: ContainerDemand,
  plan: Plan,
  path: (string | number)[],
): { path: (string | number)[]; value: string }[] {
  const changes: { path: (string | number)[]; value: string }[] = [];
  const resources = [
    ["cpu", plan.changeCpu, plan.cpu, container.limits.cpuMillis, formatCpu],
    ["memory", plan.changeMemory, plan.memory, container.limits.memoryBytes, formatMemory],
  ] as const;
  for (const [name, change, value, limit, format] of resources) {
    if (!change) continue;
    changes.push({ path: [...path, "resources", "requests", name], value: format(value) });
    if (limit !== undefined && limit < value)
      changes.push({ path: [...path, "resources", "limits", name], value: format(value) });
  }
  return changes;
}

/** Under an HPA on CPU utilisation the replicas follow the request: say what the loop would do instead of doing it. */
function hpaNote(
  hpa: string,
  target: number,
  container: ContainerDemand,
  cpu: number,
  replicas: number | undefined,
): string {
  const now = replicas ?? 1;
  const then = Math.ceil((now * (container.requests.cpuMillis ?? cpu)) / cpu);
  return `; CPU left as is: ${hpa} scales on ${target}% CPU utilisation, so a ${formatCpu(cpu)} request would take it from ~${Math.round(now)} to ~${then} replicas reserving the same CPU`;
}
