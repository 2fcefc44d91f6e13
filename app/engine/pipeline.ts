import type { SourceFile } from "../source/snapshot.ts";
import type { Telemetry } from "../telemetry/types.ts";
import { checkPolicies, textsOf } from "./check.ts";
import { type Configuration, loadConfiguration } from "./configuration.ts";
import { environmentTotals } from "./environment-totals.ts";
import { estimateAgain, estimateParsed, evaluate, parseFiles, parseRead } from "./evaluate.ts";
import { editsSettings, newSchemaErrors, newSettingsErrors, overlay, replaceTexts } from "./fix-check.ts";
import { impactMeter, measureFixes } from "./fix-impact.ts";
import { withTelemetry } from "./observed-energy.ts";
import { readReview, readTree, readUntouched, type Side } from "./read.ts";
import { estimateReport, reviewReport } from "./report.ts";
import { estimateRows, isShown, reviewRows } from "./rows.ts";
import { cpuQuantiles } from "./run-policies.ts";
import { applyObservedPrices, observe, type TelemetryQuery } from "./telemetry.ts";
import type {
  CheckedReview,
  Evaluation,
  ResourceChange,
  SnapshotReview,
  Totals,
  TreeEstimate,
  Verification,
  Verifier,
} from "./types.ts";

/**
 * The engine, stage by stage, as ESLint's Linter#verify reads: read → parse → evaluate → telemetry →
 * policies → fixes → report. Each stage is a module below this one whose output is the next one's
 * input; they share the types of types.ts. A fix is checked by the same stages after reading, run
 * again on the fixed texts (`verify`, what apply-fixes.ts calls on every pass).
 */

/** An estimate of every IaC file of a snapshot under a path. */
export async function runEstimate(input: TreeEstimate): Promise<CheckedReview> {
  // read: the settings, the Applications, the projects and the files under the path
  const tree = await readTree(input);
  const { configuration } = tree;
  // parse → evaluate
  const onFile = (done: number) => input.onProgress?.("reading", done, tree.files.length);
  const parse = parseRead(tree.files, configuration.environments, { projects: tree.projects, onFile });
  let evaluation = estimateParsed(parse);
  // telemetry: usage, energy and prices of the workloads read (prices re-estimate them)
  const telemetry = await observe(
    telemetryQuery(configuration),
    evaluation.resources.filter((r) => r.resource.planned?.side !== "before"),
    input.telemetry ? { overrides: input.telemetry } : {},
  );
  if (applyObservedPrices(configuration.environments, telemetry)) evaluation = estimateAgain(evaluation);
  const run: SideRun = {
    side: tree,
    mode: "estimate",
    touched: new Set(),
    telemetry,
    rows: estimateRows,
    forcedEnvironment: input.env,
  };
  const observed = observedEnergy(configuration, telemetry, evaluation);
  const rows = estimateRows(observed);
  // policies
  const check = checkSide(run, configuration, tree.files, rows, observed);
  // report (an estimate's fixes are applied on request: apply-fixes.ts)
  const report = estimateReport({
    configuration,
    check,
    evaluation,
    telemetry,
    maxCatalogAgeDays: input.maxCatalogAgeDays,
    head: input.head,
    rows,
    files: tree.files.length,
    applications: tree.applicationDiagnostics,
  });
  return { report, text: textOf(tree), verify: verifier(run), baseline: check };
}

/**
 * A review of two snapshots: each side reads the touched files plus the untouched ones that change
 * their estimate or that they change (see untouchedScope); both read the same ones. The rows pair the
 * sides; the policies run on the head; each fix's saving is measured before the report.
 */
