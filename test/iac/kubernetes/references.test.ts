import { describe, expect, it } from "vitest";
import { manifestReferences } from "../../../app/iac/kubernetes/references.ts";
import { PROD, parseLinked } from "../../helpers/evaluate.ts";

const deployment = (n: number) => `---
apiVersion: apps/v1
kind: Deployment
metadata: { name: svc-${n}, namespace: team-${n % 3} }
spec:
  template:
    spec:
      containers: [{ name: app, image: example/app:1, resources: { requests: { cpu: 250m } } }]
`;

describe("what a review searches for beside touched manifests", () => {
  it("searches the names as a later list: a first list shares git grep -o, which thousands of words would stall", () => {
    const { resources } = parseLinked(Array.from({ length: 2_000 }, (_, n) => deployment(n)).join(""), PROD);
    const { searches, copies = [] } = manifestReferences(resources);
    for (const [first = []] of [...searches, ...copies]) expect(first.length).toBeLessThanOrEqual(3);
    const names = resources.map((r) => r.name);
    // the autoscalers naming a touched workload, and the other copies of touched objects: one name list
    expect(searches).toContainEqual([["HorizontalPodAutoscaler"], names]);
    expect(copies).toEqual([[[], names]]);
    expect(searches).toContainEqual([["LimitRange"], ["team-0", "team-1", "team-2"]]);
  });
});
