import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { json } from "../helpers/cli.ts";
import { type TempRepo, tempRepo } from "../helpers/git-repo.ts";

/**
 * What a fix saves in a review, when it changes resources the review does not show (a fix of the
 * environment's settings changes every resource of it). Before, the check's totals were those of the
 * shown rows: the fixed side showed every resource it changed, the baseline only the changed one, so
 * a switch to cheaper nodes "cost" the others' whole figures (+$233.22/month on this repository's prod).
 */
const SETTINGS = (nodes: string, count: number) =>
  `cloud: aws\nregion: us-east-1\nnodeInstanceType: ${nodes}\nnodeCount: ${count}\ncurrency: USD\n`;

const workload = (kind: string, name: string, cpu: string) => `apiVersion: apps/v1
kind: ${kind}
metadata: { name: ${name}, namespace: shop }
spec:
  ${kind === "Deployment" ? "replicas: 3" : "updateStrategy: { type: RollingUpdate }"}
  template:
    spec:
      containers:
        - name: ${name}
          image: ${name}:1
          resources:
            requests: { cpu: "${cpu}", memory: 2Gi }
            limits: { memory: 2Gi }
`;

type Finding = {
  policy: string;
  fix: { impact: { monthlyCost: number; monthlyCarbonKg: number } | null } | null;
};

describe("the saving of a fix that changes resources a review does not show", () => {
  let repo: TempRepo;

  beforeEach(() => {
    repo = tempRepo();
    repo.write("environments/prod/greenops.yml", SETTINGS("m5.xlarge", 6));
    repo.write("environments/prod/api.yaml", workload("Deployment", "api", "1"));
    repo.write("environments/prod/worker.yaml", workload("Deployment", "worker", "2"));
    // one pod a node: the one resource a change of the node count changes, so the one row shown
    repo.write("environments/prod/agent.yaml", workload("DaemonSet", "agent", "100m"));
    repo.commit("prod");
  });

  afterEach(() => repo.dispose());

  /** The estimate's totals with the environment on these nodes. */
  function estimated(nodes: string, count: number): number {
    repo.write("environments/prod/greenops.yml", SETTINGS(nodes, count));
    return json(repo.root, "estimate").summary.monthlyCost.after;
  }

  it("is what the fixed nodes change for every resource the review read, shown or not", () => {
    const expected = estimated("m6g.xlarge", 7) - estimated("m5.xlarge", 7);
    expect(expected).toBeLessThan(0);
    repo.write("environments/prod/greenops.yml", SETTINGS("m5.xlarge", 7));
    const report = json(repo.root, "review");
    expect(report.resources.map((r: { id: string }) => r.id)).toEqual(["DaemonSet/shop/agent"]);
    const arm = (report.findings as Finding[]).find((f) => f.policy === "prefer-arm");
    expect(arm?.fix?.impact?.monthlyCost).toBeCloseTo(expected, 2);
  });
});
