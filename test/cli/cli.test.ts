import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { greenops, json, PROJECT } from "../helpers/cli.ts";
import { type TempRepo, tempRepo } from "../helpers/git-repo.ts";
import { expectGolden } from "../helpers/golden.ts";

describe("greenops estimate on the repository's own environments", () => {
  it("renders the sample report shown in README", () => {
    const run = greenops(PROJECT, "estimate", "environments");
    expect(run.status).toBe(0);
    expectGolden("estimate-environments.md", run.stdout);
  });

  it("writes JSON that follows docs/report-schema.json", () => {
    const report = json(PROJECT, "estimate", "environments");
    expectGolden("estimate-environments.json", `${JSON.stringify(report, null, 2)}\n`);
    expect(report.summary.monthlyCost.before).toBeNull();
    expect(report.summary.environments.map((e: { name: string }) => e.name).sort()).toEqual([
      "dev",
      "prod",
      "staging",
    ]);
  });
});

describe("greenops review in a repository with two commits", () => {
  let repo: TempRepo;

  beforeAll(() => {
    repo = tempRepo({ from: join(PROJECT, "environments"), to: "environments" });
    repo.commit("environments as in the GreenOps repository");
    const api = join(repo.root, "environments/prod/shop/api.yaml");
    repo.write(
      "environments/prod/shop/api.yaml",
      readFileSync(api, "utf8").replace("cpu: 500m", "cpu: 750m").replace("minReplicas: 3", "minReplicas: 4"),
    );
    const postgres = join(repo.root, "environments/staging/shop/postgres.yaml");
    repo.write(
      "environments/staging/shop/postgres.yaml",
      readFileSync(postgres, "utf8").replace(
        "storageClassName: gp2 # legacy class, still gp2 here",
        "storageClassName: gp3",
      ),
    );
    repo.write("environments/prod/shop/search.yaml", SEARCH);
    repo.git("mv", "environments/dev/shop/api.yaml", "environments/dev/shop/storefront.yaml");
    repo.remove("environments/prod/shop/nightly-report.yaml");
    repo.write(
      "environments/prod/shop/broken.yaml",
      "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: [unclosed\n",
    );
    repo.write("environments/prod/shop/blob.yaml", Buffer.from([0x61, 0x70, 0x69, 0, 1, 2, 3]));
    repo.write("environments/prod/shop/worker-autoscaler.yaml", WORKER_AUTOSCALER);
    repo.write("README.md", "not IaC\n");
    repo.commit("scale the API, add search, move gp2 to gp3, retire the nightly report");
  });

  afterAll(() => repo.dispose());

  it("reports the change resource by resource", () => {
    const run = greenops(repo.root, "review", "--base", "HEAD~1", "--head", "HEAD");
    expect(run.status).toBe(0);
    expectGolden("review-two-commits.md", run.stdout);
  });

  it("writes the same review as JSON with the fixed field names", () => {
    const report = json(repo.root, "review", "--base", "HEAD~1", "--head", "HEAD");
    expectGolden("review-two-commits.json", `${JSON.stringify(report, null, 2)}\n`);
    const byId = (id: string, environment: string) =>
      report.resources.find(
        (r: { id: string; environment: string }) => r.id === id && r.environment === environment,
      );
    expect(byId("Deployment/shop/api", "prod")).toMatchObject({
      change: "changed",
      file: "environments/prod/shop/api.yaml",
      line: 2,
    });
    expect(byId("Deployment/shop/search", "prod")).toMatchObject({
      change: "added",
      monthlyCost: { before: 0 },
    });
    expect(byId("CronJob/shop/nightly-report", "prod")).toMatchObject({
      change: "removed",
      monthlyCost: { after: 0 },
    });
    expect(byId("StatefulSet/shop/postgres", "staging").monthlyCost.delta).toBeCloseTo(-1, 4);
    const worker = byId("Deployment/shop/worker", "prod");
    expect(worker).toMatchObject({ change: "changed", file: "environments/prod/shop/worker.yaml" });
    expect(worker.breakdown.after.replicas).toEqual({
      count: 3,
      min: 3,
      max: 6,
      basis: "autoscaler",
      by: "HorizontalPodAutoscaler/shop/worker",
    });
    expect(byId("Deployment/shop-dev/api", "dev")).toMatchObject({
      change: "unchanged",
      file: "environments/dev/shop/storefront.yaml",
    });
    const { monthlyCost } = report.summary;
    expect(monthlyCost.delta).toBeCloseTo(monthlyCost.after - monthlyCost.before, 3);
    expect(report.diagnostics).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ file: "environments/prod/shop/broken.yaml", line: 4, severity: "error" }),
        expect.objectContaining({
          file: "environments/prod/shop/blob.yaml",
          message: expect.stringContaining("binary"),
        }),
        expect.objectContaining({
          file: "environments/prod/shop/nightly-report.yaml",
          message: expect.stringContaining("deleted"),
        }),
        expect.objectContaining({
          file: "environments/dev/shop/storefront.yaml",
          message: expect.stringContaining("renamed from"),
        }),
      ]),
    );
  });

  it("reviews uncommitted changes against HEAD by default on the default branch", () => {
    const api = join(repo.root, "environments/staging/shop/api.yaml");
    const original = readFileSync(api, "utf8");
    writeFileSync(api, original.replace("replicas: 2", "replicas: 5"));
    try {
      const report = json(repo.root, "review");
      expect(report.base.reason).toBe("HEAD (uncommitted changes)");
      expect(report.head.ref).toBe("working tree");
      expect(report.resources.map((r: { id: string; change: string }) => [r.id, r.change])).toEqual([
        ["Deployment/shop/api", "changed"],
        ["Service/shop/api", "unchanged"],
      ]);
      expect(report.resources[0].breakdown.after.replicas).toEqual({ count: 5, basis: "spec" });
    } finally {
      writeFileSync(api, original);
    }
  });

  it("reviews the last commit when the working tree is clean", () => {
    const report = json(repo.root, "review");
    expect(report.base.reason).toBe("HEAD~1 (the last commit)");
    expect(report.summary.resources.added).toBe(3);
  });

  it("re-estimates resources an environment setting changes, though their files are untouched", () => {
    const settings = join(repo.root, "environments/staging/greenops.yml");
    const original = readFileSync(settings, "utf8");
    writeFileSync(
      settings,
      original.replace("nodeCount: 3", "nodeCount: 3\njobRunMinutes: 20").replace("m6g.large", "m5.large"),
    );
    try {
      const report = json(repo.root, "review", "--base", "HEAD");
      const changed = report.resources
        .filter((r: { change: string }) => r.change === "changed")
        .map((r: { id: string }) => r.id);
      expect(changed).toEqual(expect.arrayContaining(["Deployment/shop/api", "StatefulSet/shop/postgres"]));
      expect(report.resources.every((r: { environment: string }) => r.environment === "staging")).toBe(true);
    } finally {
      writeFileSync(settings, original);
    }
  });

  it.each([
    [["review", "--base", "no-such-ref"], '"no-such-ref" is not a commit'],
    [
      ["review", "--env", "qa"],
      "--env qa: there is no environments/qa/greenops.yml (known: dev, prod, staging)",
    ],
    [["review", "--ref", "HEAD"], "greenops review has no --ref option"],
    [["review", "--format", "yaml"], "--format must be markdown or json"],
    [
      ["estimate", "--telemetry-window", "2 weeks"],
      '--telemetry-window must be a duration: a whole number and one of s, m, h, d, w (90s, 10m, 14d); got "2 weeks"',
    ],
    [["deploy"], 'unknown command "deploy"'],
    [["estimate", "--bogus"], "Unknown option '--bogus'"],
    [["estimate", "nope.yaml"], "greenops: nope.yaml: no such file or directory"],
    // What a script passes when its variable is unset: never read as "not given".
    [["review", "--base", ""], "--base was given an empty value"],
    [["review", "--base="], "--base was given an empty value"],
    [["estimate", "--ref", ""], "--ref was given an empty value"],
    [["review", "--env", ""], "--env was given an empty value"],
    [["fix", "--all", ""], "--all was given an empty value"],
    [["estimate", "--prometheus", ""], "--prometheus was given an empty value"],
    [["estimate", ""], "greenops estimate was given an empty path"],
  ])("exits 2 with a clear message for %j", (args, message) => {
    const run = greenops(repo.root, ...args);
    expect(run.status).toBe(2);
    expect(run.stdout).toBe("");
    expect(run.stderr).toContain(message);
  });
});

