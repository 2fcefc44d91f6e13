import type { TaskDefinitionDemand } from "../../model/cloud.ts";
import type { Attributes } from "../cloud/attributes.ts";
import { awsxDefault } from "./component-defaults.ts";

/** Fargate's task sizes: vCPU → the memory (GB) it allows (AWS's table, as awsx lists it). */
const SIZES: [number, number[]][] = [
  [0.25, [0.5, 1, 2]],
  [0.5, range(1, 4)],
  [1, range(2, 8)],
  [2, range(4, 16)],
  [4, range(8, 30)],
];

/**
 * The task size awsx gives a Fargate task definition without cpu and memory: the cheapest Fargate
 * size with at least its containers' total `cpu` (CPU units ÷ 1,024) and `memoryReservation` or
 * `memory` (MiB ÷ 1,024), capped at 4 vCPU and 30 GB (`computeFargateMemoryAndCPU` in @pulumi/awsx's
 * classic/ecs/fargateService.js). Memory grows with vCPU in AWS's table, so the cheapest is the
 * smallest vCPU that allows enough memory, with the least memory it allows.
 */
export function fargateTaskSize(
  containers: Attributes[],
): Pick<TaskDefinitionDemand, "vcpu" | "memoryGb" | "sizeBasis"> {
  let units = 0;
  let mib = 0;
  for (const container of containers) {
    units += container.number("cpu") ?? 0;
    mib += container.number("memory_reservation") ?? container.number("memory") ?? 0;
  }
  const wantedVcpu = Math.min(units / 1024, 4);
  const wantedGb = Math.min(mib / 1024, 30);
  for (const [vcpu, memories] of SIZES) {
    const memoryGb = memories.find((gb) => gb >= wantedGb);
    if (vcpu >= wantedVcpu && memoryGb !== undefined) {
      const basis = `task size ${vcpu} vCPU, ${memoryGb} GB for containers asking ${units} CPU units and ${mib} MiB: ${awsxDefault("types/input.d.ts", "cpu")} (the cheapest Fargate size that fits)`;
      return { vcpu, memoryGb, sizeBasis: basis };
    }
  }
  return {};
}

function range(from: number, to: number): number[] {
  return Array.from({ length: to - from + 1 }, (_, i) => from + i);
}
