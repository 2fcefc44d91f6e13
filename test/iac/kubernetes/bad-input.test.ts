import { describe, expect, it } from "vitest";
import { parseLinked } from "../../helpers/evaluate.ts";

const deployment = (requests: string, replicas = "1") => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: ${replicas}
  template:
    spec:
      containers:
        - name: app
          resources:
            requests: ${requests}
`;

describe("bad input gives a located message and the rest is still read", () => {
  it("reports invalid YAML with its line and column, and reads nothing of the file", () => {
    const { resources, diagnostics } = parseLinked("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: [x}\n");
    expect(resources).toEqual([]);
    expect(diagnostics).toEqual([
      {
        file: "app.yaml",
        line: 3,
        column: expect.any(Number),
        severity: "error",
        message: expect.stringMatching(/^invalid YAML: /),
        unread: "app.yaml",
      },
    ]);
  });

  it("skips a document that is not a Kubernetes object, and reads the next", () => {
    const { resources, diagnostics } = parseLinked(
      "just: data\n---\napiVersion: v1\nkind: ConfigMap\nmetadata: { name: ok }\n",
    );
    expect(resources.map((r) => r.id)).toEqual(["ConfigMap/ok"]);
    expect(diagnostics).toEqual([
      expect.objectContaining({
        line: 1,
        severity: "warning",
        message: expect.stringContaining("document 1 is not a Kubernetes object"),
      }),
    ]);
  });

  it("lists an unknown kind as not estimated, with its line", () => {
    const { resources, diagnostics } = parseLinked(
      "apiVersion: kafka.strimzi.io/v1beta2\nkind: Kafka\nmetadata: { name: events }\n",
    );
    expect(resources[0]?.demand).toEqual({
      type: "unknown",
      reason: "no cost model for Kafka (kafka.strimzi.io/v1beta2)",
    });
    expect(diagnostics).toEqual([expect.objectContaining({ line: 2, severity: "notice" })]);
  });

  it.each([
    ['{ cpu: "1.5", memory: "1.5Gi" }', 1500, 1610612736],
    ['{ cpu: "250m", memory: 1e3 }', 250, 1000],
    ["{ cpu: 0.5, memory: 129M }", 500, 129000000],
    ['{ cpu: "2000m", memory: 1_000 }', 2000, 1000],
  ])("reads quantities %s as Kubernetes does", (requests, cpu, memory) => {
    const { resources, diagnostics } = parseLinked(deployment(requests));
    expect(diagnostics).toEqual([]);
    expect(resources[0]?.demand).toMatchObject({ pod: { cpuMillis: cpu, memoryBytes: memory } });
  });

  it.each([
    ['{ cpu: "-1" }', 'must not be negative (found "-1")'],
    ['{ cpu: "1.5 cores" }', "is not a quantity"],
    ["{ memory: 10Gb }", '"10Gb" is not a quantity'],
    ["{ memory: 10Ki3 }", 'unknown suffix "Ki3"'],
    ["{ memory: 100Pi }", "absurdly large"],
    ["{ cpu: 1e999 }", "absurd exponent"],
    ["{ cpu: [1] }", "must be a quantity, found a sequence"],
  ])("reports %s at its line and leaves it out", (requests, message) => {
    const { resources, diagnostics } = parseLinked(deployment(requests));
    expect(diagnostics).toEqual([
      expect.objectContaining({ line: 12, severity: "error", message: expect.stringContaining(message) }),
    ]);
    expect(resources[0]?.demand).toMatchObject({ pod: { cpuMillis: 0, memoryBytes: 0 } });
  });

  it.each([
    ['"3"', 'must be an integer, found the string "3"'],
    ["-2", "must be between 0 and 1000000"],
    ["2.5", "must be an integer"],
  ])("reports replicas %s and falls back to the default", (replicas, message) => {
    const { resources, diagnostics } = parseLinked(deployment("{ cpu: 1 }", replicas));
    expect(diagnostics).toEqual([
      expect.objectContaining({ line: 6, message: expect.stringContaining(message) }),
    ]);
    expect(resources[0]?.demand).toMatchObject({ replicas: { count: 1, basis: "default" } });
  });

  it("reports a request above its limit, which Kubernetes rejects", () => {
    const text = deployment("{ cpu: 2 }").replace(
      "requests: { cpu: 2 }",
      "requests: { cpu: 2 }\n            limits: { cpu: 1 }",
    );
    expect(parseLinked(text).diagnostics).toEqual([
      expect.objectContaining({
        line: 12,
        message: expect.stringContaining("the cpu request is above its limit"),
      }),
    ]);
  });

  it("warns about a pod spec without containers", () => {
    const { diagnostics } = parseLinked(
      "apiVersion: v1\nkind: Pod\nmetadata: { name: p }\nspec: { containers: [] }\n",
    );
    expect(diagnostics).toEqual([
      expect.objectContaining({ severity: "warning", message: expect.stringContaining("no containers") }),
    ]);
  });

  it("names an object without metadata.name by its document", () => {
    const { resources } = parseLinked(
      "apiVersion: v1\nkind: ConfigMap\n---\napiVersion: v1\nkind: ConfigMap\nmetadata: { generateName: job- }\n",
    );
    expect(resources.map((r) => r.name)).toEqual(["(unnamed, document 1)", "job-*"]);
  });
});
