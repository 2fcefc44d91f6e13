import { containerUsage, workloadUsage } from "../../app/telemetry/example-usage.ts";
import policy from "../../policies/live-usage.ts";
import { runPolicyTests } from "../helpers/policy-tester.ts";

const web = (resources: string) => `apiVersion: apps/v1
kind: Deployment
metadata: { name: web, namespace: shop }
spec:
  template:
    spec:
      containers:
        - name: web
          resources: ${resources} # sized for the sale
`;
const spiky = [
  workloadUsage("Deployment/shop/web", { web: containerUsage({ p95: 0.5, p99: 2, peakMi: 760 }) }),
];
const evidence = { container: "web", peak: "760Mi", day: "2026-11-21", observed: 14, window: "14d" };

runPolicyTests(policy, {
  valid: [
    {
      name: "values at or above the peak",
      code: web("{ requests: { memory: 800Mi }, limits: { memory: 1Gi, cpu: 2 } }"),
      before: web("{ requests: { memory: 700Mi }, limits: { memory: 1Gi, cpu: 2 } }"),
      telemetry: spiky,
    },
    {
      name: "a value below the peak that the change does not set",
      code: web("{ requests: { memory: 700Mi, cpu: 100m }, limits: { memory: 1Gi } }"),
      before: web("{ requests: { memory: 700Mi, cpu: 200m }, limits: { memory: 1Gi } }"),
      telemetry: spiky,
    },
    { name: "no telemetry", code: web("{ limits: { memory: 64Mi } }") },
  ],
  invalid: [
    {
      name: "a memory limit lowered below the peak: an error, with the evidence",
      code: web("{ limits: { memory: 512Mi } }"),
      before: web("{ limits: { memory: 1536Mi } }"),
      telemetry: spiky,
      errors: [
        {
          messageId: "memoryLimit",
          severity: "error",
          data: { ...evidence, value: "512Mi", days: 14 },
          line: 9,
        },
      ],
      output: web("{ limits: { memory: 880Mi } }"),
    },
    {
      name: "a memory request below the peak on a new workload: a warning",
      code: web("{ requests: { memory: 700Mi } }"),
      telemetry: spiky,
      errors: [
        { messageId: "memoryRequest", severity: "warning", data: { ...evidence, value: "700Mi", days: 1 } },
      ],
      output: web("{ requests: { memory: 880Mi } }"),
    },
    {
      name: "a peak that is no whole number of MiB, shown as kubectl shows it",
      code: web("{ limits: { memory: 3Gi } }"),
      before: web("{ limits: { memory: 4Gi } }"),
      telemetry: [
        workloadUsage("Deployment/shop/web", { web: containerUsage({ p95: 0.5, peakMi: 3879732 / 1024 }) }),
      ],
      errors: [
        {
          messageId: "memoryLimit",
          data: { ...evidence, peak: "3.70Gi", value: "3Gi", days: 1 },
        },
      ],
      output: web("{ limits: { memory: 4368Mi } }"),
    },
    {
      name: "a CPU limit below p99",
      code: web("{ limits: { cpu: 1500m } }"),
      before: web("{ limits: { cpu: 3 } }"),
      telemetry: spiky,
      errors: [
        {
          messageId: "cpuLimit",
          severity: "warning",
          data: { container: "web", value: "1500m", p99: "2", window: "14d" },
        },
      ],
      output: web("{ limits: { cpu: 2 } }"),
    },
    {
      name: "a container OOMKilled recently",
      code: web("{ limits: { memory: 1Gi } }"),
      before: web("{ limits: { memory: 1Gi }, requests: { cpu: 1 } }"),
      telemetry: [
        workloadUsage("Deployment/shop/web", {
          web: containerUsage({
            p95: 0.5,
            peakMi: 700,
            oom: { restarts: 3, lastAt: "2026-11-22T02:00:00.000Z" },
          }),
        }),
      ],
      errors: [
        {
          messageId: "oom",
          severity: "warning",
          data: {
            container: "web",
            window: "14d",
            restarts: 3,
            when: "2026-11-22T02:00:00.000Z",
            limit: "1Gi",
          },
        },
      ],
    },
  ],
});
