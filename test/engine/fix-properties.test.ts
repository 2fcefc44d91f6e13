import fc from "fast-check";
import { loadAll } from "js-yaml";
import { describe, expect, it } from "vitest";
import { applyFixes } from "../../app/engine/apply-fixes.ts";
import type { Finding, TextEdit } from "../../app/engine/finding.ts";
import { YamlEditor } from "../../app/iac/yaml/yaml-edits.ts";
import { YamlFile } from "../../app/iac/yaml/yaml-file.ts";

/**
 * Property: fixes written as text edits by the YAML editor, on manifests in the styles people write
 * (block and flow maps, three quoting styles, two sequence indentations, comments everywhere), give
 * valid YAML that loads as exactly the intended objects and keeps every comment.
 */

const FILE = "k8s/app.yaml";
type Style = "plain" | "single" | "double";
type Resources = "absent" | "block" | "flow" | "empty-flow" | "null";
type Container = { cpu: string; memory: string; resources: Resources; style: Style; comment?: string };
type Workload = {
  replicas?: number;
  annotations: "absent" | "block" | "flow";
  containers: Container[];
  comments: { top?: string; name?: string; replicas?: string; between?: string };
  compactSequence: boolean;
};

const comment = fc.option(
  fc.constantFrom("# owned by checkout", "# sized in March", "#tight", "# see RUNBOOK.md"),
  {
    nil: undefined,
  },
);
const quantity = (unit: string, values: number[]) => fc.constantFrom(...values).map((v) => `${v}${unit}`);
const container = fc.record({
  cpu: quantity("m", [100, 250, 500]),
  memory: quantity("Mi", [128, 256, 512]),
  resources: fc.constantFrom<Resources>("absent", "block", "flow", "empty-flow", "null"),
  style: fc.constantFrom<Style>("plain", "single", "double"),
  comment,
});
const workload: fc.Arbitrary<Workload> = fc.record({
  replicas: fc.option(fc.integer({ min: 1, max: 9 }), { nil: undefined }),
  annotations: fc.constantFrom<Workload["annotations"]>("absent", "block", "flow"),
  containers: fc.array(container, { minLength: 1, maxLength: 3 }),
  comments: fc.record({ top: comment, name: comment, replicas: comment, between: comment }),
  compactSequence: fc.boolean(),
});

function quoted(value: string, style: Style): string {
  return style === "plain" ? value : style === "single" ? `'${value}'` : `"${value}"`;
}

const after = (text?: string) => (text ? ` ${text}` : "");

/** The manifest's text and the object it stands for. */
function render(w: Workload, index: number): { text: string; object: Record<string, unknown> } {
  const name = `app-${index}`;
  const lines: string[] = [];
  if (w.comments.top) lines.push(w.comments.top);
  lines.push(
    "apiVersion: apps/v1",
    "kind: Deployment",
    "metadata:",
    `  name: ${name}${after(w.comments.name)}`,
  );
  const metadata: Record<string, unknown> = { name };
  if (w.annotations === "block") lines.push("  annotations:", "    team: checkout");
  if (w.annotations === "flow") lines.push("  annotations: { team: checkout }");
  if (w.annotations !== "absent") metadata.annotations = { team: "checkout" };
  lines.push("spec:");
  const spec: Record<string, unknown> = {};
  if (w.replicas !== undefined) {
    lines.push(`  replicas: ${w.replicas}${after(w.comments.replicas)}`);
    spec.replicas = w.replicas;
  }
  lines.push("  selector:", `    matchLabels: { app: ${name} }`, "  template:", "    metadata:");
  lines.push(`      labels: { app: ${name} }`, "    spec:", "      containers:");
  const item = w.compactSequence ? "      " : "        ";
  const containers = w.containers.map((c, i) => {
    if (i > 0 && w.comments.between) lines.push(`${item}${w.comments.between}`);
    lines.push(`${item}- name: c${i}${after(c.comment)}`, `${item}  image: nginx:1.27`);
    const object: Record<string, unknown> = { name: `c${i}`, image: "nginx:1.27" };
    const cpu = quoted(c.cpu, c.style);
    const memory = quoted(c.memory, c.style);
    if (c.resources === "block") {
      lines.push(`${item}  resources:`, `${item}    requests:`, `${item}      cpu: ${cpu}`);
      lines.push(`${item}    limits:`, `${item}      memory: ${memory}`);
      object.resources = { requests: { cpu: c.cpu }, limits: { memory: c.memory } };
    }
    if (c.resources === "flow") {
      lines.push(`${item}  resources: { requests: { cpu: ${cpu}, memory: ${memory} } }`);
      object.resources = { requests: { cpu: c.cpu, memory: c.memory } };
    }
    if (c.resources === "empty-flow") {
      lines.push(`${item}  resources: {}`);
      object.resources = {};
    }
    if (c.resources === "null") {
      lines.push(`${item}  resources:`);
      object.resources = null;
    }
    return object;
  });
  spec.selector = { matchLabels: { app: name } };
  spec.template = { metadata: { labels: { app: name } }, spec: { containers } };
  return {
    text: `${lines.join("\n")}\n`,
    object: { apiVersion: "apps/v1", kind: "Deployment", metadata, spec },
  };
}

