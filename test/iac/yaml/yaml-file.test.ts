import { describe, expect, it } from "vitest";
import { YamlFile, YamlSyntaxError } from "../../../app/iac/yaml/yaml-file.ts";

const text = `# leading comment
apiVersion: apps/v1
kind: Deployment
metadata:
  name: api # trailing comment
x-defaults: &defaults
  cpu: "250m"
  memory: 128Mi
spec:
  replicas: 3
  containers:
    - name: app
      resources:
        requests:
          <<: *defaults
          memory: 256Mi
    - {name: sidecar, resources: {requests: {cpu: 100m}}}
---
# empty document follows
---
kind: Service
`;

function slice(span: { startOffset: number; endOffset: number }) {
  return text.slice(span.startOffset, span.endOffset);
}

describe("YamlFile", () => {
  const yaml = new YamlFile("deploy.yaml", text);

  it("splits documents and constructs their values with merge keys", () => {
    expect(yaml.documents).toHaveLength(3);
    const [first, empty, last] = yaml.documents;
    expect(first?.value).toMatchObject({
      kind: "Deployment",
      spec: {
        containers: [{ resources: { requests: { cpu: "250m", memory: "256Mi" } } }, { name: "sidecar" }],
      },
    });
    expect(empty?.value).toBeNull();
    expect(last?.value).toEqual({ kind: "Service" });
  });

  it.each([
    [["metadata", "name"], "api", 5, 9],
    [["spec", "replicas"], "3", 10, 13],
    [["spec", "containers", 0, "resources", "requests", "memory"], "256Mi", 16, 19],
    [["spec", "containers", 1, "resources", "requests", "cpu"], "100m", 17, 51],
    [["x-defaults", "cpu"], '"250m"', 7, 8],
  ] as const)("locates %j", (path, source, line, column) => {
    const node = yaml.documents[0]?.locate(path);
    expect(node && slice(node.value)).toBe(source);
    expect(node?.value.startLine).toBe(line);
    expect(node?.value.startColumn).toBe(column);
  });

  it("reports the key range and scalar style", () => {
    const node = yaml.documents[0]?.locate(["x-defaults", "cpu"]);
    expect(node?.style).toBe("double");
    expect(node?.text).toBe("250m");
    expect(node?.key && slice(node.key)).toBe("cpu");
  });

  it.each([
    [
      "plain, quoted and typed keys",
      "m: {a: 1, 'b c': 2, 1: x, 0x2: y, ~: z, true: t}",
      ["1", "2", "a", "b c", "null", "true"],
    ],
    ["a merge key and what it merges in", "d: &d {cpu: 1}\nm: {<<: *d, memory: 2}", ["cpu", "memory"]],
    ["a mapping reached through an alias", "d: &d {cpu: 1, gpu: 2}\nm: *d", ["cpu", "gpu"]],
    ["a block mapping", "m:\n  nvidia.com/gpu: 1\n  cpu: 2\n", ["nvidia.com/gpu", "cpu"]],
    ["not a mapping", "m: [a, b]", []],
  ])("lists the keys of %s as its value has them", (_, source, keys) => {
    const document = new YamlFile("keys.yaml", source).documents[0];
    expect(document?.keys(["m"])).toEqual(keys);
    const value = document?.valueAt(["m"]);
    expect(
      Object.keys(typeof value === "object" && value !== null && !Array.isArray(value) ? value : {}),
    ).toEqual(keys);
  });

  it("follows merge keys to the anchor and says so", () => {
    const node = yaml.documents[0]?.locate(["spec", "containers", 0, "resources", "requests", "cpu"]);
    expect(node && slice(node.value)).toBe('"250m"');
    expect(node?.viaAlias).toBe(true);
    expect(node?.value.startLine).toBe(7);
  });

  it("spans collections, flow ones up to their closing bracket", () => {
    const flow = yaml.documents[0]?.locate(["spec", "containers", 1]);
    expect(flow && slice(flow.value)).toBe("{name: sidecar, resources: {requests: {cpu: 100m}}}");
    expect(flow?.flow).toBe(true);
    const block = yaml.documents[0]?.locate(["metadata"]);
    expect(block && slice(block.value)).toBe("name: api");
    expect(yaml.documents[2]?.span().startLine).toBe(21);
  });

  it("returns undefined for missing paths", () => {
    expect(yaml.documents[0]?.locate(["spec", "missing"])).toBeUndefined();
    expect(yaml.documents[0]?.locate(["spec", "containers", 5])).toBeUndefined();
    expect(yaml.documents[0]?.locate(["kind", "x"])).toBeUndefined();
  });

  it.each([
    ["a: [1,\nb: 2", 1, 4, "a flow sequence ([) opened at line 1, column 4 is not closed"],
    ["metadata: {name: x\nspec: {}\n", 1, 11, "a flow mapping ({) opened at line 1, column 11 is not closed"],
    [
      'spec:\n  image: "ghcr.io/x:1.0\n  args: [b]\n',
      2,
      10,
      "a double-quoted string opened at line 2, column 10 is not closed",
    ],
    ["data:\n  a: 'abc", 2, 6, "a single-quoted string opened at line 2, column 6 is not closed"],
    // A quote in a block scalar, in a string closed on a later line, or inside a word opens nothing.
    ['script: |\n  echo "hi\n  done\n bad: 1\n', 4, 2, "bad indentation of a mapping entry"],
    ['a:\n  b: "x\n    y"\n c: 1\n', 4, 2, "bad indentation of a mapping entry"],
    ["a: it's\n b: 1\n", 2, 3, "bad indentation of a mapping entry"],
    ["a: 1\na: 2", 2, 1, 'duplicated mapping key "a"'],
    ["a:\n\tb: 1", 2, 1, "tab characters must not be used in indentation"],
  ])("throws a located syntax error for %j", (source, line, column, reason) => {
    expect(() => new YamlFile("bad.yaml", source)).toThrow(YamlSyntaxError);
    try {
      new YamlFile("bad.yaml", source);
    } catch (error) {
      expect(error).toMatchObject({ line, column, reason });
    }
  });

  const DEEP = "nested deeper than 64 levels, the most GreenOps reads (a bound against runaway files)";
  it.each([
    ["block mappings", Array.from({ length: 70 }, (_, i) => `${"  ".repeat(i)}k${i}:`).join("\n"), 64, 127],
    ["flow sequences", `a: ${"[".repeat(70)}${"]".repeat(70)}`, 1, 67],
  ])("says %s nested beyond the limit are too deep, where, not invalid", (_, source, line, column) => {
    expect(() => new YamlFile("deep.yaml", source)).toThrow(YamlSyntaxError);
    try {
      new YamlFile("deep.yaml", source);
    } catch (error) {
      const reason = `${DEEP}, exceeded at line ${line}, column ${column}`;
      expect(error).toMatchObject({ line, column, reason, problem: `YAML ${reason}` });
    }
  });

  it("refuses alias bombs", () => {
    const names = "abcdefghij";
    const levels = [...names]
      .slice(1)
      .map((name, i) => `${name}: &${name} [${Array(10).fill(`*${names[i]}`).join(", ")}]`);
    const bomb = ["a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]", ...levels].join("\n");
    expect(() => new YamlFile("bomb.yaml", bomb)).toThrow(/alias expansion is too large/);
  });

  it("keeps offsets right after a byte order mark", () => {
    const bom = new YamlFile("bom.yaml", "\uFEFFkind: Pod\n");
    expect(bom.documents[0]?.locate(["kind"])?.value.startColumn).toBe(7);
  });
});