export async function runReview(input: SnapshotReview): Promise<CheckedReview> {
  // read: the change, both sides' settings, Applications, projects and touched files
  const read = await readReview(input);
  const [base, head] = read.sides;
  // parse the touched files; read what they depend on or affect; parse that → evaluate each side
  const touchedParse = read.sides.map((side) => parseFiles(side.files, side.configuration.environments));
  const untouched = await readUntouched(
    read,
    touchedParse.flatMap((parse) => parse.parsed),
  );
  const touched = new Set(read.touched);
  let [before, after] = read.sides.map((side, i) => {
    const done = side.files.length - (untouched[i]?.length ?? 0);
    const onFile = (n: number) =>
      input.onProgress?.(`reading ${side.snapshot.label}`, done + n, side.files.length);
    const parse = parseRead(untouched[i] ?? [], side.configuration.environments, {
      before: touchedParse[i],
      projects: side.projects,
      onFile,
    });
    return estimateParsed(parse);
  }) as [Evaluation, Evaluation];
  // telemetry: usage, energy and prices of the reviewed workloads (prices re-estimate both sides)
  const reviewed = reviewRows(before, after, touched).filter((row) => isShown(row, touched));
  input.onProgress?.("reading telemetry", 0, 1);
  const telemetry = await observe(
    telemetryQuery(head.configuration),
    reviewed.flatMap((row) => (row.after ? [row.after] : [])),
    input.telemetry ? { overrides: input.telemetry } : {},
  );
  const repriced = read.sides.map((side) => applyObservedPrices(side.configuration.environments, telemetry));
  if (repriced.some(Boolean)) [before, after] = [estimateAgain(before), estimateAgain(after)];
  // compare the sides
  const observedBase = observedEnergy(base.configuration, telemetry, before);
  const rowsOf = (evaluation: Evaluation) => reviewRows(observedBase, evaluation, touched);
  const observed = observedEnergy(head.configuration, telemetry, after);
  const allRows = rowsOf(observed);
  const shown = allRows.filter((row) => isShown(row, touched));
  const run: SideRun = {
    side: head,
    mode: "review",
    touched: read.changed,
    telemetry,
    rows: (evaluation) => rowsOf(evaluation).filter((row) => isShown(row, touched)),
    environmentTotals: await environmentTotals(head, shown),
    forcedEnvironment: input.env,
  };
  // policies, on the head
  const check = checkSide(run, head.configuration, head.files, shown, observed);
  // fixes: what each would save
  const target = { text: textOf(head), verify: verifier(run), baseline: check };
  const meter = impactMeter(after, (evaluation) => observedEnergy(head.configuration, telemetry, evaluation));
  await measureFixes(check.findings, meter, target);
  // report
  const report = reviewReport({
    configuration: head.configuration,
    check,
    evaluation: after,
    telemetry,
    maxCatalogAgeDays: input.maxCatalogAgeDays,
    base: input.base.info,
    head: input.head.info,
    files: read.files,
    rows: shown,
    unshown: allRows.length - shown.length,
    stats: { files: base.files.length + head.files.length, objects: before.objects + after.objects },
  });
  return { report, ...target };
}

/** What the stages after reading need to run again on one side: its rows, telemetry and totals. */
type SideRun = {
  side: Side;
  mode: "review" | "estimate";
  touched: ReadonlySet<string>;
  telemetry: Telemetry | undefined;
  /** The rows the policies check, from the side's evaluation with telemetry applied. */
  rows: (evaluation: Evaluation) => ResourceChange[];
  environmentTotals?: ReadonlyMap<string, Totals> | undefined;
  forcedEnvironment: string | undefined;
};

/** The policies, on one side's rows (from its evaluation with telemetry applied). */
function checkSide(
  run: SideRun,
  configuration: Configuration,
  files: SourceFile[],
  rows: ResourceChange[],
  evaluation: Evaluation,
): Verification {
  return checkPolicies({
    mode: run.mode,
    configuration,
    evaluation,
    rows,
    texts: textsOf(files, configuration),
    touched: run.touched,
    environmentTotals: run.environmentTotals,
    telemetry: run.telemetry,
  });
}

/**
 * The check every fix must pass: the stages after reading, run again on the side's files with some
 * texts replaced (the settings read again when a fix edits them), then what a fix must not break.
 */
function verifier(run: SideRun): Verifier {
  const { side } = run;
  const text = textOf(side);
  return async (replaced) => {
    const settings = editsSettings(side.configuration.environments, replaced);
    const configuration = settings ? await settingsAgain(run, replaced) : side.configuration;
    const files = replaceTexts(side.files, replaced);
    const evaluation = evaluate(files, configuration.environments, undefined, side.projects);
    const observed = observedEnergy(configuration, run.telemetry, evaluation);
    const check = checkSide(run, configuration, files, run.rows(observed), observed);
    check.diagnostics.push(...(await newSchemaErrors(text, replaced)));
    if (settings)
      check.diagnostics.push(
        ...newSettingsErrors(side.configuration.environments, configuration.environments),
      );
    return check;
  };
}

/** The configuration read again with edited settings; usage files are not settings: they stay as read. */
async function settingsAgain(run: SideRun, replaced: ReadonlyMap<string, string>): Promise<Configuration> {
  const configuration = await loadConfiguration(overlay(run.side.snapshot, replaced), run.forcedEnvironment);
  const usage = run.side.configuration.environments.usage;
  if (usage) configuration.environments.usage = usage;
  return configuration;
}

/** The text of a file a side read (a settings file included): what fixes edit. */
function textOf(side: Side): (file: string) => string | undefined {
  const texts = textsOf(side.files, side.configuration);
  return (file) => texts.get(file);
}

/** An evaluation with what telemetry observed (see withTelemetry). */
function observedEnergy(
  configuration: Configuration,
  telemetry: Telemetry | undefined,
  evaluation: Evaluation,
): Evaluation {
  return withTelemetry(evaluation, telemetry, (name) => configuration.environments.all.get(name));
}

function telemetryQuery(configuration: Configuration): TelemetryQuery {
  return {
    environments: configuration.environments,
    quantiles: (basis) => cpuQuantiles(configuration.policies, basis, configuration.repository),
  };
}
