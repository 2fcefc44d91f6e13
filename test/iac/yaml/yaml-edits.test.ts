import { load } from "js-yaml";
import { describe, expect, it } from "vitest";
import type { Edits } from "../../../app/engine/finding.ts";
import { documentPiece } from "../../../app/iac/yaml/document-piece.ts";
import { DocumentRead, YamlEditor, type YamlValue } from "../../../app/iac/yaml/yaml-edits.ts";
import { YamlFile } from "../../../app/iac/yaml/yaml-file.ts";

function apply(text: string, edits: Edits): string {
  if (!Array.isArray(edits)) throw new Error(`no edits: ${edits.byHand}`);
  return [...edits]
    .sort((a, b) => b.start - a.start)
    .reduce((t, e) => t.slice(0, e.start) + e.text + t.slice(e.end), text);
}

function set(
  text: string,
  path: (string | number)[],
  value: YamlValue,
  document = 0,
  root: (string | number)[] = [],
) {
  return apply(text, new YamlEditor(() => text).set("f.yaml", document, root, path, value));
}

const container = `spec:
  containers:
    - name: app # the app
      image: app:1
      resources:
        requests:
          cpu: "250m"
# trailing comment
`;

describe("YamlEditor.set", () => {
  it("replaces a scalar in its quoting style", () => {
    expect(set(container, ["spec", "containers", 0, "resources", "requests", "cpu"], "100m")).toBe(
      container.replace('"250m"', '"100m"'),
    );
  });

  it("adds a key at the end of a block mapping, at its indentation", () => {
    expect(set(container, ["spec", "containers", 0, "resources", "requests", "memory"], "256Mi")).toBe(
      container.replace('cpu: "250m"\n', 'cpu: "250m"\n          memory: 256Mi\n'),
    );
  });

  it("creates the missing maps, keeping trailing comments on their line", () => {
    const text = "containers:\n  - name: app # keep me\n";
    expect(set(text, ["containers", 0, "resources", "limits", "memory"], "1Gi")).toBe(
      "containers:\n  - name: app # keep me\n    resources:\n      limits:\n        memory: 1Gi\n",
    );
  });

  it("writes into flow mappings in flow style", () => {
    expect(set("resources: {requests: {cpu: 1}}\n", ["resources", "requests", "memory"], "1Gi")).toBe(
      "resources: {requests: {cpu: 1, memory: 1Gi}}\n",
    );
    expect(set("resources: {}\n", ["resources", "limits", "memory"], "1Gi")).toBe(
      "resources: {limits: {memory: 1Gi}}\n",
    );
  });

  it("fills a key that has no value", () => {
    expect(set("metadata:\n  annotations:\n  name: x\n", ["metadata", "annotations", "a/b"], "v")).toBe(
      "metadata:\n  annotations:\n    a/b: v\n  name: x\n",
    );
  });

  it("follows the document's indentation step", () => {
    expect(set("spec:\n    template:\n        x: 1\n", ["spec", "template", "y"], 2)).toBe(
      "spec:\n    template:\n        x: 1\n        y: 2\n",
    );
  });

  it("edits the right document and List item", () => {
    const text = "a: 1\n---\nitems:\n  - b: 1\n  - b: 2\n";
    expect(set(text, ["b"], 3, 1, ["items", 1])).toBe("a: 1\n---\nitems:\n  - b: 1\n  - b: 3\n");
  });

  it.each([
    [
      "a value shared through a merge key",
      "base: &b {cpu: 1}\nuse:\n  <<: *b\n",
      ["use", "cpu"],
      "yaml-anchor",
    ],
    ["a path through a List", "a: []\n", ["a", 0, "b"], "not-written"],
    ["a mapping where a value is set", "a:\n  b: 1\n", ["a"], "not-written"],
    ["a key under a List", "a: [1]\n", ["a", "b"], "not-written"],
  ])("refuses %s, and says why", (_, text, path, byHand) => {
    expect(new YamlEditor(() => text).set("f.yaml", 0, [], path, 2)).toEqual({ byHand });
  });

  // Editing the anchored node itself (or anything in it) changes every alias of it as well.
  const containers = (a: string, b: string) =>
    `containers:\n  - name: a\n    resources: ${a}\n  - name: b\n    resources: ${b}\n`;
  it.each([
    [
      "a value in an anchored mapping",
      containers("&res\n      requests: {cpu: 1}", "*res"),
      ["containers", 0, "resources", "requests", "cpu"],
    ],
    [
      "a key added to an anchored mapping",
      containers("&res\n      requests: {cpu: 1}", "*res"),
      ["containers", 0, "resources", "limits", "cpu"],
    ],
    ["an anchored scalar", "a: &x 1\nb: *x\n", ["a"]],
    ["an anchored empty value filled", "a: &x\nb: *x\n", ["a", "c"]],
    ["a value inside an anchored List item", "items: &i\n  - c: 1\nmore: *i\n", ["items", 0, "c"]],
  ])("refuses %s that an alias elsewhere reads", (_, text, path) => {
    expect(new YamlEditor(() => text).set("f.yaml", 0, [], path, 2)).toEqual({ byHand: "yaml-anchor" });
  });

  it.each([
    ["an anchor no alias reads", "a: &x 1\nb: 2\n", ["a"], "a: &x 2\nb: 2\n"],
    ["a node beside an anchored one", "a: &x 1\nb: *x\nc: 1\n", ["c"], "a: &x 1\nb: *x\nc: 2\n"],
    [
      "the other container, whose own resources are written out",
      containers("&res\n      requests: {cpu: 1}", "{requests: {cpu: 1}}"),
      ["containers", 1, "resources", "requests", "cpu"],
      containers("&res\n      requests: {cpu: 1}", "{requests: {cpu: 2}}"),
    ],
  ])("edits %s", (_, text, path, edited) => {
    expect(set(text, path, 2)).toBe(edited);
  });

  // Each edit is checked by what js-yaml reads back, and by a second run, which must change nothing.
  it.each<[string, string, (string | number)[], YamlValue, string]>([
    ["a literal block, clipped", "a: |\n  one\n  two\nb: 1\n", ["a"], "x y\n", "a: |\n  x y\nb: 1\n"],
    [
      "a literal block, a value with no final line break",
      "a: |\n  one\nb: 1\n",
      ["a"],
      "x y",
      "a: |-\n  x y\nb: 1\n",
    ],
    [
      "a folded block with a comment",
      "a: >- # was | long\n  one\n\n  two\nb: 1\n",
      ["a"],
      "x y",
      "a: >- # was | long\n  x y\nb: 1\n",
    ],
    [
      "a folded block given several lines: literal, as folding would join them",
      "a: >-\n  one\nb: 1\n",
      ["a"],
      "x\ny",
      "a: |-\n  x\n  y\nb: 1\n",
    ],
    [
      "a literal block given lines, an empty one among them, and two final line breaks",
      "a: |-\n    one\nb: 1\n",
      ["a"],
      "x\n\n  y\n\n",
      "a: |+\n    x\n\n      y\n\nb: 1\n",
    ],
    [
      "an indented block in a list (its indentation indicator kept)",
      "l:\n  - |2\n      one\n  - z\n",
      ["l", 0],
      "  x y\n",
      "l:\n  - |2\n      x y\n  - z\n",
    ],
    ["a block at the end of a CRLF file", "a: |+\r\n  one\r\n", ["a"], "x y", "a: |-\r\n  x y\r\n"],
    ["a number: a block holds only strings", "a: |\n  one\n  two\nb: 1\n", ["a"], 3, "a: 3\nb: 1\n"],
    ["an empty string", "a: |\n  one\nb: 1\n", ["a"], "", 'a: ""\nb: 1\n'],
    [
      "a first line starting with a space, and no indentation indicator",
      "a: |\n  one\nb: 1\n",
      ["a"],
      " x",
      'a: " x"\nb: 1\n',
    ],
    ["a carriage return", "a: |\n  one\nb: 1\n", ["a"], "x\ry", 'a: "x\\ry"\nb: 1\n'],
    [
      "a tab where a line's indentation ends",
      "a: |\n  one\nb: 1\n",
      ["a"],
      "x\n\ty",
      'a: "x\\n\\ty"\nb: 1\n',
    ],
  ])(
    "replaces %s: in block style when the value allows it, else as a flow scalar",
    (_, text, path, value, edited) => {
      const once = set(text, path, value);
      expect(once).toBe(edited);
      const read = load(once) as Record<string, unknown>;
      expect(path.reduce<unknown>((v, key) => (v as Record<string | number, unknown>)[key], read)).toBe(
        value,
      );
      expect(set(once, path, value)).toBe(once);
    },
  );

  it("quotes strings that YAML would read as something else", () => {
    expect(set("a: 1\n", ["b"], "true")).toBe('a: 1\nb: "true"\n');
    expect(set("a: 1\n", ["c"], "Mon-Fri 08:00-20:00 Europe/Paris")).toBe(
      'a: 1\nc: "Mon-Fri 08:00-20:00 Europe/Paris"\n',
    );
  });

  it("adds a key after a mapping whose last value is empty (found by the fix property test)", () => {
    const text = "spec:\n  template:\n    resources:\n---\nb: 1\n";
    expect(set(text, ["spec", "replicas"], 0)).toBe(
      "spec:\n  template:\n    resources:\n  replicas: 0\n---\nb: 1\n",
    );
  });
});

