import { afterAll, describe, expect, it } from "vitest";
import { untouchedScope } from "../../app/engine/review-scope.ts";
import type { ParsedFile } from "../../app/engine/types.ts";
import { environmentBasis } from "../../app/estimate/basis.ts";
import { kubernetes } from "../../app/iac/kubernetes/index.ts";
import { gitRevision, workingTree } from "../../app/source/snapshot.ts";
import { wordPatterns } from "../../app/source/word-search.ts";
import { PROD, parseLinked } from "../helpers/evaluate.ts";
import { tempRepo } from "../helpers/git-repo.ts";

const deployment = (n: number) => `apiVersion: apps/v1
kind: Deployment
metadata: { name: svc-${n}, namespace: team-${n % 7} }
spec:
  template:
    spec:
      containers: [{ name: app, image: "ghcr.io/example/svc-${n}:2.1.0", resources: { requests: { cpu: 100m } } }]
`;

const autoscaler = (n: number) => `apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata: { name: svc-${n}-hpa, namespace: team-${n % 7} }
spec:
  scaleTargetRef: { apiVersion: apps/v1, kind: Deployment, name: svc-${n} }
  minReplicas: 2
  maxReplicas: 8
`;

const TOUCHED = 1_000;
const repo = tempRepo();
for (let n = 0; n < 1_200; n++) repo.write(`apps/svc-${n}.yaml`, deployment(n));
for (let n = 0; n < TOUCHED; n++) repo.write(`scaling/svc-${n}.yaml`, autoscaler(n));
repo.commit("services and their autoscalers");
afterAll(() => repo.dispose());

describe("the untouched files a review of a thousand autoscalers reads", () => {
  const basis = environmentBasis("prod", PROD, "environments/prod/greenops.yml");
  const parsed: ParsedFile[] = Array.from({ length: TOUCHED }, (_, n) => ({
    path: `scaling/svc-${n}.yaml`,
    format: kubernetes,
    basis,
    result: parseLinked(autoscaler(n), PROD, `scaling/svc-${n}.yaml`),
  }));
  const touched = new Set(parsed.map((file) => file.path));
  const changes = parsed.map((file) => ({ path: file.path, status: "modified" as const }));

  it("are the files of their targets, not those of names they prefix (svc-1 of svc-1000)", async () => {
    const targets = Array.from({ length: TOUCHED }, (_, n) => `apps/svc-${n}.yaml`).sort();
    for (const snapshot of [workingTree(repo.root, true), gitRevision(repo.root, "HEAD")]) {
      const scope = await untouchedScope(parsed, changes, touched, snapshot);
      expect([...scope].sort(), snapshot.label).toEqual(targets);
    }
  });

  it("are searched with one pattern, not a pattern per target", () => {
    const { searches } = kubernetes.references?.(parsed.flatMap((file) => file.result.resources)) ?? {};
    const firsts = (searches ?? []).flatMap(([first = []]) => first);
    expect(firsts).toHaveLength(TOUCHED);
    expect(wordPatterns(firsts)).toHaveLength(1);
  });
});
