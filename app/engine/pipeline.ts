import { textsOf } from "./check.ts";
import type { Configuration } from "./configuration.ts";
import { environmentTotals } from "./environment-totals.ts";
import { estimateAgain, estimateParsed, parseFiles, parseRead } from "./evaluate.ts";
import { fixImpact, measureFixes } from "./fix-impact.ts";
import { checkFixes } from "./fix-outcomes.ts";
import { touchedProgramFiles } from "./projects.ts";
import { readContext, readReview, readTree, readUntouched } from "./read.ts";
import { estimateReport, reviewReport } from "./report.ts";
import { estimateRows, isShown, reviewRows } from "./rows.ts";
import { cpuQuantiles } from "./run-policies.ts";
import { checkSide, observedEnergy, type SideRun, textOf, verifier } from "./side-run.ts";
import { applyObservedPrices, observe, type TelemetryQuery } from "./telemetry.ts";
import type { CheckedReview, Evaluation, ResourceChange, SnapshotEstimate, SnapshotReview } from "./types.ts";

/**
 * The engine, stage by stage, as ESLint's Linter#verify reads: read → parse → evaluate → telemetry →
 * policies → fixes → report. Each stage is a module below this one whose output is the next one's
 * input; they share the types of types.ts. A fix is checked by the same stages after reading, run
 * again on the fixed texts (`verify`, side-run.ts: what apply-fixes.ts calls on every pass).
 */

/** An estimate of every IaC file of a snapshot under a path. */
export async function runEstimate(input: SnapshotEstimate): Promise<CheckedReview> {
  // read: the settings, the Applications, the projects and the files under the path
  const tree = await readTree(input);
  const { configuration, projects } = tree;
  const { environments } = configuration;
  // parse them; read what they depend on outside the path; parse that → evaluate
  const onFile = (done: number) => input.onProgress?.("reading", done, tree.files.length);
  const own = parseFiles(
    tree.files.filter((file) => !projects.consumed.has(file.path)),
    environments,
    onFile,
  );
  const context = await readContext(tree, input.prefix ?? "", own.parsed);
  const parse = parseRead(
    tree.files.filter((file) => context.has(file.path)),
    environments,
    { before: own, projects },
  );
  let evaluation = estimateParsed(parse);
  // telemetry: usage, energy and prices of the workloads read (prices re-estimate them)
  const telemetry = await observe(
    telemetryQuery(configuration),
    evaluation.resources.filter(
      (r) => r.resource.planned?.side !== "before" && !context.has(r.resource.source.span.file),
    ),
    input.telemetry ? { overrides: input.telemetry } : {},
  );
  if (applyObservedPrices(environments, telemetry)) evaluation = estimateAgain(evaluation);
  const run: SideRun = {
    side: tree,
    texts: textsOf(tree),
    mode: "estimate",
    touched: new Set(),
    telemetry,
    // Context read outside the path is not shown.
    rows: (e) => estimateRows(e).filter((row) => !context.has(fileOf(row))),
    forcedEnvironment: input.env,
  };
  const observed = observedEnergy(configuration, telemetry, evaluation);
  const rows = run.rows(observed);
  // policies
  const check = checkSide(run, rows, observed);
  // report (an estimate's fixes are applied on request: apply-fixes.ts)
  const report = estimateReport({
    configuration,
    check,
    evaluation,
    telemetry,
    maxCatalogAgeDays: input.maxCatalogAgeDays,
    head: input.prefix ? { ...input.head, path: input.prefix } : input.head,
    rows,
    files: tree.files.length - context.size,
  });
  const target = { text: textOf(run), verify: verifier(run), baseline: check };
  const impact = fixImpact(evaluation, (e) => observedEnergy(configuration, telemetry, e), target);
  return { report, configs: [configuration.repository], impact, ...target };
}

/**
 * A review of two snapshots: each side reads the touched files plus the untouched ones that change
 * their estimate or that they change (see untouchedScope); both read the same ones. The rows pair the
 * sides; the policies run on the head; each fix is checked (fix-outcomes.ts) and the saving of each
 * that passes is measured before the report.
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
  // Shown whole: the touched files, and the resources of the programs a change touches.
  const touched = new Set([
    ...read.touched,
    ...read.sides.flatMap((side) => touchedProgramFiles(side.projects, read.changed)),
  ]);
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
  // compare the sides
  const compared = reviewRows(before, after, touched);
  // telemetry: usage, energy and prices of the reviewed workloads (prices re-estimate both sides)
  const reviewed = compared.filter((row) => isShown(row, touched));
  input.onProgress?.("reading telemetry", 0, 1);
  const telemetry = await observe(
    telemetryQuery(head.configuration),
    reviewed.flatMap((row) => (row.after ? [row.after] : [])),
    input.telemetry ? { overrides: input.telemetry } : {},
  );
  const repriced = read.sides.map((side) => applyObservedPrices(side.configuration.environments, telemetry));
  if (repriced.some(Boolean)) [before, after] = [estimateAgain(before), estimateAgain(after)];
  const observedBase = observedEnergy(base.configuration, telemetry, before);
  const rowsOf = (evaluation: Evaluation) => reviewRows(observedBase, evaluation, touched);
  const observed = observedEnergy(head.configuration, telemetry, after);
  // What telemetry observed changes the estimates: compare again (without it, the rows stand).
  const allRows = telemetry ? rowsOf(observed) : compared;
  const shown = allRows.filter((row) => isShown(row, touched));
  const run: SideRun = {
    side: head,
    texts: textsOf(head),
    mode: "review",
    touched: read.changed,
    telemetry,
    rows: (evaluation) => rowsOf(evaluation).filter((row) => isShown(row, touched)),
    environmentTotals: await environmentTotals(head, shown),
    forcedEnvironment: input.env,
  };
  // policies, on the head
  const check = checkSide(run, shown, observed);
  // fixes: each checked alone (offered, or made by hand with the check's reason), then what each offered one saves
  const target = { text: textOf(run), verify: verifier(run), baseline: check };
  input.onProgress?.("checking fixes", 0, 1);
  await checkFixes(check.findings, target);
  const impact = fixImpact(after, (e) => observedEnergy(head.configuration, telemetry, e), target);
  await measureFixes(check.findings, impact);
  // report
  const report = reviewReport({
    configuration: head.configuration,
    check,
    evaluation: after,
    telemetry,
    maxCatalogAgeDays: input.maxCatalogAgeDays,
    base: input.base.info,
    baseEvaluation: before,
    head: input.head.info,
    files: read.files,
    rows: shown,
    unshown: allRows.length - shown.length,
    stats: { files: base.files.length + head.files.length, objects: before.objects + after.objects },
  });
  return {
    report,
    configs: [base.configuration.repository, head.configuration.repository],
    impact,
    ...target,
  };
}

function fileOf(row: ResourceChange): string {
  return (row.after ?? row.before)?.resource.source.span.file ?? "";
}

function telemetryQuery(configuration: Configuration): TelemetryQuery {
  return {
    environments: configuration.environments,
    quantiles: (basis) => cpuQuantiles(configuration.policies, basis, configuration.repository),
  };
}
