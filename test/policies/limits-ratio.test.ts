import policy from "../../policies/limits-ratio.ts";
import { runPolicyTests } from "../helpers/policy-tester.ts";

const pod = (resources: string) => `apiVersion: v1
kind: Pod
metadata: { name: p }
spec:
  containers:
    - name: app
      resources:
${resources}`;

runPolicyTests(policy, {
  valid: [
    { code: pod("        requests: { memory: 256Mi }\n        limits: { memory: 512Mi }\n") },
    {
      name: "cpu is not checked by default",
      code: pod("        requests: { cpu: 100m, memory: 1Gi }\n        limits: { memory: 1Gi }\n"),
    },
    { name: "no request: requests-required's concern", code: pod("        limits: { cpu: 1 }\n") },
  ],
  invalid: [
    {
      name: "no memory limit",
      code: pod("        requests:\n          memory: 256Mi # measured p99\n"),
      errors: [
        { messageId: "missingLimit", data: { container: "app", resource: "memory" }, line: 9, column: 11 },
      ],
      output: pod(
        "        requests:\n          memory: 256Mi # measured p99\n        limits:\n          memory: 256Mi\n",
      ),
    },
    {
      name: "limit far above the request",
      code: pod("        requests: { memory: 300Mi }\n        limits: { memory: 4Gi }\n"),
      errors: [
        {
          messageId: "ratio",
          data: { container: "app", resource: "memory", ratio: 13.65, max: 2 },
          line: 9,
          column: 19,
        },
      ],
      output: pod("        requests: { memory: 300Mi }\n        limits: { memory: 600Mi }\n"),
    },
    {
      name: "cpu when asked for",
      code: pod("        requests: { cpu: 250m, memory: 1Gi }\n        limits: { cpu: 2, memory: 1Gi }\n"),
      options: { resources: ["cpu", "memory"], maxRatio: 4 },
      errors: [{ messageId: "ratio", data: { container: "app", resource: "cpu", ratio: 8, max: 4 } }],
      output: pod("        requests: { cpu: 250m, memory: 1Gi }\n        limits: { cpu: 1, memory: 1Gi }\n"),
    },
  ],
});
