import { milliValue, parseQuantity, unitValue } from "../iac/kubernetes/quantity.ts";
import type { ModifierEffect } from "../model/resource.ts";
import type { MemoryUsage } from "../telemetry/types.ts";
import type { ReviewedResource } from "./policy.ts";
import { workload } from "./policy-kit.ts";
import type { EvaluatedResource } from "./types.ts";

/** Helpers of the policies that read live usage: rounding to sane units, evidence, autoscalers. */

const MIB = 2 ** 20;
/** CPU recommendations are rounded up to 10 millicores, memory up to 16 MiB. */
const CPU_STEP_MILLIS = 10;
const MEMORY_STEP_BYTES = 16 * MIB;

/** Cores observed → millicores to request: rounded up to 10m, never below the floor. */
export function cpuMillisFor(cores: number, floor: string): number {
  const step = Math.ceil((cores * 1000) / CPU_STEP_MILLIS - 1e-9) * CPU_STEP_MILLIS;
  return Math.max(Number(milliValue(parseQuantity(floor))), step);
}

/** A peak working set → bytes to request: the peak plus a buffer, rounded up to 16 MiB, never below the floor. */
export function memoryBytesFor(peak: number, bufferPercent: number, floor: string): number {
  const buffered = Math.ceil((peak * (1 + bufferPercent / 100)) / MEMORY_STEP_BYTES) * MEMORY_STEP_BYTES;
  return Math.max(Number(unitValue(parseQuantity(floor))), buffered);
}

/** Days of the window whose peak working set was above `bytes`. */
export function daysAbove(memory: MemoryUsage, bytes: number): number {
  return memory.dailyPeaks.filter((day) => day.bytes > bytes).length;
}

/** Whole days, or one decimal below ten. */
export function days(seconds: number): number {
  const value = seconds / 86_400;
  return value >= 10 ? Math.round(value) : Math.round(value * 10) / 10;
}

/** Cores as a short decimal ("0.25"). */
export function cores(value: number): string {
  return String(Number(value.toPrecision(3)));
}

/** The autoscaler that sets a workload's replicas (its effect and id), when it is among the resources read. */
export function autoscalerOf(
  reviewed: ReviewedResource,
  all: readonly EvaluatedResource[],
): { id: string; effect: Extract<ModifierEffect, { kind: "autoscaler" }> } | undefined {
  const by = workload(reviewed)?.replicas.by;
  const found = by === undefined ? undefined : all.find((r) => r.resource.id === by)?.resource;
  if (found?.demand.type !== "modifier" || found.demand.effect.kind !== "autoscaler") return undefined;
  return { id: found.id, effect: found.demand.effect };
}
