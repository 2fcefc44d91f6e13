import { describe, expect, it } from "vitest";
import { DEFAULT_SETTINGS } from "../../app/config/environment-settings.ts";
import { evaluate, sumEstimates } from "../../app/engine/evaluate.ts";
import type { Evaluation } from "../../app/engine/types.ts";
import { environmentBasis } from "../../app/estimate/basis.ts";
import { evaluateFiles, oneEnvironment } from "../helpers/evaluate.ts";

const object = (kind: string, name: string, namespace?: string, naming = "name") =>
  `apiVersion: v1\nkind: ${kind}\nmetadata:\n  ${naming}: ${name}\n${namespace ? `  namespace: ${namespace}\n` : ""}`;

const deployment = (replicas: number, cpu = "500m") => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: shop
spec:
  replicas: ${replicas}
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
        - name: web
          image: shop/web:1.4.2
          resources:
            requests: {cpu: ${cpu}, memory: 512Mi}
`;

const SAME_FILE =
  "later in the same file: kubectl and ArgoCD apply a file's documents in order, the last wins";
const ASSUMED =
  "assumed: the copy applied last, files in path order as kubectl apply -R reads them; no deploy path that applies both is known";

const warnings = (evaluation: Evaluation) =>
  evaluation.diagnostics
    .filter((d) => d.message.includes("is declared again"))
    .map((d) => `${d.file}:${d.line} ${d.message}`);

const uncounted = (evaluation: Evaluation) =>
  evaluation.resources.flatMap(({ resource, notCounted }) =>
    notCounted
      ? [
          `${resource.source.span.file}:${resource.source.span.startLine} → ${notCounted.counted.file}:${notCounted.counted.line}: ${notCounted.reason}`,
        ]
      : [],
  );

describe("an object an environment declares twice is counted once", () => {
  it.each<{ case: string; files: Record<string, string>; notCounted: string[] }>([
    {
      case: "in two files: the one later in path order, assumed",
      files: { "b.yaml": object("ConfigMap", "web", "shop"), "a.yaml": object("ConfigMap", "web", "shop") },
      notCounted: [`a.yaml:1 → b.yaml:1: ${ASSUMED}`],
    },
    {
      case: "in one file: the later document",
      files: { "a.yaml": `${object("ConfigMap", "web")}---\n${object("ConfigMap", "web")}` },
      notCounted: [`a.yaml:1 → a.yaml:6: ${SAME_FILE}`],
    },
    {
      case: "three times: each other copy names the one counted",
      files: {
        "shop/b.yaml": object("ConfigMap", "web"),
        "shop/a.yaml": object("ConfigMap", "web"),
        "shop/c.yaml": object("ConfigMap", "web"),
      },
      notCounted: [`shop/b.yaml:1 → shop/c.yaml:1: ${ASSUMED}`, `shop/a.yaml:1 → shop/c.yaml:1: ${ASSUMED}`],
    },
    {
      case: "in path order as a directory is walked, name by name (shop-a.yaml after shop/z.yaml)",
      files: { "shop-a.yaml": object("ConfigMap", "web"), "shop/z.yaml": object("ConfigMap", "web") },
      notCounted: [`shop/z.yaml:1 → shop-a.yaml:1: ${ASSUMED}`],
    },
    {
      case: "not when the namespaces differ",
      files: {
        "a.yaml": object("ConfigMap", "web", "shop"),
        "b.yaml": object("ConfigMap", "web", "shop-dev"),
      },
      notCounted: [],
    },
    {
      case: "not when the kinds differ",
      files: { "a.yaml": object("ConfigMap", "web"), "b.yaml": object("Secret", "web") },
      notCounted: [],
    },
    {
      case: "not for objects named by generateName, new each time",
      files: {
        "a.yaml": object("Pod", "migrate-", "shop", "generateName"),
        "b.yaml": object("Pod", "migrate-", "shop", "generateName"),
      },
      notCounted: [],
    },
  ])("$case", ({ files, notCounted }) => {
    const evaluation = evaluateFiles(files);
    expect(uncounted(evaluation)).toEqual(notCounted);
    expect(warnings(evaluation)).toEqual(
      notCounted.map((line) => {
        const [at, rest] = line.split(" → ") as [string, string];
        const [counted, reason] = [rest.slice(0, rest.indexOf(": ")), rest.slice(rest.indexOf(": ") + 2)];
        const id = evaluation.resources[0]?.resource.id;
        return `${at} ${id} is declared again at ${counted}: applied to one cluster they are one object, counted once, as the copy at ${counted} (${reason}); this copy is not counted`;
      }),
    );
  });

  it("in files no environment claims, only within one file: they may go to any cluster", () => {
    const basis = environmentBasis("", DEFAULT_SETTINGS, "");
    const files = {
      "apps/a/web.yaml": `${object("ConfigMap", "web")}---\n${object("ConfigMap", "web")}`,
      "apps/b/web.yaml": object("ConfigMap", "web"),
    };
    const evaluation = evaluate(
      Object.entries(files).map(([path, text]) => ({ path, text })),
      oneEnvironment(basis),
    );
    expect(uncounted(evaluation)).toEqual([`apps/a/web.yaml:1 → apps/a/web.yaml:6: ${SAME_FILE}`]);
  });

  it("counts the object once in the totals: the copy counted, whatever the other costs", () => {
    const once = sumEstimates(evaluateFiles({ "a.yaml": deployment(3) }).resources);
    const twice = evaluateFiles({ "b.yaml": deployment(3), "a.yaml": deployment(8, "2") });
    expect(once.monthlyCost).toBeGreaterThan(0);
    expect(sumEstimates(twice.resources)).toEqual(once);
    // The copy not counted keeps its own estimate, for the report to show.
    const other = twice.resources.find((r) => r.notCounted);
    expect(other?.estimate.monthlyCost).toBeGreaterThan(once.monthlyCost);
  });
});
