import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { applyFixes } from "../../app/engine/apply-fixes.ts";
import { blame, type Shows } from "../../app/engine/blame.ts";
import type { Finding } from "../../app/engine/finding.ts";
import type { Left } from "../../app/engine/fix-edits.ts";
import type { FixTarget, ResourceFigures, Verification } from "../../app/engine/types.ts";
import { resourceKey } from "../../app/model/resource.ts";
import { findingOn } from "../github/findings.ts";

/**
 * Finding the fixes of a failing pass that cause its problem (blame.ts), by halving, against checking
 * each fix alone as apply-fixes.ts did before: the same culprits and reasons where a fix that causes the
 * problem alone causes it with any others too, far fewer checks, and a safe result where one fix undoes
 * another's effect. On a synthetic fleet: one file with a line per workload, a replicas-cap fix per
 * line, and a check that counts its calls and knows which fixes break the file (or change the figures
 * of a gateway none of them is for) alone, which only in pairs, and which undo another's effect.
 */

const FILE = "environments/prod/fleet.yaml";
const ENVIRONMENT = "prod";
const GATEWAY = { environment: ENVIRONMENT, id: "Deployment/shop/gateway" };

type Model = {
  size: number;
  /** Each breaks the file (or changes the gateway's figures) alone. */
  culprits: number[];
  /** Each pair does so only when both are applied. */
  pairs: [number, number][];
  /** [a, b]: a applied undoes culprit b's effect (not monotone: b shows the problem alone, not with a). */
  undoes: [number, number][];
  problem: "file" | "figures";
};

const name = (i: number) => `w${String(i).padStart(4, "0")}`;
const line = (i: number, replicas: number) => `${name(i)}: { replicas: ${replicas} }`;
const fleet = (size: number) => Array.from({ length: size }, (_, i) => `${line(i, 3)}\n`).join("");

function fixesOf(model: Model): Finding[] {
  const text = fleet(model.size);
  return Array.from({ length: model.size }, (_, i) =>
    findingOn(FILE, text, line(i, 3), {
      policy: "replicas-cap",
      severity: "warning",
      message: `${name(i)} runs 3 replicas`,
      replacement: line(i, 2),
      resource: { environment: ENVIRONMENT, id: `Deployment/shop/${name(i)}` },
    }),
  );
}

/** What the applied fixes do beyond their own workloads, one message each, in the file's order. */
function effects(model: Model, applied: ReadonlySet<number>): { line: number; message: string }[] {
  const undone = (b: number) => model.undoes.some(([a, c]) => c === b && applied.has(a));
  return [
    ...model.culprits
      .filter((c) => applied.has(c) && !undone(c))
      .map((c) => ({ line: c + 1, message: `${name(c)} would listen on the gateway's port` })),
    ...model.pairs
      .filter(([a, b]) => applied.has(a) && applied.has(b))
      .map(([a, b]) => ({ line: b + 1, message: `${name(a)} and ${name(b)} claim one port` })),
  ].sort((x, y) => x.line - y.line);
}