describe("greenops estimate outside git, with hostile files", () => {
  it("reports a 50 MB file and a binary file, and estimates the rest", () => {
    const dir = mkdtempSync(join(tmpdir(), "greenops-plain-"));
    try {
      writeFileSync(
        join(dir, "huge.yaml"),
        `apiVersion: v1\nkind: ConfigMap\ndata:\n  blob: "${"x".repeat(50 * 1024 * 1024)}"\n`,
      );
      writeFileSync(join(dir, "image.yml"), Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 0]));
      writeFileSync(join(dir, "web.yaml"), SEARCH);
      const report = json(dir, "estimate");
      expect(report.resources.map((r: { id: string }) => r.id)).toEqual([
        "Deployment/shop/search",
        "PersistentVolumeClaim/shop/search-data",
      ]);
      expect(report.diagnostics).toEqual(
        expect.arrayContaining([
          {
            file: "huge.yaml",
            line: 1,
            severity: "warning",
            message: "file is 50.0 MiB, above the 10 MiB limit; not read",
          },
          {
            file: "image.yml",
            line: 1,
            severity: "warning",
            message: "binary file (it contains NUL bytes); not read",
          },
        ]),
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("greenops estimate of one file", () => {
  it("estimates it in its environment, from any directory", () => {
    const report = json(PROJECT, "estimate", "environments/prod/shop/worker.yaml");
    expect(report.resources.map((r: { id: string; environment: string }) => [r.id, r.environment])).toEqual([
      ["Deployment/shop/worker", "prod"],
    ]);
  });
});

describe("greenops fix on a change to the sample environments", () => {
  let repo: TempRepo;
  const added = "environments/staging/shop/search.yaml";

  beforeEach(() => {
    repo = tempRepo({ from: join(PROJECT, "environments"), to: "environments" });
    repo.commit("environments as in the GreenOps repository");
    repo.write(added, SEARCH.replace("storageClassName: gp3", "storageClassName: gp2 # as in 2021"));
  });

  afterEach(() => repo.dispose());

  it("prints the diff and the saving with --dry-run, and writes nothing", () => {
    const run = greenops(repo.root, "fix", "--dry-run");
    expect(run.stderr).toBe("");
    expect(run.status).toBe(0);
    expectGolden("fix-dry-run.txt", run.stdout);
    expect(readFileSync(join(repo.root, added), "utf8")).toContain("gp2 # as in 2021");
  });

  it("writes the verified fixes; a second run finds nothing left to fix", () => {
    const dry = greenops(repo.root, "fix", "--dry-run").stdout;
    const run = greenops(repo.root, "fix");
    expect(run.status).toBe(0);
    expect(run.stdout).toBe(dry.replace("would apply", "applied").replace(" (dry run: nothing written)", ""));
    const fixed = readFileSync(join(repo.root, added), "utf8");
    expect(fixed).toContain("storageClassName: gp3 # as in 2021");
    expect(greenops(repo.root, "fix", "--dry-run").stdout).toMatch(
      /^greenops fix: would apply 0 fixes in 0 files\n/m,
    );
  });

  it("applies only safe fixes with --safe", () => {
    const run = greenops(repo.root, "fix", "--safe");
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/^greenops fix: applied 1 fix in 1 file$/m);
    expect(run.stdout).toMatch(/storage-class: Use StorageClass gp3$/m);
  });
});

describe("exit status", () => {
  let repo: TempRepo;

  beforeAll(() => {
    repo = tempRepo({ from: join(PROJECT, "environments"), to: "environments" });
    const settings = join(repo.root, "environments/prod/greenops.yml");
    writeFileSync(settings, `${readFileSync(settings, "utf8")}budgets:\n  monthlyCost: 100\n`);
    repo.commit("a prod budget the environment is over");
  });

  afterAll(() => repo.dispose());

  it("is 1 when a finding blocks (an environment over its budget), with the finding in the report", () => {
    const run = greenops(repo.root, "estimate");
    expect(run.status).toBe(1);
    expect(run.stdout).toContain(
      "| ❌ error | `cost-budget-total` | `environments/prod/shop/postgres.yaml:1` | prod would cost $358.40 a month, above the budget of $100.00 (most: StatefulSet/shop/postgres $172.16) | — |",
    );
  });

  it("is 0 when the blocking policy is turned off in .github/greenops.yml", () => {
    repo.write(".github/greenops.yml", "policies:\n  cost-budget-total: off\n");
    try {
      expect(greenops(repo.root, "estimate").status).toBe(0);
    } finally {
      repo.remove(".github/greenops.yml");
    }
  });

  it("is 1 when the configuration is invalid, naming the file and line", () => {
    repo.write(".github/greenops.yml", "policies:\n  cost-budget-totl: off\n");
    try {
      const run = greenops(repo.root, "estimate");
      expect(run.status).toBe(1);
      expect(run.stdout).toContain(
        '| ❌ error | `configuration` | `.github/greenops.yml:2` | unknown policy "cost-budget-totl": did you mean "cost-budget-total"? |',
      );
    } finally {
      repo.remove(".github/greenops.yml");
    }
  });
});

describe("greenops review of a resource that was not priced before", () => {
  let repo: TempRepo;
  const settings = (purchase: string) =>
    `cloud: aws\nregion: us-east-1\nnodeInstanceType: m5.xlarge\ncurrency: USD\npurchaseOption: ${purchase}\n`;

  beforeAll(() => {
    repo = tempRepo();
    repo.write("environments/staging/greenops.yml", settings("spot"));
    repo.write("environments/staging/search.yaml", SEARCH);
    repo.commit("search on spot nodes, which no catalog prices");
    repo.write("environments/staging/greenops.yml", settings("on-demand"));
    repo.commit("back to on-demand nodes");
  });

  afterAll(() => repo.dispose());

  it("shows before: null, never 0, and no delta", () => {
    const report = json(repo.root, "review", "--base", "HEAD~1", "--head", "HEAD");
    const search = report.resources.find((r: { id: string }) => r.id === "Deployment/shop/search");
    expect(search.change).toBe("changed");
    expect(search.monthlyCost).toEqual({
      before: null,
      after: expect.any(Number),
      delta: null,
      deltaPercent: null,
    });
    expect(search.monthlyCost.after).toBeGreaterThan(0);
    const markdown = greenops(repo.root, "review", "--base", "HEAD~1", "--head", "HEAD").stdout;
    expect(markdown).toMatch(
      /\| `Deployment\/shop\/search` \| staging \| [^|]+ \| not priced → \$[\d,.]+ \| — \|/,
    );
  });
});

describe("help", () => {
  it.each([["--help"], ["help", "review"], ["review", "--help"], ["estimate", "-h"]])(
    "greenops %j",
    (...args) => {
      const run = greenops(PROJECT, ...args);
      expect(run.status).toBe(0);
      expect(run.stdout).toMatch(/^(greenops:|Usage: greenops)/);
    },
  );
});

const WORKER_AUTOSCALER = `apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata:
  name: worker
  namespace: shop
spec:
  scaleTargetRef:
    apiVersion: apps/v1
    kind: Deployment
    name: worker
  minReplicas: 3
  maxReplicas: 6
`;

const SEARCH = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: search
  namespace: shop
spec:
  replicas: 2
  template:
    spec:
      containers:
        - name: opensearch
          image: opensearchproject/opensearch:2.18.0
          resources:
            requests:
              cpu: "1"
              memory: 4Gi
---
apiVersion: v1
kind: PersistentVolumeClaim
metadata:
  name: search-data
  namespace: shop
spec:
  storageClassName: gp3
  resources:
    requests:
      storage: 100Gi
`;
