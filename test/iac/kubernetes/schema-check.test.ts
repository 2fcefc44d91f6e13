import { describe, expect, it } from "vitest";
import { schemaErrors } from "../../../app/iac/kubernetes/schema-check.ts";

const deployment = (spec: string) => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
${spec}`;

const POD_TEMPLATE = `  selector:
    matchLabels: { app: web }
  template:
    metadata:
      labels: { app: web }
    spec:
      containers:
        - name: web
          image: nginx:1.27`;

describe("schemaErrors", () => {
  const cases: { name: string; text: string; errors: { line: number; message: string }[] }[] = [
    { name: "a valid Deployment", text: deployment(`  replicas: 3\n${POD_TEMPLATE}\n`), errors: [] },
    {
      name: "replicas written as a string",
      text: deployment(`  replicas: "3"\n${POD_TEMPLATE}\n`),
      errors: [{ line: 6, message: "Deployment /spec/replicas must be integer (Kubernetes schema)" }],
    },
    {
      name: "a quantity Kubernetes cannot parse: one error, at the field",
      text: deployment(`${POD_TEMPLATE}\n          resources:\n            requests: { memory: 12Xi }\n`),
      errors: [
        {
          line: 16,
          message:
            'Deployment /spec/template/spec/containers/0/resources/requests/memory must match format "quantity" (Kubernetes schema)',
        },
      ],
    },
    {
      name: "a missing required field, located at its parent",
      text: deployment(`  replicas: 1\n  template:\n    spec:\n      containers: []\n`),
      errors: [
        { line: 5, message: "Deployment /spec must have required property selector (Kubernetes schema)" },
      ],
    },
    {
      name: "a custom resource passes",
      text: "apiVersion: monitoring.coreos.com/v1\nkind: ServiceMonitor\nmetadata: { name: x }\nspec: 42\n",
      errors: [],
    },
    {
      name: "each document of a file is checked",
      text: `apiVersion: v1\nkind: Service\nmetadata: { name: a }\n---\napiVersion: v1\nkind: ConfigMap\nmetadata: { name: b }\ndata: { n: 1 }\n`,
      errors: [{ line: 8, message: "ConfigMap /data/n must be string (Kubernetes schema)" }],
    },
    { name: "a YAML syntax error is left to the parser", text: "kind: [\n", errors: [] },
    { name: "an apiVersion that names no module", text: "apiVersion: ../../x/v1\nkind: Pod\n", errors: [] },
  ];
  for (const { name, text, errors } of cases) {
    it(name, async () => {
      const found = await schemaErrors("app.yaml", text);
      expect(found.map(({ line, message }) => ({ line, message }))).toEqual(errors);
      for (const diagnostic of found)
        expect(diagnostic).toMatchObject({ file: "app.yaml", severity: "error" });
    });
  }
});
