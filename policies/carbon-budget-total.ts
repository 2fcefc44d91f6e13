import { budgetPolicy } from "../app/engine/budget-policy.ts";

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
  message: "{{environment}} would emit {{value}} a month, above its budget of {{budget}} (most: {{largest}})",
});
