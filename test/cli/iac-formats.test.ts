import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { greenops, json, PROJECT } from "../helpers/cli.ts";
import { type TempRepo, tempRepo } from "../helpers/git-repo.ts";
import { expectGolden } from "../helpers/golden.ts";
import { planJson } from "../helpers/plan.ts";

type ReportResource = { id: string; monthlyCost: { before: number | null; after: number | null } };

describe("greenops estimate of a Terraform plan (Infracost's example plan and usage file)", () => {
  const fixture = "test/fixtures/terraform/infracost-example";

  it("prices each change from the plan's own before and after, by address", () => {
    const report = json(PROJECT, "estimate", fixture);
    expectGolden("estimate-terraform-plan.json", `${JSON.stringify(report, null, 2)}\n`);
    const byId = (id: string) => report.resources.find((r: ReportResource) => r.id === id);
    expect(byId("aws_instance.web_app")).toMatchObject({
      kind: "aws_instance",
      planAction: "create",
      change: "added",
      monthlyCost: { before: 0, after: 742.64 },
    });
    expect(byId("aws_lambda_function.hello_world").monthlyCost.after).toBeCloseTo(436.67, 2);
    expect(byId("aws_instance.zero_cost_instance").breakdown.after.unestimated).toContain(
      "reserved capacity",
    );
    expect(report.summary.monthlyCost.before).toBe(0);
  });

  it("renders the planned changes as markdown", () => {
    const run = greenops(PROJECT, "estimate", fixture);
    expect(run.status).toBe(0);
    expectGolden("estimate-terraform-plan.md", run.stdout);
  });
});

describe("greenops review of a plan file that a change updates", () => {
  let repo: TempRepo;

  beforeAll(() => {
    repo = tempRepo();
    repo.write(
      "infra/tfplan.json",
      planJson([{ address: "aws_instance.web", after: { instance_type: "t3.large" } }]),
    );
    repo.commit("first plan");
    repo.write(
      "infra/tfplan.json",
      planJson([
        {
          address: "aws_instance.web",
          before: { instance_type: "t3.large" },
          after: { instance_type: "m5.xlarge" },
        },
        { address: "aws_nat_gateway.egress", after: {} },
        { address: "aws_iam_role.app", after: { name: "app" } },
      ]),
    );
    repo.commit("scale up and add a NAT gateway");
  });

  afterAll(() => repo.dispose());

  it("shows the plan's changes, with before from change.before", () => {
    const report = json(repo.root, "review", "--base", "HEAD~1", "--head", "HEAD");
    const rows = report.resources.map((r: ReportResource & { change: string }) => [
      r.id,
      r.change,
      r.monthlyCost.before,
      r.monthlyCost.after,
    ]);
    expect(rows).toEqual([
      // t3.large 0.0832 or m5.xlarge 0.192 × 730 h, plus the default 8 GB gp2 root volume ($0.80).
      ["aws_instance.web", "changed", 61.536, 140.96],
      ["aws_nat_gateway.egress", "added", 0, 32.85],
      ["aws_iam_role.app", "added", 0, 0],
    ]);
    expect(report.summary.monthlyCost.delta).toBeCloseTo(140.96 - 61.536 + 32.85, 4);
  });
});

