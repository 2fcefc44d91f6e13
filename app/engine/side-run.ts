import type { SourceFile } from "../source/snapshot.ts";
import type { Telemetry } from "../telemetry/types.ts";
import { checkPolicies, textsOf } from "./check.ts";
import { type Configuration, loadConfiguration } from "./configuration.ts";
import { evaluate } from "./evaluate.ts";
import { editsSettings, newSchemaErrors, newSettingsErrors, replaceTexts } from "./fix-check.ts";
import { withTelemetry } from "./observed-energy.ts";
import { overlay } from "./projects.ts";
import type { Side } from "./read.ts";
import type { Evaluation, ProjectStage, ResourceChange, Totals, Verification, Verifier } from "./types.ts";

/**
 * The stages after reading, on one side (pipeline.ts runs them the first time): telemetry applied as
 * observed → rows → policies; and the same from the parse on fixed texts, the check every fix passes.
 */

/** What the stages after reading need to run again on one side: its rows, telemetry and totals. */
export type SideRun = {
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
export function checkSide(
  run: SideRun,
  read: { configuration: Configuration; files: SourceFile[]; projects: ProjectStage },
  rows: ResourceChange[],
  evaluation: Evaluation,
): Verification {
  const { configuration } = read;
  return checkPolicies({
    mode: run.mode,
    configuration,
    evaluation,
    rows,
    texts: textsOf(read),
    touched: run.touched,
    environmentTotals: run.environmentTotals,
    telemetry: run.telemetry,
  });
}

/**
 * The check every fix must pass: the stages after reading, run again on the side's files with some
 * texts replaced (the settings read again when a fix edits them), then what a fix must not break.
 */
export function verifier(run: SideRun): Verifier {
  const { side } = run;
  const text = textOf(side);
  return async (replaced) => {
    const settings = editsSettings(side.configuration.environments, replaced);
    const configuration = settings ? await settingsAgain(run, replaced) : side.configuration;
    const files = replaceTexts(side.files, replaced);
    // A program (or a Kustomize directory) that read an edited file is evaluated again on its new text.
    const projects = (await side.projects.reread?.(replaced)) ?? side.projects;
    const evaluation = evaluate(files, configuration.environments, undefined, projects);
    const observed = observedEnergy(configuration, run.telemetry, evaluation);
    const check = checkSide(run, { configuration, files, projects }, run.rows(observed), observed);
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
export function textOf(side: Side): (file: string) => string | undefined {
  const texts = textsOf(side);
  return (file) => texts.get(file);
}

/** An evaluation with what telemetry observed (see withTelemetry). */
export function observedEnergy(
  configuration: Configuration,
  telemetry: Telemetry | undefined,
  evaluation: Evaluation,
): Evaluation {
  return withTelemetry(evaluation, telemetry, (name) => configuration.environments.all.get(name));
}
