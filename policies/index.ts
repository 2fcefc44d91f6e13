import type { Policy } from "../app/engine/policy.ts";
import carbonBudgetDelta from "./carbon-budget-delta.ts";
import carbonBudgetTotal from "./carbon-budget-total.ts";
import costBudgetDelta from "./cost-budget-delta.ts";
import costBudgetTotal from "./cost-budget-total.ts";
import cronjobCarbonWindow from "./cronjob-carbon-window.ts";
import limitsRatio from "./limits-ratio.ts";
import liveUsage from "./live-usage.ts";
import nonprodSchedule from "./nonprod-schedule.ts";
import preferArm from "./prefer-arm.ts";
import regionCarbon from "./region-carbon.ts";
import replicasCap from "./replicas-cap.ts";
import requestsRequired from "./requests-required.ts";
import rightsizing from "./rightsizing.ts";
import storageClass from "./storage-class.ts";

/** The built-in policies, by id (sorted); test/policies/meta.test.ts checks ids, files, docs and tests. */
export const BUILT_IN_POLICIES = {
  "carbon-budget-delta": carbonBudgetDelta,
  "carbon-budget-total": carbonBudgetTotal,
  "cost-budget-delta": costBudgetDelta,
  "cost-budget-total": costBudgetTotal,
  "cronjob-carbon-window": cronjobCarbonWindow,
  "limits-ratio": limitsRatio,
  "live-usage": liveUsage,
  "nonprod-schedule": nonprodSchedule,
  "prefer-arm": preferArm,
  "region-carbon": regionCarbon,
  "replicas-cap": replicasCap,
  "requests-required": requestsRequired,
  rightsizing,
  "storage-class": storageClass,
} satisfies Record<string, Policy>;
