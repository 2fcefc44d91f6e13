import { statSync } from "node:fs";
import { dirname, relative, resolve, sep } from "node:path";
import { gitMaybe } from "../source/git.ts";
import { gitRevision, workingTree } from "../source/snapshot.ts";
import type { TelemetryOverrides } from "../telemetry/fetch-telemetry.ts";
import { checkPolicies } from "./check.ts";
import type { ResourceChange } from "./compare.ts";
import { loadConfiguration } from "./configuration.ts";
import { UsageError } from "./environments.ts";
import { type Evaluation, evaluate } from "./evaluate.ts";
import { mayBeIac } from "./formats.ts";
import { withTelemetry } from "./observed-energy.ts";
import { dedupe, type Progress, type Report, usedEnvironments } from "./report.ts";
import type { CheckedReview } from "./review.ts";
import { commitOf } from "./revisions.ts";
import { applyObservedPrices, observe } from "./telemetry.ts";

export type EstimateOptions = {
  ref?: string;
  env?: string;
  onProgress?: Progress;
  telemetry?: TelemetryOverrides;
};

/** Estimates every IaC file under `path`, in the working tree or at a git revision, and runs the policies. */
export async function estimate(path: string, options: EstimateOptions = {}): Promise<Report> {
  return (await checkedEstimate(path, options)).report;
}

export async function checkedEstimate(
  path: string,
  options: EstimateOptions = {},
): Promise<CheckedReview & { root: string }> {
  const target = resolve(path);
  const file = statSync(target, { throwIfNoEntry: false });
  if (!file && !options.ref) throw new UsageError(`${path}: no such file or directory`);
  const directory = file && !file.isDirectory() ? dirname(target) : target;
  const top = (await gitMaybe(directory, ["rev-parse", "--show-toplevel"]))?.trim();
  if (top === undefined && options.ref)
    throw new Error(`--ref ${options.ref}: ${target} is not in a git repository`);
  const root = top ?? directory;
  const commit = options.ref ? await commitOf(root, options.ref) : undefined;
  const snapshot = commit ? gitRevision(root, commit, options.ref) : workingTree(root, top !== undefined);
  const prefix = relative(root, target).split(sep).join("/");
  const [paths, configuration] = await Promise.all([
    snapshot.list(),
    loadConfiguration(snapshot, options.env),
  ]);
  const selected = paths.filter(
    (p) => mayBeIac(p) && (prefix === "" || p === prefix || p.startsWith(`${prefix}/`)),
  );
  const files = await snapshot.read(selected);
  let evaluation = evaluate(files, configuration.environments, (done) =>
    options.onProgress?.("reading", done, selected.length),
  );
  const telemetry = await observe(
    configuration,
    evaluation.resources,
    options.telemetry ? { overrides: options.telemetry } : {},
  );
  if (applyObservedPrices(configuration, telemetry)) evaluation = evaluate(files, configuration.environments);
  const rowsOf = (e: Evaluation) =>
    e.resources.map((after): ResourceChange => ({ change: "unchanged", after }));
  const rows = rowsOf(
    withTelemetry(evaluation, telemetry, (name) => configuration.environments.all.get(name)),
  );
  const check = await checkPolicies({
    mode: "estimate",
    snapshot,
    configuration,
    files,
    evaluation,
    rows: rowsOf,
    touched: new Set(),
    ...(options.env === undefined ? {} : { forcedEnvironment: options.env }),
    ...(telemetry ? { telemetry } : {}),
  });
  const { environments } = configuration;
  const report: Report = {
    mode: "estimate",
    head: commit ? { ref: options.ref ?? commit, commit } : { ref: "working tree" },
    rows,
    unchangedResources: 0,
    files: [],
    findings: check.findings,
    diagnostics: dedupe([...environments.diagnostics, ...evaluation.diagnostics]),
    environments: usedEnvironments(environments, rows),
    stats: { files: selected.length, objects: evaluation.objects },
    ...(telemetry ? { telemetry } : {}),
  };
  const text = (file: string) => {
    const read = files.find((f) => f.path === file);
    return read && "text" in read ? read.text : environments.texts.get(file);
  };
  return { report, verify: check.verify, baseline: check.baseline, text, root };
}
