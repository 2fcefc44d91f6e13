import policy from "../../policies/region-carbon.ts";
import { runPolicyTests } from "../helpers/policy-tester.ts";

const deployment = `apiVersion: apps/v1
kind: Deployment
metadata: { name: api, namespace: shop }
spec:
  replicas: 2
  template: { spec: { containers: [{ name: app, resources: { requests: { cpu: "1", memory: 1Gi } } }] } }
`;
// us-east-1: 379.069 gCO2e/kWh (eGRID SERC); ca-central-1: 120 (carbonfootprint.com). Two replicas on
// m5.xlarge use (2.0341 + 0.3248) × 2 = 4.7178 kWh a month: (379.069 − 120) × 4.7178 / 1000 = 1.222 kg.
runPolicyTests(policy, {
  valid: [
    { name: "no allowed alternative", code: deployment },
    {
      name: "already clean enough",
      code: deployment,
      options: { maxGramsPerKWh: 400, allowedRegions: ["ca-central-1"] },
    },
    {
      name: "an unchanged resource",
      code: deployment,
      before: deployment,
      options: { allowedRegions: ["ca-central-1"] },
    },
    { name: "no cleaner allowed region", code: deployment, options: { allowedRegions: ["us-east-2"] } },
  ],
  invalid: [
    {
      code: deployment,
      options: { allowedRegions: ["us-east-2", "ca-central-1"] },
      errors: [
        {
          messageId: "region",
          data: {
            resource: "Deployment/shop/api",
            region: "us-east-1",
            current: 379.069,
            alternative: "ca-central-1",
            clean: 120,
            saving: 1.222,
          },
          line: 1,
        },
      ],
    },
  ],
});