type Change = { document: number; path: (string | number)[]; value: string | number };

function candidates(workloads: Workload[]): fc.Arbitrary<Change>[] {
  return workloads.flatMap((w, document) => [
    fc.integer({ min: 0, max: 5 }).map((value): Change => ({ document, path: ["spec", "replicas"], value })),
    fc.constant<Change>({
      document,
      path: ["metadata", "annotations", "downscaler/uptime"],
      value: "Mon-Fri 07:00-19:00 UTC",
    }),
    ...w.containers.flatMap((_, i) => {
      const resources = ["spec", "template", "spec", "containers", i, "resources"];
      return [
        quantity("m", [50, 200, 750]).map(
          (value): Change => ({ document, path: [...resources, "requests", "cpu"], value }),
        ),
        quantity("Mi", [64, 300]).map(
          (value): Change => ({ document, path: [...resources, "requests", "memory"], value }),
        ),
        quantity("Gi", [1, 2]).map(
          (value): Change => ({ document, path: [...resources, "limits", "memory"], value }),
        ),
      ];
    }),
  ]);
}

function deepSet(object: unknown, path: (string | number)[], value: unknown): void {
  let node = object as Record<string | number, unknown>;
  for (const [i, key] of path.entries()) {
    if (i === path.length - 1) node[key] = value;
    else {
      if (node[key] === null || node[key] === undefined) node[key] = {};
      node = node[key] as Record<string | number, unknown>;
    }
  }
}

function finding(change: Change, edits: TextEdit[], index: number): Finding {
  const start = edits[0]?.start ?? 0;
  return {
    policy: `change-${index}`,
    severity: "warning",
    message: change.path.join("."),
    location: {
      file: FILE,
      startLine: 1,
      startColumn: 1,
      endLine: 1,
      endColumn: 1,
      startOffset: start,
      endOffset: start,
    },
    fix: { title: `set ${change.path.join(".")}`, kind: "safe", edits },
  };
}

const noChange = {
  totals: { monthlyCost: 0, monthlyCarbonKg: 0 },
  findings: [],
  diagnostics: [],
  figures: () => new Map(),
  settings: new Map(),
};

describe("fixes on generated manifests", () => {
  it("give valid YAML, exactly the intended objects, and every comment", async () => {
    const scenario = fc.array(workload, { minLength: 1, maxLength: 3 }).chain((workloads) =>
      fc.tuple(
        fc.constant(workloads),
        fc.subarray(candidates(workloads), { minLength: 1 }).chain((a) => fc.tuple(...a)),
      ),
    );
    await fc.assert(
      fc.asyncProperty(scenario, async ([workloads, changes]) => {
        const rendered = workloads.map(render);
        const text = rendered.map((r) => r.text).join("---\n");
        const editor = new YamlEditor(() => text);
        const findings = changes.map((change, i) => {
          const edits = editor.set(FILE, change.document, [], change.path, change.value);
          expect(edits, `the editor can set ${change.path.join(".")}`).toBeInstanceOf(Array);
          return finding(change, Array.isArray(edits) ? edits : [], i);
        });
        const result = await applyFixes(findings, {
          text: () => text,
          verify: async () => noChange,
          baseline: noChange,
        });
        for (const { reason } of result.skipped) expect(reason).toMatch(/^it overlaps the fix of/);
        const output = result.files[0]?.text ?? text;
        expect(() => new YamlFile(FILE, output)).not.toThrow();
        const expected = rendered.map((r) => structuredClone(r.object));
        for (const applied of result.applied) {
          const change = changes[Number(applied.policy.slice("change-".length))] as Change;
          deepSet(expected[change.document], change.path, change.value);
        }
        expect(loadAll(output)).toEqual(expected);
        const comments = (t: string) => (t.match(/#[^\n]*/g) ?? []).sort();
        expect(comments(output)).toEqual(comments(text));
      }),
      { numRuns: 300 },
    );
  });
});
