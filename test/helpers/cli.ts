import { execFile, spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { Ajv } from "ajv";
import { expect } from "vitest";

export const PROJECT = new URL("../../", import.meta.url).pathname;
const BIN = join(PROJECT, "bin/greenops.js");
const schema = JSON.parse(readFileSync(join(PROJECT, "docs/report-schema.json"), "utf8"));
const validateReport = new Ajv({ allErrors: true, strict: true }).compile(schema);
const ENV = { ...process.env, NO_COLOR: "1" };

type Run = { status: number | null; stdout: string; stderr: string };

/** Runs the CLI binary as a user would: a separate process, in `cwd`. */
export function greenops(cwd: string, ...args: string[]): Run {
  return greenopsWith({}, cwd, ...args);
}

/** Runs the CLI with more environment variables (GREENOPS_KUBECTL, GREENOPS_PROGRAM_*). */
export function greenopsWith(env: Record<string, string>, cwd: string, ...args: string[]): Run {
  return greenopsAs(undefined, env, cwd, ...args);
}

/** {@link greenopsWith} as another user (when the tests run as root: permission bits bind only others). */
export function greenopsAs(
  user: { uid: number; gid: number } | undefined,
  env: Record<string, string>,
  cwd: string,
  ...args: string[]
): Run {
  const result = spawnSync(process.execPath, [BIN, ...args], {
    ...user,
    cwd,
    encoding: "utf8",
    env: { ...ENV, ...env },
    // A run that blocks (on a FIFO, a program that never ends) fails the test instead of hanging it.
    timeout: 120_000,
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** The same, without blocking this process: for runs that call servers the test itself serves. */
export function greenopsAsync(cwd: string, ...args: string[]): Promise<Run> {
  return greenopsWithEnv(cwd, {}, ...args);
}

/** {@link greenopsAsync} with these environment variables added (tokens, servers: the operator's settings). */
export function greenopsWithEnv(cwd: string, env: Record<string, string>, ...args: string[]): Promise<Run> {
  return new Promise((resolve) => {
    const options = { cwd, env: { ...ENV, ...env } };
    const child = execFile(process.execPath, [BIN, ...args], options, (_error, stdout, stderr) =>
      resolve({ status: child.exitCode, stdout, stderr }),
    );
  });
}

/** Runs the CLI with `--format json`: it must succeed silently and write a report that follows the schema. */
export function json(cwd: string, ...args: string[]) {
  return validReport(greenops(cwd, ...args, "--format", "json"));
}

/** {@link json}, without blocking this process. */
export function jsonAsync(cwd: string, ...args: string[]) {
  return jsonWithEnv(cwd, {}, ...args);
}

/** {@link jsonAsync} with these environment variables added (the operator's settings). */
export async function jsonWithEnv(cwd: string, env: Record<string, string>, ...args: string[]) {
  return validReport(await greenopsWithEnv(cwd, env, ...args, "--format", "json"));
}

export function validReport(run: Run) {
  expect(run.stderr).toBe("");
  expect(run.status).toBe(0);
  const report = JSON.parse(run.stdout);
  expect(validateReport(report), JSON.stringify(validateReport.errors, null, 2)).toBe(true);
  expect(unrounded(report), "numbers rounded as docs/report-schema.json states").toEqual([]);
  expect(unresolved(report), "lines refer to entries of unitPrices and emissionFactors").toEqual([]);
  return report;
}

type Lines = { cost: { price: number }[]; carbon: { factor: number }[] };

/** A resource's cost lines as a reader of the report puts them together: each with its unit price's entry. */
export function costLines(
  report: { unitPrices: UnitPrice[] },
  side: { cost: { price: number; quantity: number; monthlyCost: number }[] },
): (UnitPrice & { quantity: number; monthlyCost: number })[] {
  return side.cost.map(({ price, ...line }) => ({ ...(report.unitPrices[price] as UnitPrice), ...line }));
}

type UnitPrice = { component: string; unit: string; unitPrice: number; sources: string[] };

/** The cost and carbon lines whose price or factor is not in the report's tables. */
function unresolved(report: {
  resources: { id: string; breakdown: { before: Lines | null; after: Lines | null } }[];
  unitPrices: unknown[];
  emissionFactors: unknown[];
}): string[] {
  return report.resources.flatMap(({ id, breakdown }) =>
    [breakdown.before, breakdown.after].flatMap((side) => [
      ...(side?.cost ?? []).filter((l) => !report.unitPrices[l.price]).map(() => `${id}: price`),
      ...(side?.carbon ?? []).filter((l) => !report.emissionFactors[l.factor]).map(() => `${id}: factor`),
    ]),
  );
}

/** Fields rounded to 0.0001, to 6 significant digits and to 2 decimals (docs/report-schema.json). */
const AMOUNTS = new Set([
  "before",
  "after",
  "delta",
  "monthlyCost",
  "monthlyCarbonKg",
  "kgCO2e",
  "totalCost",
]);
const QUANTITIES = new Set([
  ...["quantity", "unitPrice", "kWh", "modelledKWh", "runsPerMonth", "embodiedKgPerVcpuHour"],
  ...["kWhPerUnit", "kgCO2ePerUnit"],
  ...["usdPerVcpuHour", "usdPerGiBHour", "usdPerGpuHour", "max", "average", "replicas"],
  ...["cpuEfficiency", "ramEfficiency", "minutes"],
]);
const PERCENTS = new Set(["deltaPercent", "historyDays"]);

/** The paths of numbers in a report that carry more digits than the schema says. */
function unrounded(value: unknown, path = ""): string[] {
  if (Array.isArray(value)) return value.flatMap((item, i) => unrounded(item, `${path}[${i}]`));
  if (typeof value !== "object" || value === null) return [];
  return Object.entries(value).flatMap(([key, field]) => {
    const at = `${path}.${key}`;
    if (typeof field !== "number") return unrounded(field, at);
    const fits =
      (!AMOUNTS.has(key) || Math.round(field * 1e4) / 1e4 === field) &&
      (!QUANTITIES.has(key) || Number(field.toPrecision(6)) === field) &&
      (!PERCENTS.has(key) || Math.round(field * 100) / 100 === field);
    return fits ? [] : [`${at}: ${field}`];
  });
}
