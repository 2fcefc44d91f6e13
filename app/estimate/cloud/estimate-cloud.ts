import type { CloudDemand } from "../../model/cloud.ts";
import type { EnvironmentBasis } from "../basis.ts";
import { lines, type ResourceEstimate, total } from "../lines.ts";
import { diskLines } from "./disks.ts";
import { cacheLines, databaseLines, instanceLines } from "./instances.ts";
import { fargateLines, functionLines } from "./serverless.ts";
import { hourlyServiceLines } from "./services.ts";

/**
 * Estimates a cloud resource (Terraform, CDKTF, Pulumi) from its own region's prices and grid
 * factor. The environment's settings only decide the purchase option.
 */
export function estimateCloud(demand: CloudDemand, basis: EnvironmentBasis): ResourceEstimate {
  const declared = "purchaseOption" in demand ? demand.purchaseOption : "on-demand";
  const option = declared === "on-demand" ? (basis.settings.purchaseOption ?? "on-demand") : declared;
  switch (demand.type) {
    case "instance":
      return total(instanceLines(demand, option));
    case "disk":
      return total(diskLines(demand.disk, demand.location, 1));
    case "database":
      return total(databaseLines(demand, option));
    case "cache":
      return total(cacheLines(demand, option));
    case "hourly-service":
      return total(hourlyServiceLines(demand));
    case "function":
      return total(functionLines(demand));
    case "fargate":
      return total(fargateLines(demand));
    case "launch-template":
    case "task-definition":
      return total(lines());
  }
}
