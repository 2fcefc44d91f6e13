import { budgetPolicy, exampleDeployment } from "../app/engine/budget-policy.ts";

export default budgetPolicy({
  id: "carbon-budget-total",
  title: "An environment stays within its carbon budget",
  description:
    "After a change, an environment's monthly emissions stay under its budget (budgets.monthlyCarbonKg).",
  rationale:
    "A total carbon budget for an environment, checked on every change that raises it, keeps a team's reduction target in the place where emissions are decided: the pull request.",
  category: "carbon",
  measure: "monthlyCarbonKg",
  span: "total",
  budget: "monthlyCarbonKg",
  message: "{{environment}} would emit {{value}} a month, above the budget of {{budget}} (most: {{largest}})",
  examples: {
    invalid: [
      {
        title: "An environment emitting 5 kgCO2e a month with a budget of 4",
        environment: "prod",
        mode: "estimate",
        settings: { budgets: { monthlyCarbonKg: 4 } },
        code: exampleDeployment(4),
      },
    ],
    valid: [
      {
        title: "The same environment with two replicas",
        environment: "prod",
        mode: "estimate",
        settings: { budgets: { monthlyCarbonKg: 4 } },
        code: exampleDeployment(2),
      },
    ],
  },
});
