import { Ajv } from "ajv";
import { describe, expect, it } from "vitest";
import { applyFixes } from "../../app/engine/apply-fixes.ts";
import { type Finding, findingKey } from "../../app/engine/finding.ts";
import { formatMessage, type Policy } from "../../app/engine/policy.ts";
import {
  runSandboxed,
  type SandboxCase,
  type SandboxRun,
  sandboxFile,
} from "../../app/engine/policy-sandbox.ts";
import { kubernetes } from "../../app/iac/kubernetes/index.ts";
import { schemaErrors } from "../../app/iac/kubernetes/schema-check.ts";
import { YamlFile } from "../../app/iac/yaml/yaml-file.ts";

/** A case: the manifest at the head (`code`), optionally at the base (`before`), in one environment. */
export type Case = SandboxCase & { name?: string };

export type ExpectedError = {
  messageId: string;
  severity?: Finding["severity"];
  data?: Record<string, string | number>;
  line?: number;
  column?: number;
  endLine?: number;
  endColumn?: number;
  file?: string;
  /** The resource the finding names (its id), or null for none (an environment's own finding). */
  resource?: string | null;
};

/** An invalid case lists its findings and, when the policy fixes them, the fixed file (`output`). */
export type InvalidCase = Case & { errors: ExpectedError[]; output?: string; outputFile?: string };

const ajv = new Ajv({ strict: true, allErrors: true, useDefaults: true });

/**
 * ESLint's RuleTester for GreenOps policies. Enforced: options valid against the policy's schema; no
 * duplicate cases; every invalid case reports ≥ 1 finding, each as listed and each its own (no two
 * share a resource and a subject: fixes are verified by that identity); `output` is given exactly
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
          for (const { message } of findings)
            expect(message, "every placeholder is filled").not.toContain("{{");
          expect(findings.map((f) => f.message)).toEqual(
            test.errors.map((e) =>
              formatMessage(policy.meta.messages[e.messageId as never] ?? e.messageId, e.data),
            ),
          );
          for (const [i, expected] of test.errors.entries()) expectLocation(findings[i], expected);
          expect(
            new Set(findings.map(findingKey)).size,
            "two findings share a resource and a subject: report a `subject`",
          ).toBe(findings.length);
          await expectFix(policy, test, run, findings);
        });
      }
    });
  });
}

async function check(policy: Policy, test: Case): Promise<SandboxRun> {
  const validate = ajv.compile(policy.meta.options);
  const options = structuredClone(test.options ?? {});
  expect(validate(options), `options of ${policy.meta.id}: ${ajv.errorsText(validate.errors)}`).toBe(true);
  return runSandboxed(policy, test);
}

function expectLocation(finding: Finding | undefined, expected: ExpectedError): void {
  const { location } = finding ?? { location: undefined };
  if (expected.severity !== undefined) expect(finding?.severity, "severity").toBe(expected.severity);
  if (expected.file !== undefined) expect(location?.file).toBe(expected.file);
  if (expected.resource !== undefined)
    expect(finding?.resource?.id ?? null, "resource").toBe(expected.resource);
  if (expected.line !== undefined) expect(location?.startLine, "line").toBe(expected.line);
  if (expected.column !== undefined) expect(location?.startColumn, "column").toBe(expected.column);
  if (expected.endLine !== undefined) expect(location?.endLine, "endLine").toBe(expected.endLine);
  if (expected.endColumn !== undefined) expect(location?.endColumn, "endColumn").toBe(expected.endColumn);
}

async function expectFix(
  policy: Policy,
  test: InvalidCase,
  run: SandboxRun,
  findings: Finding[],
): Promise<void> {
  const fixable = findings.filter((f) => (f.fix?.edits.length ?? 0) > 0);
  if (test.output === undefined) {
    expect(fixable, "the policy fixes something: give the case an `output`").toEqual([]);
    return;
  }
  expect(fixable.length, "`output` is given but the policy fixed nothing").toBeGreaterThan(0);
  const file = test.outputFile ?? sandboxFile(test);
  const result = await applyFixes(fixable, {
    text: (f) => run.texts.get(f),
    verify: (texts) => run.evaluate(new Map([...run.texts, ...texts])),
    baseline: { ...run.baseline, diagnostics: [] },
  });
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
    test.unconfigured,
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
