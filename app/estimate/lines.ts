/** One priced component, Infracost-style: quantity × unit price = monthly cost. */
export type CostLine = {
  component: string;
  quantity: number;
  unit: string;
  unitPrice: number;
  monthlyCost: number;
  /** Ids of the data sources of the unit price (see app/estimate/data/catalog.json). */
  sources: string[];
};

/**
 * What one unit of a carbon line's quantity emits: energy (kWh per unit, at a grid's g/kWh) or, for
 * embodied emissions, kg per unit. The same for every resource of an environment that shares it (the
 * environment's PUE, watts and grid), so reports state it once.
 */
export type CarbonFactor = EnergyFactor | EmbodiedFactor;

type FactorText = {
  /** The unit of the quantity it multiplies: vCPU-h, GiB-h, TB-h, kWh (a measured energy). */
  unit: string;
  /** The factor as its formula writes it: `(0.64 + 0.5 × (3.97 − 0.64)) W × PUE 1.135`. */
  text: string;
};
export type EnergyFactor = FactorText & { kWhPerUnit: number; gPerKWh: number };
export type EmbodiedFactor = FactorText & { kgPerUnit: number };

/**
 * One emission component: a quantity times its factor (see {@link formula}). kWh and kgCO2e are kept
 * as computed, the factor's per-unit figures say how.
 */
export type CarbonLine = {
  component: string;
  quantity: number;
  /** How the quantity was counted, when it is more than `146 vCPU-h`: `2 vCPU × 730 h × 2 copies`. */
  counted?: string;
  factor: CarbonFactor;
  kWh?: number;
  kgCO2e: number;
  /** Set where telemetry replaced the model: measured (Kepler) or modelled from observed usage. */
  basis?: "measured" | "modelled";
  /** Beside a measured figure: what the model gives for the same component. */
  modelledKWh?: number;
};

export type ResourceEstimate = {
  /** USD per month; null when the resource could not be priced. */
  monthlyCost: number | null;
  /** kgCO2e per month; null when it could not be estimated. */
  monthlyCarbonKg: number | null;
  cost: CostLine[];
  carbon: CarbonLine[];
  /** The figures at an autoscaler's maximum replicas. */
  atMaximum?: { monthlyCost: number; monthlyCarbonKg: number };
  /** Why its cost or its carbon (whichever is null) is not estimated. */
  unestimated?: string;
  assumptions: string[];
};

/**
 * The components of one estimate as they are gathered. `unpriced` lists declared parts no catalog
 * prices (the cost is then null, never a partial sum); `noCarbon` says why carbon is not estimated.
 */
export type Lines = {
  cost: CostLine[];
  carbon: CarbonLine[];
  assumptions: string[];
  unpriced: string[];
  noCarbon?: string;
};

export const GIB = 2 ** 30;

export function lines(partial: Partial<Lines> = {}): Lines {
  return { cost: [], carbon: [], assumptions: [], unpriced: [], ...partial };
}

export function total(parts: Lines): ResourceEstimate {
  const estimate: ResourceEstimate = {
    monthlyCost: parts.unpriced.length > 0 ? null : sumOf(parts.cost, (l) => l.monthlyCost),
    monthlyCarbonKg: parts.noCarbon ? null : sumOf(parts.carbon, (l) => l.kgCO2e),
    cost: parts.cost,
    carbon: parts.carbon,
    assumptions: parts.assumptions,
  };
  if (parts.unpriced.length > 0 || parts.noCarbon) {
    const reasons = new Set(parts.unpriced);
    if (parts.noCarbon) reasons.add(parts.noCarbon);
    estimate.unestimated = [...reasons].join("; ");
  }
  return estimate;
}

export function merge(target: Lines, extra: Lines): void {
  target.cost.push(...extra.cost);
  target.carbon.push(...extra.carbon);
  target.assumptions.push(...extra.assumptions);
  target.unpriced.push(...extra.unpriced);
  target.noCarbon ??= extra.noCarbon;
}

export function line(
  component: string,
  quantity: number,
  unit: string,
  unitPrice: number,
  sources: string[],
): CostLine {
  return { component, quantity, unit, unitPrice, monthlyCost: quantity * unitPrice, sources };
}

/** A cost line priced from a catalog, citing the catalog the price came from. */
export function priceLine(
  component: string,
  quantity: number,
  unit: string,
  price: { usdPerUnit: number; source: string },
): CostLine {
  return line(component, quantity, unit, price.usdPerUnit, [price.source]);
}

export function energyFactor(unit: string, text: string, kWhPerUnit: number, gPerKWh: number): EnergyFactor {
  return { unit, text, kWhPerUnit, gPerKWh };
}

export function embodiedFactor(unit: string, text: string, kgPerUnit: number): EmbodiedFactor {
  return { unit, text, kgPerUnit };
}

/** An energy line: `quantity` of the factor's unit drew `kWh`, emitting at the factor's grid. */
export function energy(
  component: string,
  quantity: number,
  factor: EnergyFactor,
  kWh: number,
  counted?: string,
): CarbonLine {
  const line: CarbonLine = { component, quantity, factor, kWh, kgCO2e: (kWh * factor.gPerKWh) / 1000 };
  if (counted !== undefined) line.counted = counted;
  return line;
}

/** An embodied-emissions line: `kg` for `quantity` of the factor's unit. */
export function embodied(
  component: string,
  quantity: number,
  factor: EmbodiedFactor,
  kg: number,
  counted?: string,
): CarbonLine {
  const line: CarbonLine = { component, quantity, factor, kgCO2e: kg };
  if (counted !== undefined) line.counted = counted;
  return line;
}

/** The line's formula: `146 vCPU-h × (0.64 + 0.5 × (3.97 − 0.64)) W × PUE 1.135 = 0.382 kWh × 278.6 g/kWh`. */
export function formula(line: CarbonLine): string {
  const quantity = line.counted ?? `${round(line.quantity)} ${line.factor.unit}`;
  const { factor, kWh } = line;
  const energyPart =
    "gPerKWh" in factor && kWh !== undefined ? ` = ${round(kWh)} kWh × ${factor.gPerKWh} g/kWh` : "";
  return `${quantity} × ${factor.text}${energyPart}`;
}

/** The sum of a figure of each line, added in order. */
function sumOf<T>(lines: readonly T[], figure: (line: T) => number): number {
  let total = 0;
  for (const line of lines) total += figure(line);
  return total;
}

/** Four significant digits, for formulas. */
export function round(value: number): string {
  return Number(value.toPrecision(4)).toString();
}