/** The fleet's check, counting its calls: findings of the fixes not applied, and the model's effects. */
function fleetTarget(
  model: Model,
): FixTarget & { checks: () => number; verification(text: string): Verification } {
  const text = fleet(model.size);
  const findings = fixesOf(model);
  let checks = 0;
  const verification = (fixed: string): Verification => {
    const applied = new Set<number>();
    for (const [i, row] of fixed.split("\n").entries()) if (row.endsWith("replicas: 2 }")) applied.add(i);
    const found = effects(model, applied);
    const figures = new Map<string, ResourceFigures>();
    for (let i = 0; i < model.size; i++) {
      const resource = { environment: ENVIRONMENT, id: `Deployment/shop/${name(i)}` };
      const cost = applied.has(i) ? 20 : 30;
      figures.set(resourceKey(resource), { ...resource, modifier: false, monthly: [[cost, cost / 100]] });
    }
    const gateway = model.problem === "figures" ? 100 + 10 * found.length : 100;
    figures.set(resourceKey(GATEWAY), { ...GATEWAY, modifier: false, monthly: [[gateway, gateway / 100]] });
    const costs = [...figures.values()].map((f) => f.monthly[0]?.[0] ?? 0);
    const monthlyCost = costs.reduce((sum, cost) => sum + cost, 0);
    return {
      totals: { monthlyCost, monthlyCarbonKg: monthlyCost / 100 },
      findings: findings.filter((_, i) => !applied.has(i)),
      diagnostics:
        model.problem === "file" ? found.map((e) => ({ file: FILE, severity: "error", ...e })) : [],
      figures: () => figures,
      settings: new Map(),
    };
  };
  return {
    text: (file) => (file === FILE ? text : undefined),
    verify: async (texts) => {
      checks++;
      return verification(texts.get(FILE) ?? text);
    },
    baseline: verification(text),
    checks: () => checks,
    verification,
  };
}

const indexOf = (finding: Finding) => Number(finding.resource?.id.slice("Deployment/shop/w".length));

/** The problem as the fix check words it, for a model's effects on some of its fixes. */
function showsOf(model: Model): Shows & { calls: () => number } {
  let calls = 0;
  const shows = async (group: readonly Finding[]) => {
    calls++;
    const found = effects(model, new Set(group.map(indexOf))).at(-1);
    return found && `the fixed file would not be valid: ${found.message} (line ${found.line})`;
  };
  return Object.assign(shows, { calls: () => calls });
}

/** The culprit search as apply-fixes.ts did it before halving: each suspect checked alone. */
async function oneByOne(
  suspects: readonly Finding[],
  shows: Shows,
  problem: { reason: string; together: string },
): Promise<Left[]> {
  if (suspects.length <= 1)
    return suspects.map((finding) => ({ finding, reason: problem.reason, retry: false }));
  const culprits: Left[] = [];
  for (const finding of suspects) {
    const reason = await shows([finding]);
    if (reason !== undefined) culprits.push({ finding, reason, retry: false });
  }
  if (culprits.length > 0) return culprits;
  const reason = `${problem.together}; run the fix again`;
  return suspects.slice(1).map((finding) => ({ finding, reason, retry: true }));
}

const PROBLEM = {
  reason: "the pass's problem",
  together: "the pass's problem, with another fix of the file",
};
const BROKEN = (i: number) =>
  `the fixed file would not be valid: ${name(i)} would listen on the gateway's port (line ${i + 1})`;
const GATEWAY_CHANGED =
  "it would also change the figures of Deployment/shop/gateway in prod, which it is not for: make it by hand";

/** A model of `size` fixes, with culprits, pairs and undoing fixes among them (indices below size). */
const models = (options: { monotone: boolean; maxSize: number }) =>
  fc.integer({ min: 2, max: options.maxSize }).chain((size) => {
    const index = fc.nat(size - 1);
    const pair = fc.tuple(index, index).filter(([a, b]) => a !== b);
    return fc.record({
      size: fc.constant(size),
      culprits: fc.uniqueArray(index, { maxLength: 5 }),
      pairs: fc.array(pair, { maxLength: options.monotone ? 2 : 1 }),
      undoes: options.monotone ? fc.constant<[number, number][]>([]) : fc.array(pair, { maxLength: 3 }),
      problem: fc.constantFrom<Model["problem"]>("file", "figures"),
    });
  });

