import { budgetPolicy, exampleDeployment } from "../app/engine/budget-policy.ts";

export default budgetPolicy({
  id: "carbon-budget-delta",
  title: "A change stays within the carbon budget per change",
  description:
    "The monthly emissions a change adds to an environment stay under a budget (budgets.monthlyCarbonKgIncrease).",
  rationale:
    "Carbon budgets make emissions a reviewed quantity like cost. Figures follow Cloud Carbon Footprint's location-based method (energy × PUE × the region's grid factor, plus embodied emissions), so a budget in kgCO2e compares like with like across regions.",
  category: "carbon",
  measure: "monthlyCarbonKg",
  span: "delta",
  budget: "monthlyCarbonKgIncrease",
  message:
    "this change adds {{value}} a month to {{environment}}, above the budget of {{budget}} per change (most: {{largest}})",
  examples: {
    invalid: [
      {
        title: "A change that adds four replicas, with a budget of 2 kgCO2e per change",
        environment: "prod",
        settings: { budgets: { monthlyCarbonKgIncrease: 2 } },
        before: exampleDeployment(2),
        code: exampleDeployment(6),
      },
    ],
    valid: [
      {
        title: "A change that adds one replica",
        environment: "prod",
        settings: { budgets: { monthlyCarbonKgIncrease: 2 } },
        before: exampleDeployment(2),
        code: exampleDeployment(3),
      },
    ],
  },
});
