import { budgetPolicy, exampleDeployment } from "../app/engine/budget-policy.ts";

export default budgetPolicy({
  id: "cost-budget-delta",
  title: "A change stays within the cost budget per change",
  description:
    "The monthly cost a change adds to an environment stays under a budget (budgets.monthlyCostIncrease).",
  rationale:
    "Most cloud overspend arrives in small pull requests that nobody prices. A per-change budget turns the estimate into a gate: a change above it needs a conscious approval (an override or a budget change), as Infracost's cost policies do.",
  category: "cost",
  measure: "monthlyCost",
  span: "delta",
  budget: "monthlyCostIncrease",
  message:
    "this change adds {{value}} a month to {{environment}}, above the budget of {{budget}} per change (most: {{largest}})",
  examples: {
    invalid: [
      {
        title: "A change that adds four replicas, with a $50 budget per change",
        environment: "prod",
        settings: { budgets: { monthlyCostIncrease: 50 } },
        before: exampleDeployment(2),
        code: exampleDeployment(6),
      },
    ],
    valid: [
      {
        title: "The same change with a $200 budget per change",
        environment: "prod",
        settings: { budgets: { monthlyCostIncrease: 200 } },
        before: exampleDeployment(2),
        code: exampleDeployment(6),
      },
    ],
  },
});
