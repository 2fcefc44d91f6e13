import type { EnvironmentBasis } from "../estimate/basis.ts";
import { type CarbonLine, cpuCarbonLine, energy, podHours } from "../estimate/estimate-resource.ts";
import { energyFactor, round } from "../estimate/lines.ts";
import type { WorkloadDemand } from "../model/resource.ts";
import type { EnvironmentTelemetry, Telemetry, WorkloadUsage } from "../telemetry/types.ts";
import { usageOf } from "./telemetry.ts";
import type { EvaluatedResource, Evaluation } from "./types.ts";

/**
 * Each workload's CPU energy from what it uses: Kepler's measured energy per pod-hour where it is
 * plausible, else CCF's power curve at the utilisation cAdvisor observed (usage ÷ request) instead of
 * CCF's default 50 %. Recomputed from the demand, so applying it twice changes nothing.
 */
export function withTelemetry(
  evaluation: Evaluation,
  telemetry: Telemetry | undefined,
  bases: (name: string) => EnvironmentBasis | undefined,
): Evaluation {
  if (!telemetry) return evaluation;
  const resources = evaluation.resources.map((evaluated) => {
    const observed = telemetry.environments.get(evaluated.resource.environment);
    const usage = observed && usageOf(observed, evaluated.resource);
    const basis = bases(evaluated.resource.environment);
    return usage && observed && basis ? observedEnergy(evaluated, usage, observed, basis) : evaluated;
  });
  return { ...evaluation, resources };
}

function observedEnergy(
  evaluated: EvaluatedResource,
  usage: WorkloadUsage,
  observed: EnvironmentTelemetry,
  basis: EnvironmentBasis,
): EvaluatedResource {
  const demand = evaluated.resource.demand;
  const { estimate } = evaluated;
  const index = estimate.carbon.findIndex((line) => line.component === "CPU");
  if (demand.type !== "workload" || index < 0 || demand.pod.cpuMillis === 0) return evaluated;
  const hours = podHours(demand, demand.replicas.count);
  const requested = demand.pod.cpuMillis / 1000;
  const used = Object.values(usage.containers).reduce((sum, c) => sum + (c.cpu?.average ?? 0), 0);
  const utilisation = Math.min(1, used / requested);
  const note = ` (observed: ${Math.round(utilisation * 100)}% of the request, cAdvisor over ${observed.window.label})`;
  const modelled = {
    ...cpuCarbonLine(requested * hours, utilisation, basis, note),
    basis: "modelled" as const,
  };
  const energyUsed = usage.energy;
  const assumptions = [...estimate.assumptions];
  let line: CarbonLine = modelled;
  if (energyUsed?.implausible)
    assumptions.push(`Kepler's reading was replaced by the model: ${energyUsed.implausible}`);
  else if (energyUsed)
    line = measuredLine(energyUsed, usage, demand, observed, basis, hours, modelled.kWh ?? 0);
  const carbon = estimate.carbon.map((l, i) => (i === index ? line : l));
  const monthlyCarbonKg = carbon.reduce((sum, l) => sum + l.kgCO2e, 0);
  return { ...evaluated, estimate: { ...estimate, carbon, monthlyCarbonKg, assumptions } };
}

function measuredLine(
  measured: NonNullable<WorkloadUsage["energy"]>,
  usage: WorkloadUsage,
  demand: WorkloadDemand,
  observed: EnvironmentTelemetry,
  basis: EnvironmentBasis,
  hours: number,
  modelledKWh: number,
): CarbonLine {
  const pods = usage.replicas ?? demand.replicas.count;
  const perPodHour = measured.kWh / (pods * (observed.window.seconds / 3600));
  const { pue, grid } = basis.carbon;
  const counted = `measured by ${measured.source.replace("-", " ")}: ${round(measured.kWh)} kWh over ${observed.window.label} for ${round(pods)} pod(s) = ${round(perPodHour)} kWh per pod-hour × ${round(hours)} pod-h`;
  // The measured energy (before the data centre's overhead) times the environment's PUE.
  const factor = energyFactor("kWh", `PUE ${pue}`, pue, grid.gPerKWh);
  return {
    ...energy("CPU", perPodHour * hours, factor, perPodHour * hours * pue, counted),
    basis: "measured" as const,
    modelledKWh,
  };
}
