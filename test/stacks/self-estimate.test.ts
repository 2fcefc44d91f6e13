import { describe, expect, it } from "vitest";
import { greenops, json, PROJECT } from "../helpers/cli.ts";
import { expectGolden } from "../helpers/golden.ts";

type Resource = { id: string; environment: string | null; monthlyCost: { after: number | null } };

describe("GreenOps on its own stacks (greenops estimate stacks)", () => {
  it("renders the bill shown in README", () => {
    const run = greenops(PROJECT, "estimate", "stacks");
    expect(run.stderr).toBe("");
    expect(run.status).toBe(0);
    expectGolden("stacks-estimate.md", run.stdout);
  }, 60_000);

  it("prices the web, worker and Redis of each Pulumi stack, and the CDKTF stack it synthesizes", () => {
    const report = json(PROJECT, "estimate", "stacks");
    const priced = (report.resources as Resource[])
      .filter((resource) => (resource.monthlyCost.after ?? 0) > 0)
      .map((resource) => `${resource.environment ?? "-"} ${resource.id}`)
      .sort();
    expect(priced).toEqual([
      "- aws_elasticache_replication_group.greenops_redis",
      "prod Deployment/greenops/greenops-web",
      "prod Deployment/greenops/greenops-worker",
      "prod StatefulSet/greenops/greenops-redis",
      "staging Deployment/greenops/greenops-web",
      "staging Deployment/greenops/greenops-worker",
      "staging aws:elasticache/replicationGroup:ReplicationGroup::greenops-redis",
    ]);
  }, 60_000);
});
