import { containerUsage, workloadUsage } from "../../app/telemetry/example-usage.ts";
import policy from "../../policies/rightsizing.ts";
import { runPolicyTests } from "../helpers/policy-tester.ts";

const deployment = (requests: string, limits = "") => `apiVersion: apps/v1
kind: Deployment
metadata: { name: api, namespace: shop }
spec:
  replicas: 2
  template:
    spec:
      containers:
        - name: api # the API server
          resources:
            requests: ${requests}
${limits}`;
const hpa = (metrics: string) => `---
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata: { name: api, namespace: shop }
spec:
  scaleTargetRef: { apiVersion: apps/v1, kind: Deployment, name: api }
  minReplicas: 2
  maxReplicas: 20
${metrics}`;
const steady = [workloadUsage("Deployment/shop/api", { api: containerUsage({ p95: 0.25, peakMi: 200 }) }, 3)];
const rightsize = {
  container: "api",
  cpu: "0.25",
  percentile: 95,
  memory: "200Mi",
  window: "14d",
  samples: 4032,
  current: "1 CPU and 1Gi",
};

runPolicyTests(policy, {
  valid: [
    { name: "no telemetry: nothing to say", code: deployment("{ cpu: 1, memory: 1Gi }") },
    {
      name: "requests within 10 % of the recommendation",
      code: deployment("{ cpu: 260m, memory: 240Mi }"),
      telemetry: steady,
    },
    {
      name: "a workload the source has no usage for",
      code: deployment("{ cpu: 1, memory: 1Gi }"),
      telemetry: [workloadUsage("Deployment/other/api", { api: containerUsage({ p95: 0.1, peakMi: 10 }) })],
    },
  ],
  invalid: [
    {
      name: "over-provisioned: CPU at p95, memory at peak + 15 %, rounded up",
      code: deployment("{ cpu: 1, memory: 1Gi }"),
      telemetry: steady,
      errors: [
        {
          messageId: "rightsize",
          data: { ...rightsize, recommended: "250m CPU and 240Mi", note: "" },
          line: 11,
          column: 13,
        },
      ],
      output: deployment("{ cpu: 250m, memory: 240Mi }"),
    },
    {
      name: "under-provisioned memory moves the limit up with the request",
      code: deployment("{ cpu: 500m, memory: 512Mi }", "            limits: { memory: 768Mi }\n"),
      telemetry: [workloadUsage("Deployment/shop/api", { api: containerUsage({ p95: 0.5, peakMi: 900 }) })],
      errors: [
        {
          messageId: "rightsize",
          data: {
            ...rightsize,
            cpu: "0.5",
            memory: "900Mi",
            current: "500m CPU and 512Mi",
            recommended: "500m CPU and 1040Mi",
            note: "",
          },
        },
      ],
      output: deployment("{ cpu: 500m, memory: 1040Mi }", "            limits: { memory: 1040Mi }\n"),
    },
    {
      name: "14 days of history to the 5-minute step count as 14 days",
      code: deployment("{ cpu: 1, memory: 1Gi }", "            limits: { memory: 2Gi } # burst\n"),
      telemetry: [
        workloadUsage("Deployment/shop/api", {
          api: { ...containerUsage({ p95: 0.25, peakMi: 200 }), historySeconds: 14 * 86_400 - 300 },
        }),
      ],
      errors: [
        { messageId: "rightsize", data: { ...rightsize, recommended: "250m CPU and 240Mi", note: "" } },
      ],
      output: deployment("{ cpu: 250m, memory: 240Mi }", "            limits: { memory: 2Gi } # burst\n"),
    },
    {
      name: "too little history: say so, recommend nothing",
      code: deployment("{ cpu: 1, memory: 1Gi }"),
      telemetry: [
        workloadUsage("Deployment/shop/api", { api: containerUsage({ p95: 0.25, peakMi: 200, days: 3 }) }),
      ],
      errors: [
        {
          messageId: "history",
          data: { container: "api", days: 3, required: 14, source: "Prometheus (example) over 14d" },
        },
      ],
    },
    {
      name: "scaled on CPU utilisation: memory only, and why",
      code: `${deployment("{ cpu: 1, memory: 1Gi }")}${hpa("  metrics:\n    - { type: Resource, resource: { name: cpu, target: { type: Utilization, averageUtilization: 70 } } }\n")}`,
      telemetry: steady,
      errors: [
        {
          messageId: "rightsize",
          data: {
            ...rightsize,
            recommended: "1 CPU and 240Mi",
            note: "; CPU left as is: HorizontalPodAutoscaler/shop/api scales on 70% CPU utilisation, so a 250m request would take it from ~3 to ~12 replicas reserving the same CPU",
          },
        },
      ],
      output: `${deployment("{ cpu: 1, memory: 240Mi }")}${hpa("  metrics:\n    - { type: Resource, resource: { name: cpu, target: { type: Utilization, averageUtilization: 70 } } }\n")}`,
    },
    {
      name: "scaled on a custom metric: both requests move",
      code: `${deployment("{ cpu: 1, memory: 1Gi }")}${hpa("  metrics:\n    - { type: Pods, pods: { metric: { name: rps }, target: { type: AverageValue, averageValue: 10 } } }\n")}`,
      telemetry: steady,
      options: { cpuPercentile: 95, minimumCpu: "300m" },
      errors: [
        { messageId: "rightsize", data: { ...rightsize, recommended: "300m CPU and 240Mi", note: "" } },
      ],
      output: `${deployment("{ cpu: 300m, memory: 240Mi }")}${hpa("  metrics:\n    - { type: Pods, pods: { metric: { name: rps }, target: { type: AverageValue, averageValue: 10 } } }\n")}`,
    },
  ],
});
