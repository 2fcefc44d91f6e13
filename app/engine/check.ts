import type { Diagnostic } from "../model/span.ts";
import type { Snapshot, SourceFile } from "../source/snapshot.ts";
import type { Telemetry } from "../telemetry/fetch-telemetry.ts";
import { applyEdits, type Verification, type Verifier } from "./apply-fixes.ts";
import type { ResourceChange } from "./compare.ts";
import { type Configuration, loadConfiguration } from "./configuration.ts";
import { type Evaluation, evaluate, sumEstimates } from "./evaluate.ts";
import type { Finding, TextEdit } from "./finding.ts";
import { impactMeter } from "./fix-impact.ts";
import { FORMATS } from "./formats.ts";
import { withTelemetry } from "./observed-energy.ts";
import type { Totals } from "./policy.ts";
import { overlay, type ProjectStage } from "./projects.ts";
import { runPolicies } from "./run-policies.ts";
import { intensityOf, telemetryView } from "./telemetry.ts";

/** What the policies look at: one side of a review or an estimate, as it was evaluated. */
export type CheckInput = {
  mode: "review" | "estimate";
  snapshot: Snapshot;
  configuration: Configuration;
  /** The files read on this side, as read. */
  files: readonly SourceFile[];
  evaluation: Evaluation;
  /** Turns a side's evaluation into the rows a report shows (a review compares with its base). */
  rows: (evaluation: Evaluation) => ResourceChange[];
  touched: ReadonlySet<string>;
  environmentTotals?: ReadonlyMap<string, Totals>;
  forcedEnvironment?: string;
  /**
   * Multi-file inputs read before the files (Kustomize, Pulumi programs): a fix's check evaluates the
   * edited files beside them as they were read (a project is not run again).
   */
  projects?: ProjectStage;
  /** Live telemetry of the workloads under review, when a source is configured. */
  telemetry?: Telemetry;
};

/**
 * Runs the policies on one evaluated side and, in a review, computes what each fix would save by
 * re-running the engine on the fixed text. Configuration errors come first, as blocking findings.
 */
export async function checkPolicies(input: CheckInput): Promise<{
  findings: Finding[];
  verify: Verifier;
  baseline: Verification;
  /** The text of a file this side read (a settings file included): what fixes edit. */
  text: (file: string) => string | undefined;
  /** What applying these edits would change each month (what a review shows beside each fix). */
  impact: (edits: TextEdit[]) => Promise<Totals>;
}> {
  const texts = textsOf(input.files, input.configuration, input.projects);
  const text = (file: string) => texts.get(file);
  const verify = verifier(input, text);
  const baseline = findingsOf(input, input.configuration, input.evaluation);
  const findings = [...input.configuration.errors, ...baseline.findings];
  let measure: ReturnType<typeof impactMeter> | undefined;
  const impact = async (edits: TextEdit[]) => {
    measure ??= impactMeter(input.evaluation, (evaluation) =>
      enriched(input, input.configuration, evaluation),
    );
    const fixed = fixedTexts(text, edits);
    return measure(fixed) ?? difference((await verify(fixed)).totals, baseline.totals);
  };
  if (input.mode === "review") {
    for (const finding of findings) {
      if (!finding.fix || finding.suppressed || finding.fix.edits.length === 0) continue;
      finding.fix.impact = await impact(finding.fix.edits);
    }
  }
  return { findings, verify, baseline, text, impact };
}

/** The evaluation with what telemetry observed (see {@link withTelemetry}). */
function enriched(input: CheckInput, configuration: Configuration, evaluation: Evaluation): Evaluation {
  return withTelemetry(evaluation, input.telemetry, (name) => configuration.environments.all.get(name));
}

function findingsOf(input: CheckInput, configuration: Configuration, evaluated: Evaluation): Verification {
  const evaluation = enriched(input, configuration, evaluated);
  const rows = input.rows(evaluation);
  const texts = textsOf(input.files, configuration, input.projects);
  const findings = runPolicies({
    mode: input.mode,
    policies: configuration.policies,
    rows,
    // A plan's before side is not at the head.
    head: evaluation.resources.filter((r) => r.resource.planned?.side !== "before"),
    environments: configuration.environments,
    config: configuration.repository,
    texts,
    touched: input.touched,
    known: configuration.policies.map((p) => p.meta.id),
    intensity: intensityOf(input.telemetry),
    telemetry: telemetryView(input.telemetry),
    ...(input.environmentTotals ? { environmentTotals: input.environmentTotals } : {}),
  });
  return {
    findings: distinct(findings),
    totals: sumEstimates(rows.map((row) => row.after)),
    diagnostics: evaluation.diagnostics,
  };
}

