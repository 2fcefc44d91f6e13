import { Ajv } from "ajv";
import { load } from "js-yaml";
import { describe, expect, it } from "vitest";
import type { EnvironmentSettings } from "../../app/config/environment-settings.ts";
import { applyFixes, type Verification } from "../../app/engine/apply-fixes.ts";
import { compare } from "../../app/engine/compare.ts";
import type { Environments } from "../../app/engine/environments.ts";
import { evaluate } from "../../app/engine/evaluate.ts";
import type { Finding } from "../../app/engine/finding.ts";
import type { HourlyIntensity } from "../../app/engine/intensity.ts";
import { formatMessage, type Policy, type Totals } from "../../app/engine/policy.ts";
import { runPolicies } from "../../app/engine/run-policies.ts";
import { environmentBasis } from "../../app/estimate/basis.ts";
import { kubernetes } from "../../app/iac/kubernetes/index.ts";
import { schemaErrors } from "../../app/iac/kubernetes/schema-check.ts";
import { YamlFile } from "../../app/iac/yaml/yaml-file.ts";
import type { WorkloadUsage } from "../../app/telemetry/types.ts";
import { telemetryOf } from "./usage.ts";

/** A case: the manifest at the head (`code`), optionally at the base (`before`), in one environment. */
export type Case = {
  name?: string;
  code: string;
  before?: string;
  options?: Record<string, unknown>;
  settings?: Partial<EnvironmentSettings>;
  environment?: string;
  mode?: "review" | "estimate";
  /** Other files of the head (an environment's settings file, …), read but not under review. */
  files?: Record<string, string>;
  intensity?: HourlyIntensity;
  /** Live usage of workloads (as a 14-day Prometheus window would give it). */
  telemetry?: WorkloadUsage[];
};

export type ExpectedError = {
  messageId: string;
  severity?: Finding["severity"];
  data?: Record<string, string | number>;
  line?: number;
  column?: number;
  endLine?: number;
  endColumn?: number;
  file?: string;
};

/** An invalid case lists its findings and, when the policy fixes them, the fixed file (`output`). */
export type InvalidCase = Case & { errors: ExpectedError[]; output?: string; outputFile?: string };

const FILE = "environments/test/app.yaml";
const ajv = new Ajv({ strict: true, allErrors: true, useDefaults: true });

/**
 * ESLint's RuleTester for GreenOps policies. Enforced: options valid against the policy's schema; no
 * duplicate cases; every invalid case reports ≥ 1 finding, each as listed; `output` is given exactly
 * when the policy fixes something, differs from the input, parses, keeps every comment, and the same
 * policy reports nothing on it (idempotence).
 */
export function runPolicyTests(policy: Policy, cases: { valid: Case[]; invalid: InvalidCase[] }): void {
  const seen = new Set<string>();
  describe(policy.meta.id, () => {
    describe("valid", () => {
      for (const test of cases.valid) {
        it(test.name ?? firstLine(test.code), async () => {
          rejectDuplicate(seen, test);
          expect((await check(policy, test)).findings.filter((f) => !f.suppressed)).toEqual([]);
        });
      }
    });
    describe("invalid", () => {
      for (const test of cases.invalid) {
        it(test.name ?? firstLine(test.code), async () => {
          rejectDuplicate(seen, test);
          expect(test.errors.length, "an invalid case lists at least one finding").toBeGreaterThan(0);
          const run = await check(policy, test);
          const findings = run.findings.filter((f) => f.policy === policy.meta.id && !f.suppressed);
          expect(findings.map((f) => f.message)).toEqual(
            test.errors.map((e) =>
              formatMessage(policy.meta.messages[e.messageId as never] ?? e.messageId, e.data),
            ),
          );
          for (const [i, expected] of test.errors.entries()) expectLocation(findings[i], expected);
          await expectFix(policy, test, run, findings);
        });
      }
    });
  });
}

type CheckRun = {
  findings: Finding[];
  texts: Map<string, string>;
  totals: Totals;
  evaluate: (texts: ReadonlyMap<string, string>) => Promise<Verification>;
};

