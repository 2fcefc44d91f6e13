import { containerUsage, workloadUsage } from "../../app/telemetry/example-usage.ts";
import policy from "../../policies/requests-required.ts";
import { runPolicyTests } from "../helpers/policy-tester.ts";

const deployment = (resources: string) => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: shop
spec:
  replicas: 2
  template:
    spec:
      containers:
        - name: app # the web server
          image: example/web:1
${resources}`;

runPolicyTests(policy, {
  valid: [
    {
      code: deployment(
        "          resources:\n            requests:\n              cpu: 250m\n              memory: 256Mi\n",
      ),
    },
    {
      name: "limits stand for requests",
      code: deployment("          resources:\n            limits: { cpu: 1, memory: 1Gi }\n"),
    },
    { name: "not a workload", code: "apiVersion: v1\nkind: ConfigMap\nmetadata: { name: c }\n" },
  ],
  invalid: [
    {
      name: "no resources at all",
      code: deployment(""),
      errors: [
        {
          messageId: "missing",
          data: { container: "app", resources: "cpu or memory" },
          line: 11,
          column: 11,
        },
      ],
      output: deployment(
        "          resources:\n            requests:\n              cpu: 100m\n              memory: 128Mi\n",
      ),
    },
    {
      name: "requests from live usage when telemetry has the container",
      code: deployment(""),
      telemetry: [workloadUsage("Deployment/shop/web", { app: containerUsage({ p95: 0.33, peakMi: 300 }) })],
      errors: [{ messageId: "missing", data: { container: "app", resources: "cpu or memory" } }],
      // p95 0.33 cores → 330m; peak 300Mi + 15 % = 345Mi → 352Mi (16Mi steps)
      output: deployment(
        "          resources:\n            requests:\n              cpu: 330m\n              memory: 352Mi\n",
      ),
    },
    {
      name: "memory missing, options used",
      code: deployment("          resources:\n            requests:\n              cpu: 250m # measured\n"),
      options: { defaultMemory: "512Mi" },
      errors: [
        { messageId: "missing", data: { container: "app", resources: "memory" }, line: 13, column: 11 },
      ],
      output: deployment(
        "          resources:\n            requests:\n              cpu: 250m # measured\n              memory: 512Mi\n",
      ),
    },
    {
      name: "an init container in flow style, with the LimitRange default",
      code: `apiVersion: v1
kind: LimitRange
metadata: { name: defaults, namespace: shop }
spec:
  limits:
    - type: Container
      defaultRequest: { cpu: 50m, memory: 64Mi }
---
apiVersion: v1
kind: Pod
metadata: { name: job, namespace: shop }
spec:
  initContainers:
    - { name: setup, resources: {} }
  containers:
    - name: main
      resources: { requests: { cpu: 1, memory: 1Gi } }
`,
      errors: [
        {
          messageId: "missing",
          data: { container: "setup", resources: "cpu or memory" },
          line: 14,
          column: 22,
        },
      ],
      output: `apiVersion: v1
kind: LimitRange
metadata: { name: defaults, namespace: shop }
spec:
  limits:
    - type: Container
      defaultRequest: { cpu: 50m, memory: 64Mi }
---
apiVersion: v1
kind: Pod
metadata: { name: job, namespace: shop }
spec:
  initContainers:
    - { name: setup, resources: {requests: {cpu: 50m, memory: 64Mi}} }
  containers:
    - name: main
      resources: { requests: { cpu: 1, memory: 1Gi } }
`,
    },
  ],
});
