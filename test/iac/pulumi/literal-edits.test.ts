import { describe, expect, it } from "vitest";
import { literalEdits } from "../../../app/iac/pulumi/literal-edits.ts";
import type { FieldSpan, Resource } from "../../../app/model/resource.ts";
import { fileStart } from "../../../app/model/span.ts";

/** A program's Deployment: replicas written as a literal, resources computed by a call. */
const PROGRAM = `new k8s.apps.v1.Deployment("api", { spec: { replicas: 3, template: { spec: { containers: [{ name: "api", resources: sized("api") }] } } } });\n`;
const CONFIG = "config:\n  shop:size: &size m5.large\n  shop:other: *size\n";

function at(text: string, file: string, value: string): FieldSpan["value"] {
  const start = text.indexOf(value);
  return { ...fileStart(file), startOffset: start, endOffset: start + value.length };
}

const fields: Record<string, FieldSpan> = {
  "/spec/replicas": { value: at(PROGRAM, "index.ts", "3") },
  "/spec/template/spec/containers/0/resources": {
    value: at(PROGRAM, "index.ts", 'sized("api")'),
    computed: true,
  },
  "/spec/instanceType": {
    value: at(CONFIG, "Pulumi.dev.yaml", "m5.large"),
    viaAlias: true,
    yamlPath: ["config", "shop:size"],
  },
};

const resource: Resource = {
  id: "Deployment/shop/api",
  kind: "Deployment",
  name: "api",
  environment: "dev",
  labels: {},
  source: { format: "pulumi-program", span: fileStart("index.ts"), fields },
  demand: { type: "unknown", reason: "a test" },
  notes: [],
};

const text = (file: string) => (file === "index.ts" ? PROGRAM : CONFIG);
const set = (path: (string | number)[], value: string | number) =>
  literalEdits(text, resource, [{ path, value }]);

describe("literalEdits: what a fix to a program writes, or why it cannot", () => {
  it("replaces a literal", () => {
    expect(set(["spec", "replicas"], 2)).toEqual([
      { file: "index.ts", start: PROGRAM.indexOf("3"), end: PROGRAM.indexOf("3") + 1, text: "2" },
    ]);
  });

  it.each([
    ["a value the program computes", ["spec", "template", "spec", "containers", 0, "resources"], "computed"],
    [
      "a value inside one the program computes",
      ["spec", "template", "spec", "containers", 0, "resources", "limits", "memory"],
      "computed",
    ],
    ["a value the program does not write", ["spec", "minReadySeconds"], "not-written"],
    ["a stack config value an alias also reads", ["spec", "instanceType"], "yaml-anchor"],
  ])("writes nothing for %s, and says why", (_, path, byHand) => {
    expect(set(path as (string | number)[], "1")).toEqual({ byHand });
  });
});
