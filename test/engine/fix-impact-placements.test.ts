import { describe, expect, it } from "vitest";
import type { Environments, Placement } from "../../app/engine/environments.ts";
import { evaluate } from "../../app/engine/evaluate.ts";
import { impactMeter } from "../../app/engine/fix-impact.ts";
import { environmentBasis } from "../../app/estimate/basis.ts";
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
