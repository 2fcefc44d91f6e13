import { definePolicy } from "../app/engine/policy.ts";
import { containers, field, setFields } from "../app/engine/policy-kit.ts";
import { cpuMillisFor, memoryBytesFor } from "../app/engine/usage-kit.ts";
import { formatCpu, formatMemory } from "../app/iac/kubernetes/quantity.ts";

type Options = { defaultCpu: string; defaultMemory: string };

/** The docs' example: a Deployment whose container has these `resources` lines (or none). */
const web = (resources = "") => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: shop
spec:
  replicas: 2
  selector: { matchLabels: { app: web } }
  template:
    metadata: { labels: { app: web } }
    spec:
      containers:
        - name: web
          image: nginx:1.27 # pinned by Renovate
${resources}`;

/** Containers should say what they need: without requests the scheduler packs blind and estimates are 0. */
export default definePolicy<Options, "missing">({
  meta: {
    id: "requests-required",
    title: "Containers request CPU and memory",
    description: "Every container (init containers and sidecars included) sets CPU and memory requests.",
    rationale:
      "Requests are what Kubernetes reserves on a node and what GreenOps (like OpenCost) prices: a container without them is scheduled as BestEffort, packed without regard to what it uses, first evicted under pressure, and counted as free. Explicit requests make cost and carbon visible in review and let the cluster autoscaler size nodes to the workload.",
    category: "reliability",
    scope: "resource",
    defaultSeverity: "warning",
    fix: "suggestion",
    options: {
      type: "object",
      properties: {
        defaultCpu: {
          type: "string",
          default: "100m",
          description: "CPU request the fix adds when nothing better is known.",
        },
        defaultMemory: {
          type: "string",
          default: "128Mi",
          description: "Memory request the fix adds when nothing better is known.",
        },
      },
      additionalProperties: false,
    },
    messages: { missing: 'container "{{container}}" requests no {{resources}}' },
    fixDescription:
      "Adds the missing requests: from live usage when telemetry has the container (CPU at p95 rounded up to 10m, memory at the peak working set + 15 % rounded up to 16Mi, as rightsizing does), else the namespace's LimitRange default when there is one (what the container gets today), else the defaultCpu and defaultMemory options. A suggestion: check the values against what the container uses.",
    whenNotToUse:
      "When a LimitRange or a mutating admission webhook sets requests for every container and you accept its defaults.",
    examples: {
      invalid: [{ title: "A container without requests, in a new Deployment", code: web() }],
      valid: [
        {
          title: "Requests for CPU and memory",
          code: web("          resources:\n            requests: { cpu: 250m, memory: 256Mi }\n"),
        },
      ],
    },
  },
  needs: () => ({ cpuQuantiles: [0.95] }),
  check(context) {
    const { resource } = context.resource;
    const usage = context.telemetry?.usage(resource);
    for (const { container, path } of containers(context.resource)) {
      const missing = (["cpu", "memory"] as const).filter(
        (r) =>
          (r === "cpu" ? container.requests.cpuMillis : container.requests.memoryBytes) === undefined &&
          (r === "cpu" ? container.limits.cpuMillis : container.limits.memoryBytes) === undefined,
      );
      if (missing.length === 0) continue;
      const observed = usage?.containers[container.name];
      const p95 = observed?.cpu?.quantiles["0.95"];
      const peak = observed?.memory?.peakBytes;
      const values = {
        cpu:
          p95 !== undefined
            ? formatCpu(cpuMillisFor(p95, "10m"))
            : container.basis.cpu === "limit-range"
              ? formatCpu(container.effective.cpuMillis)
              : context.options.defaultCpu,
        memory:
          peak !== undefined
            ? formatMemory(memoryBytesFor(peak, 15, "16Mi"))
            : container.basis.memory === "limit-range"
              ? formatMemory(container.effective.memoryBytes)
              : context.options.defaultMemory,
      };
      const from =
        p95 !== undefined || peak !== undefined
          ? ` (from usage over ${context.telemetry?.window.label})`
          : "";
      const title = `Request ${missing.map((r) => `${r} ${values[r]}`).join(" and ")} for container "${container.name}"${from}`;
      const changes = missing.map((r) => ({ path: [...path, "resources", "requests", r], value: values[r] }));
      context.report({
        messageId: "missing",
        subject: `container/${container.name}`,
        data: { container: container.name, resources: missing.join(" or ") },
        at: field(resource, [...path, "resources"]) ?? field(resource, path),
        fix: { title, edits: () => setFields(context.text, resource, changes) },
      });
    }
  },
});
