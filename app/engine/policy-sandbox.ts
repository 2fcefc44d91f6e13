import { load } from "js-yaml";
import type { EnvironmentSettings } from "../config/environment-settings.ts";
import { environmentBasis } from "../estimate/basis.ts";
import type { Environments } from "./environments.ts";
import { evaluate, sumEstimates } from "./evaluate.ts";
import type { Finding } from "./finding.ts";
import { type HourlyIntensity, settingsIntensity } from "./intensity.ts";
import { figuresOf, settingsFiles } from "./other-resources.ts";
import type { Policy, PolicyInput } from "./policy.ts";
import { compare } from "./rows.ts";
import { runPolicies } from "./run-policies.ts";
import { fixedTelemetry } from "./telemetry.ts";
import type { ResourceChange, Totals, Verification } from "./types.ts";

/** The file a sandboxed case's manifest is read from: app.yaml (app.json for a plan) in its environment's folder. */
export function sandboxFile(test: Pick<PolicyInput, "environment" | "code">): string {
  return `environments/${test.environment ?? "test"}/app.${test.code.trimStart().startsWith("{") ? "json" : "yaml"}`;
}

/**
 * A policy run alone on in-memory files: a docs example, or a case of its tests. `unconfigured`: the
 * environment has no settings file (built-in defaults; its kind comes from its name alone).
 */
export type SandboxCase = PolicyInput & { intensity?: HourlyIntensity; unconfigured?: boolean };

export type SandboxRun = {
  findings: Finding[];
  texts: Map<string, string>;
  totals: Totals;
  /** The same run on other texts: what verifies the policy's fixes. */
  evaluate: (texts: ReadonlyMap<string, string>) => Promise<Verification>;
  /** The run on the case's own texts: what fixes are verified against. */
  baseline: Verification;
};

const DEFAULT_SETTINGS: EnvironmentSettings = {
  cloud: "aws",
  region: "us-east-1",
  nodeInstanceType: "m5.xlarge",
  nodeCount: 3,
  currency: "USD",
};

/**
 * Runs one policy on a case: the manifest `code` (and `files`) at the head, `before` at the base of a
 * review, in one environment whose settings are the case's, then its settings file's when it has one.
 */
export async function runSandboxed(policy: Policy, test: SandboxCase): Promise<SandboxRun> {
  const name = test.environment ?? "test";
  const settingsFile = `environments/${name}/greenops.yml`;
  const file = sandboxFile(test);
  const environmentsOf = (texts: ReadonlyMap<string, string>): Environments => {
    const file = texts.get(settingsFile);
    const settings: EnvironmentSettings = {
      ...DEFAULT_SETTINGS,
      ...test.settings,
      ...(file === undefined ? {} : (load(file) as Partial<EnvironmentSettings>)),
      policies: { [policy.meta.id]: { options: structuredClone(test.options ?? {}) } },
    };
    const basis = environmentBasis(name, settings, test.unconfigured ? undefined : settingsFile);
    return { all: new Map([[name, basis]]), of: () => basis, diagnostics: [], errors: [], texts: new Map() };
  };
  const mode = test.mode ?? "review";
  const head = new Map<string, string>([[file, test.code], ...Object.entries(test.files ?? {})]);
  const run = async (texts: ReadonlyMap<string, string>): Promise<Verification> => {
    const environments = environmentsOf(texts);
    const manifests = [...texts].filter(([path]) => /\.(ya?ml|json)$/.test(path) && path !== settingsFile);
    const after = evaluate(
      manifests.map(([path, text]) => ({ path, text })),
      environments,
    );
    const before =
      test.before === undefined ? undefined : evaluate([{ path: file, text: test.before }], environments);
    const rows: ResourceChange[] =
      mode === "estimate" || !before
        ? after.resources.map((r) => ({ change: mode === "estimate" ? "unchanged" : "added", after: r }))
        : compare(before.resources, after.resources);
    const findings = runPolicies({
      mode,
      policies: [policy],
      rows,
      head: after.resources,
      environments,
      config: {},
      texts,
      touched: new Set([file]),
      known: [policy.meta.id],
      intensity: (environment) => test.intensity ?? settingsIntensity(environment),
      ...(test.telemetry ? { telemetry: () => fixedTelemetry(test.telemetry ?? []) } : {}),
    });
    return {
      findings,
      totals: sumEstimates(rows.map((row) => row.after)),
      diagnostics: after.diagnostics,
      figures: figuresOf(after.resources),
      settings: settingsFiles(environments),
    };
  };
  const first = await run(head);
  return { findings: first.findings, texts: head, totals: first.totals, evaluate: run, baseline: first };
}
