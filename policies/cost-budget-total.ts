import { budgetPolicy, exampleDeployment } from "../app/engine/budget-policy.ts";

export default budgetPolicy({
  id: "cost-budget-total",
  title: "An environment stays within its cost budget",
  description: "After a change, an environment's monthly cost stays under its budget (budgets.monthlyCost).",
  rationale:
    "A total budget catches the slow drift that per-change budgets miss. In a review it fires only when the change raises the total above the budget, so a change that lowers an environment already over budget is never blocked.",
  category: "cost",
  measure: "monthlyCost",
  span: "total",
  budget: "monthlyCost",
  message: "{{environment}} would cost {{value}} a month, above the budget of {{budget}} (most: {{largest}})",
  examples: {
    invalid: [
      {
        title: "An environment of $103 a month with a $100 budget",
        environment: "prod",
        mode: "estimate",
        settings: { budgets: { monthlyCost: 100 } },
        code: exampleDeployment(4),
      },
    ],
    valid: [
      {
        title: "The same environment with two replicas",
        environment: "prod",
        mode: "estimate",
        settings: { budgets: { monthlyCost: 100 } },
        code: exampleDeployment(2),
      },
    ],
  },
});
