import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { PROJECT } from "../helpers/cli.ts";

/**
 * app/engine's modules by stage, in the order data flows through them (app/engine/pipeline.ts states
 * it). A module imports from its own stage or earlier ones only: the drawing of the imports goes down.
 */
const STAGES: [stage: string, modules: string[]][] = [
  [
    "shared: the types the stages hand each other, and what they all read (environments, formats, policies)",
    [
      "types",
      "finding",
      "by-hand",
      "intensity",
      "policy",
      "policy-kit",
      "usage-kit",
      "budget-policy",
      "custom-policies",
      "formats",
      "environments",
      "usage",
    ],
  ],
  ["read", ["configuration", "applications", "projects", "review-scope", "revisions", "read"]],
  ["parse and evaluate", ["counted-once", "evaluate", "rows", "environment-totals"]],
  ["telemetry", ["telemetry", "observed-energy"]],
  ["policies", ["check", "run-policies", "shared-places", "other-resources", "ignores"]],
  [
    "fixes",
    [
      "apply-fixes",
      "blame",
      "compose-edits",
      "fix-edits",
      "fix-scope",
      "fix-impact-local",
      "fix-impact",
      "fix-check",
      "fix-outcomes",
    ],
  ],
  ["report", ["report"]],
  [
    "the pipeline and its entry points",
    ["side-run", "pipeline", "review", "estimate", "fix", "policy-sandbox"],
  ],
];

/** Every relative import (`import … from`, `export … from`, `import("…")`), type-only ones included. */
const IMPORT = /(?:^|\n)\s*(?:import|export)\b[^;]*?\bfrom\s+"(\.[^"]+)"|\bimport\(\s*"(\.[^"]+)"\s*\)/g;

function sources(directory: string): string[] {
  return readdirSync(join(PROJECT, directory), { recursive: true, encoding: "utf8" })
    .filter((path) => path.endsWith(".ts"))
    .map((path) => `${directory}/${path}`);
}

/** Module → the project modules it imports, for the TypeScript files under these directories. */
function importGraph(directories: string[]): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  for (const file of directories.flatMap(sources)) {
    const text = readFileSync(join(PROJECT, file), "utf8");
    const targets = [...text.matchAll(IMPORT)].map((match) =>
      relative(PROJECT, resolve(PROJECT, dirname(file), match[1] ?? match[2] ?? "")),
    );
    graph.set(file, [...new Set(targets)]);
  }
  return graph;
}

/** The import circles of a graph: its strongly connected components of more than one module (Tarjan). */
function circles(graph: Map<string, string[]>): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const found: string[][] = [];
  const visit = (module: string) => {
    index.set(module, index.size);
    low.set(module, index.get(module) ?? 0);
    stack.push(module);
    for (const next of graph.get(module) ?? []) {
      if (!graph.has(next)) continue;
      if (!index.has(next)) visit(next);
      if (stack.includes(next)) low.set(module, Math.min(low.get(module) ?? 0, low.get(next) ?? 0));
    }
    if (low.get(module) !== index.get(module)) return;
    const component = stack.splice(stack.indexOf(module));
    if (component.length > 1 || graph.get(module)?.includes(module)) found.push(component.sort());
  };
  for (const module of graph.keys()) if (!index.has(module)) visit(module);
  return found;
}

describe("the import structure", () => {
  const graph = importGraph(["app", "policies"]);

  it("has no import circle in app/ and policies/", () => {
    expect(graph.size).toBeGreaterThan(100);
    expect(circles(graph)).toEqual([]);
  });

  it("finds a circle when there is one (the check itself)", () => {
    const circle = new Map([
      ["a.ts", ["b.ts"]],
      ["b.ts", ["c.ts"]],
      ["c.ts", ["a.ts", "d.ts"]],
      ["d.ts", []],
    ]);
    expect(circles(circle)).toEqual([["a.ts", "b.ts", "c.ts"]]);
  });

  it("places every module of app/engine in one stage", () => {
    const listed = STAGES.flatMap(([, modules]) => modules).sort();
    const engine = sources("app/engine").map((file) => file.slice("app/engine/".length, -".ts".length));
    expect(listed).toEqual(engine.sort());
  });

  it("sends app/engine's data down: no module imports from a later stage", () => {
    const rank = new Map<string, number>(
      STAGES.flatMap(([, modules], i) => modules.map((module) => [`app/engine/${module}.ts`, i] as const)),
    );
    const upward = [...graph].flatMap(([module, targets]) =>
      targets
        .filter((target) => rank.has(module) && (rank.get(target) ?? -1) > (rank.get(module) ?? 0))
        .map((target) => `${module} → ${target}`),
    );
    expect(upward).toEqual([]);
  });
});