async function check(policy: Policy, test: Case): Promise<CheckRun> {
  const options = structuredClone(test.options ?? {});
  const validate = ajv.compile(policy.meta.options);
  expect(validate({ ...options }), `options of ${policy.meta.id}: ${ajv.errorsText(validate.errors)}`).toBe(
    true,
  );
  const name = test.environment ?? "test";
  const settingsFile = `environments/${name}/greenops.yml`;
  /** The environment as the case sets it, then as its settings file (when the case has one, fixed or not) says. */
  const environmentsOf = (texts: ReadonlyMap<string, string>): Environments => {
    const file = texts.get(settingsFile);
    const settings: EnvironmentSettings = {
      cloud: "aws",
      region: "us-east-1",
      nodeInstanceType: "m5.xlarge",
      nodeCount: 3,
      currency: "USD",
      ...test.settings,
      ...(file === undefined ? {} : (load(file) as Partial<EnvironmentSettings>)),
      policies: { [policy.meta.id]: { options } },
    };
    const basis = environmentBasis(name, settings, settingsFile);
    return { all: new Map([[name, basis]]), of: () => basis, diagnostics: [], errors: [], texts: new Map() };
  };
  const mode = test.mode ?? "review";
  const head = new Map<string, string>([[FILE, test.code], ...Object.entries(test.files ?? {})]);
  const run = async (texts: ReadonlyMap<string, string>) => {
    const environments = environmentsOf(texts);
    const manifests = [...texts].filter(([path]) => /\.ya?ml$/.test(path) && !path.endsWith("greenops.yml"));
    const after = evaluate(
      manifests.map(([path, text]) => ({ path, text })),
      environments,
    );
    const before =
      test.before === undefined ? undefined : evaluate([{ path: FILE, text: test.before }], environments);
    const rows =
      mode === "estimate" || !before
        ? after.resources.map((r) => ({
            change: mode === "estimate" ? ("unchanged" as const) : ("added" as const),
            after: r,
          }))
        : compare(before.resources, after.resources);
    const findings = runPolicies({
      mode,
      policies: [policy],
      rows,
      head: after.resources,
      environments,
      config: {},
      texts,
      touched: new Set([FILE]),
      known: [policy.meta.id],
      ...(test.intensity ? { intensity: () => test.intensity } : {}),
      ...(test.telemetry ? { telemetry: () => telemetryOf(test.telemetry ?? []) } : {}),
    });
    const totals = rows.reduce(
      (t, row) => ({
        monthlyCost: t.monthlyCost + (row.after?.estimate.monthlyCost ?? 0),
        monthlyCarbonKg: t.monthlyCarbonKg + (row.after?.estimate.monthlyCarbonKg ?? 0),
      }),
      { monthlyCost: 0, monthlyCarbonKg: 0 },
    );
    return { findings, totals, diagnostics: after.diagnostics };
  };
  const first = await run(head);
  return { findings: first.findings, texts: head, totals: first.totals, evaluate: run };
}

function expectLocation(finding: Finding | undefined, expected: ExpectedError): void {
  const { location } = finding ?? { location: undefined };
  if (expected.severity !== undefined) expect(finding?.severity, "severity").toBe(expected.severity);
  if (expected.file !== undefined) expect(location?.file).toBe(expected.file);
  if (expected.line !== undefined) expect(location?.startLine, "line").toBe(expected.line);
  if (expected.column !== undefined) expect(location?.startColumn, "column").toBe(expected.column);
  if (expected.endLine !== undefined) expect(location?.endLine, "endLine").toBe(expected.endLine);
  if (expected.endColumn !== undefined) expect(location?.endColumn, "endColumn").toBe(expected.endColumn);
}

async function expectFix(
  policy: Policy,
  test: InvalidCase,
  run: CheckRun,
  findings: Finding[],
): Promise<void> {
  const fixable = findings.filter((f) => f.fix);
  if (test.output === undefined) {
    expect(fixable, "the policy fixes something: give the case an `output`").toEqual([]);
    return;
  }
  expect(fixable.length, "`output` is given but the policy fixed nothing").toBeGreaterThan(0);
  const file = test.outputFile ?? FILE;
  const result = await applyFixes(
    fixable,
    (f) => run.texts.get(f),
    (texts) => run.evaluate(new Map([...run.texts, ...texts])),
    { totals: run.totals, diagnostics: [], findings: run.findings },
  );
  expect(result.skipped).toEqual([]);
  const output = result.files.find((f) => f.path === file)?.text;
  expect(output).toBe(test.output);
  const input = run.texts.get(file) ?? "";
  expect(output).not.toBe(input);
  expect(() => new YamlFile(file, output ?? "")).not.toThrow();
  const messages = async (text: string) => (await schemaErrors(file, text)).map((d) => d.message);
  if (kubernetes.detect(file, output ?? ""))
    expect(await messages(output ?? ""), "the fix adds no Kubernetes schema error").toEqual(
      await messages(input),
    );
  for (const comment of input.match(/#.*$/gm) ?? [])
    expect(output, `keeps the comment ${comment}`).toContain(comment);
  const again = await run.evaluate(new Map([...run.texts, [file, output ?? ""]]));
  expect(
    again.findings.filter((f) => f.policy === policy.meta.id && !f.suppressed),
    "the fix is idempotent",
  ).toEqual([]);
}

function rejectDuplicate(seen: Set<string>, test: Case): void {
  const key = JSON.stringify([
    test.code,
    test.before,
    test.options,
    test.settings,
    test.environment,
    test.mode,
    test.files,
    test.telemetry,
  ]);
  expect(seen.has(key), "duplicate case").toBe(false);
  seen.add(key);
}

function firstLine(code: string): string {
  return (
    code.split("\n").find((line) => line.trim() && !line.startsWith("#") && !line.startsWith("apiVersion")) ??
    code.slice(0, 40)
  );
}