describe("greenops review of a Pulumi program whose stack config changes", () => {
  let repo: TempRepo;

  beforeAll(() => {
    repo = tempRepo({ from: join(PROJECT, "test/fixtures/pulumi/program"), to: "infra" });
    repo.commit("the shop's Pulumi program");
    const stack = join(repo.root, "infra/Pulumi.dev.yaml");
    repo.write(
      "infra/Pulumi.dev.yaml",
      readFileSync(stack, "utf8").replace('shop:replicas: "2"', 'shop:replicas: "4"'),
    );
    repo.commit("more API replicas in dev");
  });

  afterAll(() => repo.dispose());

  it("evaluates the program at both revisions and reports what the config changes", () => {
    const report = json(repo.root, "review", "--base", "HEAD~1", "--head", "HEAD");
    const changed = report.resources.filter((r: { change: string }) => r.change === "changed");
    expect(
      changed.map((r: ReportResource & { file: string; line: number }) => [r.id, r.file, r.line]),
    ).toEqual([["Deployment/shop/api", "infra/index.ts", 36]]);
    expect(changed[0].breakdown.before.replicas.count).toBe(2);
    expect(changed[0].breakdown.after.replicas.count).toBe(4);
  });

  it("says it did not run the program with --no-programs", () => {
    const report = json(repo.root, "review", "--base", "HEAD~1", "--head", "HEAD", "--no-programs");
    expect(report.resources).toEqual([]);
    expect(report.diagnostics).toEqual([
      expect.objectContaining({
        file: "infra/Pulumi.yaml",
        message: "the Pulumi program is not evaluated: greenops ran with --no-programs",
      }),
    ]);
  });
});

describe("greenops review of programs whose source changes", () => {
  let repo: TempRepo;

  beforeAll(() => {
    repo = tempRepo({ from: join(PROJECT, "test/fixtures/pulumi/program"), to: "pulumi" });
    cpSync(join(PROJECT, "test/fixtures/cdktf/app"), join(repo.root, "cdktf"), { recursive: true });
    repo.write(
      "cdktf/cdktf.json",
      '{ "language": "typescript", "app": "npx ts-node main.ts", "context": { "greenops:synth": true } }\n',
    );
    repo.commit("a Pulumi program and a CDKTF app");
    const edit = (path: string, from: string, to: string) =>
      repo.write(path, readFileSync(join(repo.root, path), "utf8").replace(from, to));
    edit("pulumi/index.ts", 'memory: "512Mi"', 'memory: "1Gi"');
    edit("cdktf/main.ts", "volume_size: 50", "volume_size: 80");
    repo.commit("more memory for the API, a larger root volume for web");
  });

  afterAll(() => repo.dispose());

  it("lists the programs' other resources as unchanged, as for a changed manifest", () => {
    const report = json(repo.root, "review", "--base", "HEAD~1", "--head", "HEAD");
    const rows = (prefix: string) =>
      [
        ...new Set(
          report.resources
            .filter((r: { file: string }) => r.file.startsWith(prefix))
            .map((r: { id: string; change: string }) => `${r.id} ${r.change}`),
        ),
      ].sort();
    expect(rows("pulumi/")).toEqual([
      "Deployment/shop/api changed",
      "Service/shop/api unchanged",
      "aws:autoscaling/group:Group::workers unchanged",
      "aws:ec2/instance:Instance::web unchanged",
      "aws:ec2/launchTemplate:LaunchTemplate::workers unchanged",
      "aws:rds/instance:Instance::db unchanged",
    ]);
    expect(rows("cdktf/")).toEqual([
      "aws_autoscaling_group.workers unchanged",
      "aws_ebs_volume.cache[0] unchanged",
      "aws_ebs_volume.cache[1] unchanged",
      "aws_iam_role.app unchanged",
      "aws_instance.eu_web unchanged",
      "aws_instance.web changed",
      "aws_launch_template.workers_template unchanged",
    ]);
    expect(report.summary.unchangedResourcesNotShown).toBe(0);
  });
});

describe("greenops review of a Kustomize base that overlays include", () => {
  let repo: TempRepo;

  beforeAll(() => {
    repo = tempRepo({ from: join(PROJECT, "test/fixtures/kustomize/shop"), to: "apps/shop" });
    repo.commit("the shop, with dev and prod overlays");
    const api = join(repo.root, "apps/shop/base/api.yaml");
    repo.write("apps/shop/base/api.yaml", readFileSync(api, "utf8").replace("memory: 256Mi", "memory: 1Gi"));
    repo.commit("more memory for the API");
  });

  afterAll(() => repo.dispose());

  it("renders every overlay at both revisions and shows each change at the base's line", () => {
    const report = json(repo.root, "review", "--base", "HEAD~1", "--head", "HEAD");
    const changed = report.resources
      .filter((r: { change: string }) => r.change === "changed")
      .map((r: { id: string; file: string; line: number }) => [r.id, r.file, r.line]);
    expect(changed).toEqual([
      ["Deployment/shop-dev/api", "apps/shop/base/api.yaml", 2],
      ["Deployment/shop-prod/prod-api", "apps/shop/base/api.yaml", 2],
    ]);
  });
});