describe("blame: culprits by halving", () => {
  it("finds what checking each fix alone finds, where a fix that shows the problem alone shows it with any others", async () => {
    await fc.assert(
      fc.asyncProperty(models({ monotone: true, maxSize: 300 }), async (model) => {
        const suspects = fixesOf(model);
        const halved = showsOf(model);
        const expected = await oneByOne(suspects, showsOf(model), PROBLEM);
        expect(await blame(suspects, halved, PROBLEM)).toEqual(expected);
        const culprits = expected.filter((left) => !left.retry).length;
        if (model.pairs.length === 0 && culprits > 0)
          expect(halved.calls()).toBeLessThanOrEqual(2 * culprits * Math.ceil(Math.log2(model.size)));
      }),
      { numRuns: 300, seed: 20261206 },
    );
  });

  it.each([
    ["breaks the file", "file", BROKEN(637)],
    ["changes another resource's figures", "figures", GATEWAY_CHANGED],
  ] as const)("a pass of 1,000 fixes where one %s takes at most 25 checks", async (_, problem, reason) => {
    const model: Model = { size: 1_000, culprits: [637], pairs: [], undoes: [], problem };
    const target = fleetTarget(model);
    const fixes = fixesOf(model);
    const result = await applyFixes(fixes, target);
    expect(result.skipped).toEqual([{ finding: fixes[637], reason }]);
    expect(result.applied).toHaveLength(999);
    // the pass, its halves down to the culprit (2 per level, 10 levels), the pass again without it
    expect(target.checks()).toBe(22);
  });

  it.each([
    {
      name: "two that break the file only together: the first fix is applied, the others wait",
      model: { size: 6, culprits: [], pairs: [[1, 4]], undoes: [], problem: "file" },
      applied: [0],
      skipped: [1, 2, 3, 4, 5].map((i) => [
        i,
        "the fixed file would not be valid: w0001 and w0004 claim one port (line 5), with another fix of the file; run the fix again",
      ]),
    },
    {
      name: "a culprit in one half with a fix that undoes it: kept with that fix, their sum checked",
      model: { size: 4, culprits: [1, 3], pairs: [], undoes: [[0, 1]], problem: "file" },
      applied: [0, 1, 2],
      skipped: [[3, BROKEN(3)]],
    },
    {
      name: "culprits alone and a pair, changing another resource's figures",
      model: { size: 8, culprits: [6, 1], pairs: [[3, 4]], undoes: [], problem: "figures" },
      applied: [0],
      skipped: [
        [1, GATEWAY_CHANGED],
        [6, GATEWAY_CHANGED],
        ...[2, 3, 4, 5, 7].map((i) => [i, `${GATEWAY_CHANGED}, with another fix; run the fix again`]),
      ],
    },
  ] as { name: string; model: Model; applied: number[]; skipped: [number, string][] }[])(
    "$name",
    async ({ model, applied, skipped }) => {
      const result = await applyFixes(fixesOf(model), fleetTarget(model));
      expect(result.applied.map(indexOf)).toEqual(applied);
      expect(result.skipped.map((s) => [indexOf(s.finding), s.reason])).toEqual(skipped);
    },
  );

  it("keeps only fixes checked together, and ends, whatever the fixes do to each other", async () => {
    await fc.assert(
      fc.asyncProperty(models({ monotone: false, maxSize: 120 }), async (model) => {
        const target = fleetTarget(model);
        const result = await applyFixes(fixesOf(model), target);
        const text = result.files[0]?.text ?? fleet(model.size);
        expect(effects(model, new Set(result.applied.map(indexOf)))).toEqual([]);
        const after = target.verification(text);
        expect(after.diagnostics).toEqual([]);
        expect(after.findings).toHaveLength(model.size - result.applied.length);
        expect(after.figures().get(resourceKey(GATEWAY))?.monthly).toEqual([[100, 1]]);
        const dropped = result.skipped
          .filter((s) => !s.reason.endsWith("run the fix again"))
          .map((s) => s.finding);
        const monotone = model.undoes.length === 0 && model.pairs.length === 0;
        if (monotone)
          expect(dropped.map(indexOf).sort((a, b) => a - b)).toEqual(
            [...model.culprits].sort((a, b) => a - b),
          );
      }),
      { numRuns: 150, seed: 6122026 },
    );
  });
});
