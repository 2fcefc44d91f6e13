import type { CarbonFactor, CarbonLine, CostLine } from "../estimate/lines.ts";
import { amount, quantity } from "./numbers.ts";

/**
 * The unit prices and emission factors of a JSON report's cost and carbon lines, each stated once:
 * what is the same for every resource of an environment (its vCPU-hour price, its power curve, PUE and
 * grid) is written in the report's `unitPrices` and `emissionFactors`, and a line refers to it by index.
 */
export class LineTables {
  readonly unitPrices: object[] = [];
  readonly emissionFactors: object[] = [];
  readonly #prices = new Map<string, number>();
  readonly #factors = new Map<string, number>();
  /** Factors are shared objects (one per environment for workloads): found by identity first. */
  readonly #known = new Map<CarbonFactor, Map<string, number>>();

  /** Prices by their lines' `sources`, one array per environment for workloads: found by identity first. */
  readonly #bySources = new Map<readonly string[], { line: CostLine; index: number }[]>();

  /** The JSON of a cost line: its price's index, its quantity and what it costs. */
  cost(line: CostLine): object {
    return {
      price: this.#price(line),
      quantity: quantity(line.quantity),
      monthlyCost: amount(line.monthlyCost),
    };
  }

  #price(line: CostLine): number {
    const { component, unit, unitPrice, sources } = line;
    const known = this.#bySources.get(sources) ?? [];
    const same = known.find(
      (price) =>
        price.line.component === component && price.line.unit === unit && price.line.unitPrice === unitPrice,
    );
    if (same) return same.index;
    const key = `${component}\0${unit}\0${unitPrice}\0${sources.join("\0")}`;
    let index = this.#prices.get(key);
    if (index === undefined) {
      index = this.unitPrices.push({ component, unit, unitPrice: quantity(unitPrice), sources }) - 1;
      this.#prices.set(key, index);
    }
    known.push({ line, index });
    this.#bySources.set(sources, known);
    return index;
  }

  /** The JSON of a carbon line: its factor's index, its quantity, kWh and kgCO2e. */
  carbon(line: CarbonLine): object {
    const json: Record<string, unknown> = {
      factor: this.#factor(line.component, line.factor),
      quantity: quantity(line.quantity),
    };
    if (line.counted !== undefined) json.counted = line.counted;
    if (line.kWh !== undefined) json.kWh = quantity(line.kWh);
    json.kgCO2e = amount(line.kgCO2e);
    if (line.basis !== undefined) json.basis = line.basis;
    if (line.modelledKWh !== undefined) json.modelledKWh = quantity(line.modelledKWh);
    return json;
  }

  #factor(component: string, factor: CarbonFactor): number {
    const known = this.#known.get(factor) ?? new Map<string, number>();
    this.#known.set(factor, known);
    let index = known.get(component);
    if (index !== undefined) return index;
    const entry = {
      component,
      unit: factor.unit,
      formula: factor.text,
      ...("gPerKWh" in factor
        ? { kWhPerUnit: quantity(factor.kWhPerUnit), gramsPerKWh: factor.gPerKWh }
        : { kgCO2ePerUnit: quantity(factor.kgPerUnit) }),
    };
    const key = JSON.stringify(entry);
    index = this.#factors.get(key);
    if (index === undefined) {
      index = this.emissionFactors.push(entry) - 1;
      this.#factors.set(key, index);
    }
    known.set(component, index);
    return index;
  }
}