describe("greenops review in a repository whose environments ArgoCD deploys", () => {
  let repo: TempRepo;

  beforeAll(() => {
    repo = tempRepo({ from: join(PROJECT, "test/fixtures/argocd/repo"), to: "." });
    repo.commit("platform repository");
    const search = join(repo.root, "teams/search/deployment.yaml");
    repo.write(
      "teams/search/deployment.yaml",
      readFileSync(search, "utf8").replace("replicas: 2", "replicas: 5"),
    );
    const exporter = join(repo.root, "platform/monitoring/node-exporter.yaml");
    repo.write(
      "platform/monitoring/node-exporter.yaml",
      readFileSync(exporter, "utf8").replace("cpu: 100m", "cpu: 200m"),
    );
    repo.commit("scale search, give node-exporter more CPU");
  });

  afterAll(() => repo.dispose());

  it("groups the change and its findings by Application and environment", () => {
    const run = greenops(repo.root, "review", "--base", "HEAD~1", "--head", "HEAD");
    expect(run.status).toBe(0);
    expectGolden("review-argocd.md", run.stdout);
    const report = json(repo.root, "review", "--base", "HEAD~1", "--head", "HEAD");
    expect(
      report.summary.applications.map(
        (a: { application: { name: string }; environment: string; findings: number }) => [
          a.application.name,
          a.environment,
          a.findings,
        ],
      ),
    ).toEqual([
      ["monitoring-dev", "dev", 1],
      ["monitoring-prod", "prod", 1],
      ["team-search", "prod", 1],
    ]);
  });
});

describe("catalog ages", () => {
  it("flags the catalogs older than --max-catalog-age days, with each one's age", () => {
    const report = json(
      PROJECT,
      "estimate",
      "test/fixtures/terraform/infracost-example",
      "--max-catalog-age",
      "800",
    );
    expect(report.catalogs).toEqual({ today: "2026-11-23", maxAgeDays: 800 });
    expect(
      report.sources.map((s: { id: string; ageDays: number; stale: boolean }) => [s.id, s.ageDays, s.stale]),
    ).toEqual([
      ["aws-ebs-prices", 875, true],
      ["aws-ec2-prices", 126, false],
      ["aws-lambda-prices", 875, true],
      ["ccf-constants", 973, true],
      ["ccf-instance-coefficients", 973, true],
      ["ccf-region-emission-factors", 973, true],
    ]);
  });

  it("refuses an age that is not a number of days", () => {
    const run = greenops(PROJECT, "estimate", ".", "--max-catalog-age", "six months");
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('--max-catalog-age takes a number of days, not "six months"');
  });
});

describe("greenops estimate of one file", () => {
  it("estimates a plan file given by its path, inside or outside a git repository", () => {
    const inRepo = json(PROJECT, "estimate", "test/fixtures/terraform/infracost-example/plan.json");
    const outside = mkdtempSync(join(tmpdir(), "greenops-plan-"));
    try {
      writeFileSync(
        join(outside, "tfplan.json"),
        readFileSync(join(PROJECT, "test/fixtures/terraform/infracost-example/plan.json")),
      );
      const alone = json(outside, "estimate", "tfplan.json");
      const ids = (report: { resources: { id: string }[] }) => report.resources.map((r) => r.id).sort();
      expect(ids(alone)).toEqual(ids(inRepo));
      expect(alone.resources[0].file).toBe("tfplan.json");
    } finally {
      rmSync(outside, { recursive: true, force: true });
    }
  });
});
