import { describe, expect, it } from "vitest";
import type { Environments, Placement } from "../../app/engine/environments.ts";
import { evaluate } from "../../app/engine/evaluate.ts";
import type { Finding } from "../../app/engine/finding.ts";
import { applyEdits } from "../../app/engine/fix-edits.ts";
import { impactMeter, MEASURED_FIXES_MAX, measureFixes } from "../../app/engine/fix-impact.ts";
import { environmentBasis } from "../../app/estimate/basis.ts";
import { fileStart } from "../../app/model/span.ts";
import { oneEnvironment, PROD } from "../helpers/evaluate.ts";

const manifest = (replicas: number) => `apiVersion: apps/v1
kind: Deployment
metadata: { name: api }
spec:
  replicas: ${replicas}
  template:
    spec:
      containers:
        - name: api
          image: api:1
          resources: { requests: { cpu: "1", memory: 2Gi } }
`;

const basis = environmentBasis("prod", PROD, "environments/prod/greenops.yml");

function environments(placements?: Placement[]): Environments {
  return oneEnvironment(basis, placements ? { placements: () => placements } : {});
}

const application = (name: string) => ({ name, file: "apps.yaml", line: 1, cluster: name, revision: "HEAD" });

describe("what a fix saves, for a file two ArgoCD Applications deploy", () => {
  it("counts the fix once per Application, each in its destination namespace", () => {
    const text = new Map([["api.yaml", manifest(4)]]);
    const single = impactMeter(evaluate([{ path: "api.yaml", text: manifest(2) }], environments()))(text);
    const placements: Placement[] = ["east", "west"].map((name) => ({
      basis,
      application: application(name),
      defaultNamespace: name,
    }));
    const evaluation = evaluate([{ path: "api.yaml", text: manifest(2) }], environments(placements));
    expect(evaluation.resources.map((r) => r.resource.id)).toEqual([
      "Deployment/east/api",
      "Deployment/west/api",
    ]);
    const twice = impactMeter(evaluation)(text);
    expect(single?.monthlyCost).toBeGreaterThan(0);
    expect(twice?.monthlyCost).toBeCloseTo(2 * (single?.monthlyCost ?? 0), 6);
    expect(twice?.monthlyCarbonKg).toBeCloseTo(2 * (single?.monthlyCarbonKg ?? 0), 6);
  });
});

/** Several documents as a generated manifest has them: workloads, an autoscaler, a List, an empty one. */
const MANY = `# Generated: the shop, rendered in one file.
apiVersion: apps/v1
kind: Deployment
metadata: { name: web, namespace: shop }
spec:
  replicas: 2
  template:
    spec:
      containers:
        - name: web
          image: web:1
          resources: { requests: { cpu: 500m, memory: 512Mi } }
---
# the worker scales on queue depth
apiVersion: apps/v1
kind: Deployment
metadata:
  name: worker
  namespace: shop
spec:
  replicas: 1
  template:
    spec:
      containers:
        - name: worker
          image: worker:1
          resources:
            requests:
              cpu: "1"
              memory: 1Gi
---
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata: { name: worker, namespace: shop }
spec:
  scaleTargetRef: { apiVersion: apps/v1, kind: Deployment, name: worker }
  minReplicas: 3
  maxReplicas: 6
---
---
apiVersion: v1
kind: List
items:
  - apiVersion: apps/v1
    kind: Deployment
    metadata: { name: cron-runner, namespace: shop }
    spec:
      replicas: 1
      template:
        spec:
          containers:
            - name: runner
              image: runner:1
              resources: { requests: { cpu: 250m, memory: 256Mi } }
--- # the last one
apiVersion: apps/v1
kind: Deployment
metadata: { name: last, namespace: shop }
spec:
  replicas: 4
  template:
    spec:
      containers:
        - name: last
          image: last:1
          resources: { requests: { cpu: 100m, memory: 128Mi } }
`;

const at = (text: string, find: string, replace: string, file = "all.yaml") => {
  const start = text.indexOf(find);
  return { file, start, end: start + find.length, text: replace };
};

describe("what a fix saves in one document of a generated manifest", () => {
  const crlf = (text: string) => text.replaceAll("\n", "\r\n");
  it.each([
    ["the first document's replicas", MANY, [at(MANY, "replicas: 2", "replicas: 1")]],
    ["an autoscaled workload's requests", MANY, [at(MANY, 'cpu: "1"', "cpu: 500m")]],
    ["the autoscaler's minimum", MANY, [at(MANY, "minReplicas: 3", "minReplicas: 1")]],
    ["a List's item, after an empty document", MANY, [at(MANY, "cpu: 250m", "cpu: 2")]],
    ["the last document, on its marker's line", MANY, [at(MANY, "replicas: 4", "replicas: 8")]],
    [
      "two documents at once",
      MANY,
      [at(MANY, "replicas: 2", "replicas: 1"), at(MANY, "replicas: 4", "replicas: 8")],
    ],
    [
      "a file with a directive",
      `%YAML 1.2\n---\n${MANY}`,
      [at(`%YAML 1.2\n---\n${MANY}`, "replicas: 4", "replicas: 8")],
    ],
    ["CRLF line breaks", crlf(MANY), [at(crlf(MANY), "replicas: 4", "replicas: 8")]],
  ])("is what parsing the whole file again says: %s", (_, text, edits) => {
    const evaluation = evaluate([{ path: "all.yaml", text }], environments());
    const edited = new Map([["all.yaml", applyEdits(text, edits)]]);
    const whole = impactMeter(evaluation)(edited);
    const piece = impactMeter(evaluation)(edited, edits);
    expect(whole?.monthlyCost).not.toBe(0);
    expect(piece?.monthlyCost).toBeCloseTo(whole?.monthlyCost ?? Number.NaN, 9);
    expect(piece?.monthlyCarbonKg).toBeCloseTo(whole?.monthlyCarbonKg ?? Number.NaN, 9);
  });
});

describe("which fixes of a review have their saving measured", () => {
  const finding = (line: number, extra: Partial<Finding> = {}): Finding => ({
    policy: "limits-ratio",
    severity: "warning",
    message: `container ${line} sets no memory limit`,
    location: { ...fileStart("all.yaml"), startLine: line, endLine: line },
    fix: {
      title: "Limit memory",
      kind: "suggestion",
      edits: [{ file: "all.yaml", start: line, end: line, text: "limits" }],
    },
    ...extra,
  });

  it.each([
    ["a review of a few fixes: each", 3, [], 3],
    [
      "a generated file's thousands: the first ones, in report order",
      MEASURED_FIXES_MAX + 500,
      [],
      MEASURED_FIXES_MAX,
    ],
    [
      "suppressed fixes and fixes to make by hand: none, and they do not count",
      MEASURED_FIXES_MAX,
      [
        finding(0, { suppressed: { reason: "sized by the batch team", location: fileStart("all.yaml") } }),
        finding(0, { fix: { title: "Set it by hand", kind: "suggestion", edits: [] } }),
      ],
      MEASURED_FIXES_MAX,
    ],
  ])("%s", async (_, count, others, measured) => {
    const findings = [...others, ...Array.from({ length: count }, (_, i) => finding(i + 1))];
    const asked: number[] = [];
    await measureFixes(findings, async (edits) => {
      asked.push(edits[0]?.start ?? -1);
      return { monthlyCost: -1, monthlyCarbonKg: -0.1 };
    });
    expect(asked).toEqual(Array.from({ length: measured }, (_, i) => i + 1));
    expect(findings.filter((f) => f.fix?.impact).length).toBe(measured);
  });
});
