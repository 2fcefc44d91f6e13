import carbonBudgetDelta from "../../policies/carbon-budget-delta.ts";
import carbonBudgetTotal from "../../policies/carbon-budget-total.ts";
import costBudgetDelta from "../../policies/cost-budget-delta.ts";
import costBudgetTotal from "../../policies/cost-budget-total.ts";
import { runPolicyTests } from "../helpers/policy-tester.ts";

// On m5.xlarge nodes in us-east-1 a replica (1 vCPU, 1 GiB) costs $25.87 and emits 1.244 kgCO2e a month:
// (0.031247 + 0.0041882) $/h × 730; (2.0341 + 0.3248) kWh × 379.069 g + 730 × 0.00047873 kg embodied.
const deployment = (replicas: number) => `apiVersion: apps/v1
kind: Deployment
metadata: { name: api, namespace: shop }
spec:
  replicas: ${replicas}
  template: { spec: { containers: [{ name: app, resources: { requests: { cpu: "1", memory: 1Gi } } }] } }
`;

runPolicyTests(costBudgetDelta, {
  valid: [
    { name: "under the budget", code: deployment(2), before: deployment(1), options: { max: 100 } },
    { name: "no budget", code: deployment(10), before: deployment(1) },
    { name: "an estimate has no change", code: deployment(10), mode: "estimate", options: { max: 1 } },
    { name: "a change that saves", code: deployment(1), before: deployment(9), options: { max: 1 } },
  ],
  invalid: [
    {
      code: deployment(5),
      before: deployment(1),
      settings: { budgets: { monthlyCostIncrease: 50 } },
      errors: [
        {
          messageId: "over",
          data: {
            value: "$103.47",
            budget: "$50.00",
            environment: "test",
            largest: "Deployment/shop/api $103.47",
          },
          line: 1,
        },
      ],
    },
  ],
});

runPolicyTests(costBudgetTotal, {
  valid: [
    { name: "under the budget", code: deployment(2), mode: "estimate", options: { max: 100 } },
    {
      name: "a review without the environment's total",
      code: deployment(9),
      before: deployment(1),
      options: { max: 1 },
    },
  ],
  invalid: [
    {
      name: "an estimate above the budget",
      code: deployment(4),
      mode: "estimate",
      settings: { budgets: { monthlyCost: 100 } },
      errors: [
        {
          messageId: "over",
          data: {
            value: "$103.47",
            budget: "$100.00",
            environment: "test",
            largest: "Deployment/shop/api $103.47",
          },
        },
      ],
    },
  ],
});

runPolicyTests(carbonBudgetDelta, {
  valid: [{ name: "under the budget", code: deployment(2), before: deployment(1), options: { max: 10 } }],
  invalid: [
    {
      code: deployment(3),
      before: deployment(1),
      options: { max: 1 },
      errors: [
        {
          messageId: "over",
          data: {
            value: "2.49 kgCO2e",
            budget: "1.00 kgCO2e",
            environment: "test",
            largest: "Deployment/shop/api 2.49 kgCO2e",
          },
        },
      ],
    },
  ],
});

runPolicyTests(carbonBudgetTotal, {
  valid: [{ name: "under the budget", code: deployment(1), mode: "estimate", options: { max: 10 } }],
  invalid: [
    {
      code: deployment(8),
      mode: "estimate",
      options: { max: 5 },
      errors: [
        {
          messageId: "over",
          data: {
            value: "9.95 kgCO2e",
            budget: "5.00 kgCO2e",
            environment: "test",
            largest: "Deployment/shop/api 9.95 kgCO2e",
          },
        },
      ],
    },
  ],
});