/** A file's line breaks and byte order mark, as editors on Windows write them. */
const crlf = (text: string) => text.replaceAll("\n", "\r\n");
const bom = (text: string) => `\uFEFF${text}`;

describe.each([
  ["LF", (text: string) => text],
  ["CRLF", crlf],
  ["CRLF with a byte order mark", (text: string) => bom(crlf(text))],
  ["a byte order mark", bom],
  ["CRLF, last line without a line break", (text: string) => crlf(text).replace(/\r\n$/, "")],
])("new lines in a file with %s", (_, written) => {
  it.each([
    [
      "a key after a mapping's last key",
      container,
      ["spec", "containers", 0, "resources", "requests", "memory"],
    ],
    [
      "maps created after a trailing comment",
      container,
      ["spec", "containers", 0, "resources", "limits", "memory"],
    ],
    [
      "a key with no value filled",
      "metadata:\n  annotations:\n  name: x\n",
      ["metadata", "annotations", "a/b"],
    ],
    ["a key at the end of the file", "a: 1\nb:\n  c: 2\n", ["b", "d"]],
  ])("keep its line breaks: %s", (_, text, path) => {
    const asLf = set(text, path, "1Gi");
    expect(set(written(text), path, "1Gi")).toBe(written(asLf));
  });
});

