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

/** One emission component, with the formula that produced it. */
export type CarbonLine = {
  component: string;
  kWh?: number;
  kgCO2e: number;
  formula: string;
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
  const reasons = [...new Set([...parts.unpriced, ...(parts.noCarbon ? [parts.noCarbon] : [])])];
  const estimate: ResourceEstimate = {
    monthlyCost: parts.unpriced.length > 0 ? null : sum(parts.cost.map((l) => l.monthlyCost)),
    monthlyCarbonKg: parts.noCarbon ? null : sum(parts.carbon.map((l) => l.kgCO2e)),
    cost: parts.cost,
    carbon: parts.carbon,
    assumptions: parts.assumptions,
  };
  if (reasons.length > 0) estimate.unestimated = reasons.join("; ");
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

export function energy(component: string, kWh: number, gPerKWh: number, formula: string): CarbonLine {
  return {
    component,
    kWh,
    kgCO2e: (kWh * gPerKWh) / 1000,
    formula: `${formula} = ${round(kWh)} kWh × ${gPerKWh} g/kWh`,
  };
}

export function sum(values: number[]): number {
  return values.reduce((a, b) => a + b, 0);
}

/** Four significant digits, for formulas. */
export function round(value: number): string {
  return Number(value.toPrecision(4)).toString();
}
