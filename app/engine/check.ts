import type { SourceFile } from "../source/snapshot.ts";
import type { Telemetry } from "../telemetry/types.ts";
import type { Configuration } from "./configuration.ts";
import { sumEstimates } from "./evaluate.ts";
import type { Finding } from "./finding.ts";
import { figuresOf, settingsFiles } from "./other-resources.ts";
import { runPolicies } from "./run-policies.ts";
import { intensityOf, telemetryView } from "./telemetry.ts";
import type { Evaluation, ProjectStage, ResourceChange, Totals, Verification } from "./types.ts";

/** What the policies look at: one side of a review or an estimate, evaluated, with telemetry applied. */
export type CheckInput = {
  mode: "review" | "estimate";
  configuration: Configuration;
  evaluation: Evaluation;
  /** The rows the report shows. */
  rows: ResourceChange[];
  /** The text of every file read on this side (see {@link textsOf}). */
  texts: ReadonlyMap<string, string>;
  touched: ReadonlySet<string>;
  environmentTotals?: ReadonlyMap<string, Totals> | undefined;
  /** Live telemetry of the workloads under review, when a source is configured. */
  telemetry?: Telemetry | undefined;
};

/**
 * The policies stage: runs the policies on one side; findings once each, and the totals of every
 * resource the side read, shown or not: what a fix's check compares with the side's, so a fix that
 * changes resources a review does not show (an environment's settings) counts their difference, not
 * their whole figures (the fixed side shows them as changed rows, the side as read does not).
 */
export function checkPolicies(input: CheckInput): Verification {
  const { configuration, evaluation, rows } = input;
  // A plan's before side is not at the head.
  const head = evaluation.resources.filter((r) => r.resource.planned?.side !== "before");
  const findings = runPolicies({
    mode: input.mode,
    policies: configuration.policies,
    rows,
    head,
    environments: configuration.environments,
    config: configuration.repository,
    texts: input.texts,
    touched: input.touched,
    known: configuration.policies.map((p) => p.meta.id),
    intensity: intensityOf(input.telemetry),
    telemetry: telemetryView(input.telemetry),
    ...(input.environmentTotals ? { environmentTotals: input.environmentTotals } : {}),
  });
  return {
    findings: distinct(findings),
    totals: sumEstimates(head),
    diagnostics: evaluation.diagnostics,
    figures: figuresOf(evaluation.resources),
    settings: settingsFiles(configuration.environments),
  };
}

/**
 * The text of every file read, of the environments' settings files, and of the sources the projects
 * read that their resources point into (a program's), by path.
 */
export function textsOf({
  files,
  configuration,
  projects,
}: {
  files: readonly SourceFile[];
  configuration: Configuration;
  projects: ProjectStage;
}): Map<string, string> {
  const texts = new Map<string, string>([...configuration.environments.texts, ...projects.texts]);
  for (const file of files) if ("text" in file) texts.set(file.path, file.text);
  return texts;
}

/**
 * Findings once each: a file two ArgoCD Applications deploy is read once per Application, and the same
 * finding on the same resource and line (in each Application's environment) would be reported twice.
 */
function distinct(findings: Finding[]): Finding[] {
  const byFile = new Map<string, Finding[]>();
  return findings.filter((finding) => {
    const same = byFile.get(finding.location.file);
    if (same?.some((other) => isSameFinding(finding, other))) return false;
    if (same) same.push(finding);
    else byFile.set(finding.location.file, [finding]);
    return true;
  });
}

/** Two findings in one file are one when their policy, severity, message, resource and place are. */
function isSameFinding(a: Finding, b: Finding): boolean {
  const [x, y] = [a.location, b.location];
  return (
    a.policy === b.policy &&
    a.message === b.message &&
    a.severity === b.severity &&
    a.resource?.id === b.resource?.id &&
    x.file === y.file &&
    x.startLine === y.startLine &&
    x.startColumn === y.startColumn &&
    x.endLine === y.endLine &&
    x.endColumn === y.endColumn &&
    x.startOffset === y.startOffset &&
    x.endOffset === y.endOffset
  );
}