/** Re-runs the engine on this side with some files' text replaced: the check every fix must pass. */
function verifier(input: CheckInput, text: (file: string) => string | undefined): Verifier {
  return async (replaced) => {
    const settingsChanged = [...replaced.keys()].some((path) =>
      input.configuration.environments.texts.has(path),
    );
    const configuration = settingsChanged
      ? await loadConfiguration(overlay(input.snapshot, replaced), input.forcedEnvironment)
      : input.configuration;
    // Usage files are not settings: they stay as read.
    const usage = input.configuration.environments.usage;
    if (settingsChanged && usage) configuration.environments.usage = usage;
    const files = input.files.map((file) => {
      const text = replaced.get(file.path);
      return text === undefined ? file : { path: file.path, text };
    });
    // A program (or a Kustomize directory) that read an edited file is evaluated again on its new text.
    const projects = await input.projects?.reread?.(replaced);
    const verification = findingsOf(
      { ...input, files, ...(projects ? { projects } : {}) },
      configuration,
      evaluate(files, configuration.environments, undefined, projects ?? input.projects),
    );
    verification.diagnostics.push(...(await newSchemaErrors(text, replaced)));
    if (settingsChanged) verification.diagnostics.push(...newSettingsErrors(input, configuration));
    return verification;
  };
}

/** Errors in edited environment settings: such a file would be replaced by the defaults. */
function newSettingsErrors(input: CheckInput, fixed: Configuration): Diagnostic[] {
  const before = new Set(input.configuration.environments.errors.map((d) => `${d.file}\0${d.message}`));
  return fixed.environments.errors.filter((d) => !before.has(`${d.file}\0${d.message}`));
}

/** Schema errors in the replaced texts that their original texts did not have. */
async function newSchemaErrors(
  textOf: (file: string) => string | undefined,
  replaced: ReadonlyMap<string, string>,
): Promise<Diagnostic[]> {
  const found: Diagnostic[] = [];
  for (const [file, text] of replaced) {
    const original = textOf(file);
    const format = FORMATS.find((f) => f.validate && f.detect(file, text));
    if (!format?.validate || original === undefined) continue;
    const before = new Set((await format.validate(file, original)).map((d) => d.message));
    found.push(...(await format.validate(file, text)).filter((d) => !before.has(d.message)));
  }
  return found;
}

/** The texts of the files a fix edits, with its edits applied. */
function fixedTexts(
  textOf: (file: string) => string | undefined,
  edits: readonly TextEdit[],
): Map<string, string> {
  const texts = new Map<string, string>();
  for (const file of new Set(edits.map((e) => e.file))) {
    const text = textOf(file);
    if (text !== undefined)
      texts.set(
        file,
        applyEdits(
          text,
          edits.filter((e) => e.file === file),
        ),
      );
  }
  return texts;
}

function difference(after: Totals, before: Totals): Totals {
  return {
    monthlyCost: after.monthlyCost - before.monthlyCost,
    monthlyCarbonKg: after.monthlyCarbonKg - before.monthlyCarbonKg,
  };
}

/** The text of every file read, and of the environments' settings files, by path. */
function textsOf(
  files: readonly SourceFile[],
  configuration: Configuration,
  projects: ProjectStage | undefined,
): Map<string, string> {
  const texts = new Map<string, string>([...configuration.environments.texts, ...(projects?.texts ?? [])]);
  for (const file of files) if ("text" in file) texts.set(file.path, file.text);
  return texts;
}

/**
 * Findings once each: a file two ArgoCD Applications deploy is read once per Application, and the same
 * finding on the same resource and line (in each Application's environment) would be reported twice.
 */
function distinct(findings: Finding[]): Finding[] {
  const seen = new Set<string>();
  return findings.filter((finding) => {
    const { policy, severity, message, location, resource } = finding;
    const key = JSON.stringify([policy, severity, message, location, resource?.id]);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