describe.each([
  ["a plain file", "a:\n  b: 1\n"],
  ["a file with aliases", "x: &x 0\ny: *x\na:\n  b: 1\n"],
])("a document remembered with the scan of its file (%s)", (_, read) => {
  const edit = (now: string) => {
    const document = new DocumentRead(new YamlFile("read.yaml", read), 0, []);
    const changes = [{ path: ["a", "b"], value: 2 }];
    return apply(now, new YamlEditor(() => now).setAll("read.yaml", 0, [], changes, document));
  };

  it("is edited from them while its text is the same", () => {
    expect(edit(read)).toBe(read.replace("b: 1", "b: 2"));
  });

  it("is read again when its text changed since", () => {
    expect(edit(`z: 0\n${read}`)).toBe(`z: 0\n${read.replace("b: 1", "b: 2")}`);
  });
});

describe("a resource's document as read (DocumentRead)", () => {
  const document = new DocumentRead(new YamlFile("read.yaml", "a:\n  b: 1\n"), 0, []);

  it("is its index and path to whoever copies or compares it; its text and scan stay out of sight", () => {
    for (const copy of [structuredClone(document), JSON.parse(JSON.stringify(document))]) {
      expect(copy).toEqual({ index: 0, path: [] });
      expect(DocumentRead.read(copy)).toBeUndefined();
    }
    expect(DocumentRead.read(document)?.text).toBe("a:\n  b: 1\n");
  });

  it("is read again once for all the documents of its file", () => {
    const yaml = new YamlFile("read.yaml", "a: 1\n---\nb: 2\n");
    const [first, second] = [0, 1].map((index) => new DocumentRead(yaml, index, []));
    expect(first?.reread("read.yaml")).toBe(second?.reread("read.yaml"));
    expect(first?.reread("read.yaml").documents.map((d) => d.value)).toEqual([{ a: 1 }, { b: 2 }]);
  });

  it("edits a copy as well, by reading the file again", () => {
    const changes = [{ path: ["a", "b"], value: 2 }];
    const edits = new YamlEditor(() => "a:\n  b: 1\n").setAll("read.yaml", 0, [], changes, {
      ...structuredClone(document),
    });
    expect(apply("a:\n  b: 1\n", edits)).toBe("a:\n  b: 2\n");
  });
});

describe("the piece of a multi-document file that holds one document (documentPiece)", () => {
  const text = `# leading comment
a: 1
---
# about b
b:
  c: 2
---
---
d: [3]
--- # the last
e: 4
...
`;
  const read = (file: string) => new DocumentRead(new YamlFile("f.yaml", file), 0, []);
  const range = (find: string, file = text) =>
    [file.indexOf(find), file.indexOf(find) + find.length] as const;
  const piece = (index: number, from: string, to?: string) => ({
    index,
    from: text.indexOf(from),
    text: text.slice(text.indexOf(from), to === undefined ? undefined : text.indexOf(to)),
  });

  it.each([
    ["the first document", "a: 1", piece(0, "a: 1", "b:")],
    ["a document after comments", "c: 2", piece(1, "b:", "d:")],
    ["a document after an empty one", "[3]", piece(3, "d:", "e:")],
    ["the last document", "e: 4", piece(4, "e:")],
    ["two documents", "a: 1\n---\n# about b\nb", undefined],
  ])("%s", (_, find, expected) => {
    expect(documentPiece(read(text), ...range(find))).toEqual(expected);
  });

  it("is not cut from a file with directives, nor from a copy of its document", () => {
    const directive = `%YAML 1.2\n---\n${text.slice(18)}`;
    expect(documentPiece(read(directive), ...range("c: 2", directive))).toBeUndefined();
    expect(documentPiece(structuredClone(read(text)), ...range("c: 2"))).toBeUndefined();
  });
});
