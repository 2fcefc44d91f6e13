import type { Telemetry } from "../telemetry/types.ts";
import { checkPolicies, textsOf } from "./check.ts";
import { type Configuration, loadConfiguration } from "./configuration.ts";
import { evaluate } from "./evaluate.ts";
import { editsSettings, newSchemaErrors, newSettingsErrors, replaceTexts } from "./fix-check.ts";
import { withTelemetry } from "./observed-energy.ts";
import { overlay } from "./projects.ts";
import type { Side } from "./read.ts";
import type { Evaluation, ResourceChange, Totals, Verification, Verifier } from "./types.ts";

/**
 * The stages after reading, on one side (pipeline.ts runs them the first time): telemetry applied as
 * observed → rows → policies; and the same from the parse on fixed texts, the check every fix passes.
 */

/** What the stages after reading need to run again on one side: its rows, telemetry and totals. */
export type SideRun = {
  side: Side;
  /** The text of every file the side read (textsOf), built once: what its policies and fixes read. */
  texts: ReadonlyMap<string, string>;
  mode: "review" | "estimate";
  touched: ReadonlySet<string>;
  telemetry: Telemetry | undefined;
  /** The rows the policies check, from the side's evaluation with telemetry applied. */
  rows: (evaluation: Evaluation) => ResourceChange[];
  environmentTotals?: ReadonlyMap<string, Totals> | undefined;
  forcedEnvironment: string | undefined;
};

/**
 * The policies, on one side's rows (from its evaluation with telemetry applied): on the side as read, or
 * `again` with some texts replaced (a fix's check).
 */
export function checkSide(
  run: SideRun,
  rows: ResourceChange[],
  evaluation: Evaluation,
  again: { configuration: Configuration; texts: ReadonlyMap<string, string> } = {
    configuration: run.side.configuration,
    texts: run.texts,
  },
): Verification {
  const { configuration, texts } = again;
  return checkPolicies({
    mode: run.mode,
    configuration,
    evaluation,
    rows,
    texts,
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
  const text = textOf(run);
  return async (replaced) => {
    const settings = editsSettings(side.configuration.environments, replaced);
    const configuration = settings ? await settingsAgain(run, replaced) : side.configuration;
    const files = replaceTexts(side.files, replaced);
    // A program (or a Kustomize directory) that read an edited file is evaluated again on its new text.
    const projects = (await side.projects.reread?.(replaced)) ?? side.projects;
    const evaluation = evaluate(files, configuration.environments, undefined, projects);
    const observed = observedEnergy(configuration, run.telemetry, evaluation);
    const texts = textsOf({ configuration, files, projects });
    const check = checkSide(run, run.rows(observed), observed, { configuration, texts });
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
export function textOf(run: SideRun): (file: string) => string | undefined {
  return (file) => run.texts.get(file);
}

/** An evaluation with what telemetry observed (see withTelemetry). */
export function observedEnergy(
  configuration: Configuration,
  telemetry: Telemetry | undefined,
  evaluation: Evaluation,
): Evaluation {
  return withTelemetry(evaluation, telemetry, (name) => configuration.environments.all.get(name));
}
