import { cpSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { greenops, json, PROJECT } from "../helpers/cli.ts";
import { type TempRepo, tempRepo } from "../helpers/git-repo.ts";
import { expectGolden } from "../helpers/golden.ts";

/**
 * A fix whose edit cannot be written is a change made by hand, said the same way by every surface of
 * the CLI: the markdown report's Fix column, the JSON report's fix.byHand, greenops fix's skipped list.
 * Each case adds files (test/fixtures/by-hand/<case>, or the Pulumi program's fixture) to a copy of
 * the repository's own environments.
 */

const ANCHORED =
  "its edit cannot be written here (its value is shared through a YAML anchor that an alias also reads): make it by hand";
const UNWRITTEN = "its edit cannot be written here (its value is not written in the file): make it by hand";
const SHARED =
  "its edit cannot be written here (its value is also read for another environment, ArgoCD Application, overlay or stack, which the edit would change too): make it by hand";
const COMPUTED =
  "its edit cannot be written here (its value is computed when the program runs): make it by hand";

type JsonFinding = {
  policy: string;
  line: number;
  file: string;
  subject?: string;
  fix: { edits: unknown[]; byHand: { cause: string; reason: string } | null } | null;
};

type Case = [
  name: string,
  copy: { from: string; to: string },
  byHand: [policy: string, file: string, line: number, reason: string][],
];

const CASES: Case[] = [
  [
    // resources: &res read by the other container through *res; storageClassName: &class read by *class
    "anchor",
    { from: "test/fixtures/by-hand/anchor", to: "" },
    [
      ["limits-ratio", "environments/staging/shop/batch.yaml", 20, ANCHORED],
      ["limits-ratio", "environments/staging/shop/batch.yaml", 20, ANCHORED],
      ["storage-class", "environments/staging/shop/batch.yaml", 29, ANCHORED],
      ["storage-class", "environments/staging/shop/batch.yaml", 37, ANCHORED],
    ],
  ],
  [
    // a base that a staging and a prod overlay include: staging's memory limit would be inserted into
    // the base, which prod reads too (prod's own limit goes into its patch, which sets that container's
    // resources); the proxy's requests, the same in both, are written once in the base
    "kustomize",
    { from: "test/fixtures/by-hand/kustomize", to: "" },
    [["limits-ratio", "apps/web/base/web.yaml", 21, SHARED]],
  ],
  [
    // a Pulumi program: the instance type a function returns (each stack's), values it does not write
    "pulumi",
    { from: "test/fixtures/pulumi/program", to: "infra" },
    [
      ["limits-ratio", "infra/index.ts", 44, UNWRITTEN],
      ["prefer-arm", "infra/index.ts", 14, COMPUTED],
      ["prefer-arm", "infra/index.ts", 14, COMPUTED],
      ["nonprod-schedule", "infra/index.ts", 36, UNWRITTEN],
    ],
  ],
];

let repo: TempRepo;

beforeEach(() => {
  repo = tempRepo({ from: join(PROJECT, "environments"), to: "environments" });
  repo.commit("environments as in the GreenOps repository");
});

afterEach(() => repo.dispose());

describe.each(CASES)("a fix whose edit cannot be written (%s)", (name, copy, expected) => {
  beforeEach(() => {
    cpSync(join(PROJECT, copy.from), join(repo.root, copy.to), { recursive: true });
  });

  it("is a change by hand in the JSON report: no edits, its cause and reason", () => {
    const report = json(repo.root, "review");
    const manual = (report.findings as JsonFinding[]).filter((f) => f.fix?.byHand);
    expect(manual.map((f) => [f.policy, f.file, f.line, f.fix?.byHand?.reason])).toEqual(expected);
    expect(manual.map((f) => f.fix?.edits)).toEqual(expected.map(() => []));
    const written = (report.findings as JsonFinding[]).filter((f) => f.fix && !f.fix.byHand);
    expect(written.map((f) => f.fix?.edits.length).every((n) => (n ?? 0) > 0)).toBe(true);
  });

  it("says so in the markdown report's Fix column", () => {
    const run = greenops(repo.root, "review");
    expect(run.stderr).toBe("");
    expectGolden(`by-hand-${name}.md`, run.stdout);
  });

  it("is listed once among greenops fix's skipped fixes, with what to change", () => {
    const run = greenops(repo.root, "fix", "--dry-run");
    expect(run.status).toBe(0);
    const summary = run.stdout.slice(run.stdout.indexOf("greenops fix:"));
    expectGolden(`by-hand-${name}-fix.txt`, summary);
    const skipped = summary.split("\n").filter((line) => line.startsWith("  skipped "));
    expect(new Set(skipped).size).toBe(skipped.length);
  });
});
