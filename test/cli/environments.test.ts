import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { exampleDeployment } from "../../app/telemetry/example-usage.ts";
import { greenops, json } from "../helpers/cli.ts";
import { type TempRepo, tempRepo } from "../helpers/git-repo.ts";

/** Six replicas all week: what replicas-cap and nonprod-schedule would act on outside production. */
const deployment = (name: string) =>
  exampleDeployment(
    name,
    6,
    '            requests: { cpu: "1", memory: 2Gi }\n            limits: { memory: 2Gi }\n',
  );

const SETTINGS = "cloud: aws\nregion: us-east-1\nnodeInstanceType: m6g.xlarge\ncurrency: USD\n";

type Finding = { policy: string; file: string; message: string };
type Environment = { name: string | null; kind: string; settingsFile: string | null };

describe("what GreenOps assumes about environments", () => {
  let repo: TempRepo;

  beforeAll(() => {
    repo = tempRepo();
    // no configuration at all: a manifest outside environments/, and environment folders without settings
    repo.write("k8s/checkout.yaml", deployment("checkout"));
    for (const name of ["prod", "prd", "live", "qa", "eu-prod"])
      repo.write(`environments/${name}/checkout.yaml`, deployment("checkout"));
    // settings files: one says nothing (non-production by default), one says production: false
    repo.write("environments/dev/greenops.yml", SETTINGS);
    repo.write("environments/dev/checkout.yaml", deployment("checkout"));
    repo.write("environments/demo-live/greenops.yml", `${SETTINGS}production: false\n`);
    repo.write("environments/demo-live/checkout.yaml", deployment("checkout"));
    repo.commit("checkout everywhere");
  });

  afterAll(() => repo.dispose());

  it("proposes no non-production change where production or an unknown kind is possible", () => {
    const report = json(repo.root, "estimate");
    const kinds = Object.fromEntries(
      report.environments.map((e: Environment) => [e.name ?? "(none)", [e.kind, e.settingsFile]]),
    );
    expect(kinds).toEqual({
      "(none)": ["unknown", null],
      prod: ["production", null],
      prd: ["production", null],
      live: ["production", null],
      qa: ["unknown", null],
      "eu-prod": ["unknown", null],
      dev: ["non-production", "environments/dev/greenops.yml"],
      "demo-live": ["non-production", "environments/demo-live/greenops.yml"],
    });
    const nonProduction = report.findings
      .filter((f: Finding) => f.policy === "replicas-cap" || f.policy === "nonprod-schedule")
      .map((f: Finding) => [f.policy, f.file, f.message]);
    expect(nonProduction).toEqual([
      [
        "replicas-cap",
        "environments/demo-live/checkout.yaml",
        "Deployment checkout runs 6 replicas, above the cap of 2 in non-production environment demo-live",
      ],
      [
        "replicas-cap",
        "environments/dev/checkout.yaml",
        "Deployment checkout runs 6 replicas, above the cap of 2 in non-production environment dev",
      ],
      [
        "nonprod-schedule",
        "environments/demo-live/checkout.yaml",
        expect.stringMatching(
          /^Deployment\/shop\/checkout runs around the clock in non-production environment demo-live; on "Mon-Fri 07:00-19:00 UTC" it would cost \$[\d.]+ a month less$/,
        ),
      ],
      [
        "nonprod-schedule",
        "environments/dev/checkout.yaml",
        expect.stringMatching(/in non-production environment dev;/),
      ],
    ]);
  });

  it("says once which environments are of unknown kind, and how to declare them", () => {
    const run = greenops(repo.root, "estimate");
    expect(run.status).toBe(0);
    const note =
      "ℹ️ Not known to be production or non-production: `eu-prod`, `qa`, files outside any environment. Policies meant for non-production only were not applied there. To say which an environment is, give it `environments/<name>/greenops.yml` (with `production: true` or `false` when its name is not prod, production, prd or live); files elsewhere join an environment through `environments.<name>.paths` in `.github/greenops.yml`.";
    expect(run.stdout.split(note)).toHaveLength(2);
    expect(run.stdout).toContain(
      '| warning | `environments/prd/checkout.yaml:1` | environment "prd" has no environments/prd/greenops.yml: its files are estimated with the built-in defaults, as production (by its name) |',
    );
    expect(run.stdout).toContain(
      '| warning | `environments/qa/checkout.yaml:1` | environment "qa" has no environments/qa/greenops.yml: its files are estimated with the built-in defaults, and whether it is production is unknown |',
    );
    expect(run.stdout).toContain(
      "**Environment `live`** (built-in defaults: no environment settings; production: by its name)",
    );
    expect(run.stdout).not.toMatch(/default environment/);
  });

  it("fixes nothing in production or where the kind is unknown", () => {
    const run = greenops(repo.root, "fix", "--all", ".", "--dry-run");
    expect(run.status).toBe(0);
    const fixed = [...run.stdout.matchAll(/^ {2}(\S+):\d+ (\S+):/gm)].map((m) => `${m[1]} ${m[2]}`);
    expect(fixed.sort()).toEqual([
      "environments/demo-live/checkout.yaml nonprod-schedule",
      "environments/demo-live/checkout.yaml replicas-cap",
      "environments/dev/checkout.yaml nonprod-schedule",
      "environments/dev/checkout.yaml replicas-cap",
    ]);
  });

  it("reads an environment's kind in a review as in an estimate", () => {
    repo.write("environments/prod/search.yaml", deployment("search"));
    repo.write("k8s/search.yaml", deployment("search"));
    try {
      const report = json(repo.root, "review");
      expect(report.resources.map((r: { environment: string | null }) => r.environment)).toEqual([
        "prod",
        null,
      ]);
      expect(
        report.findings.filter((f: Finding) => ["replicas-cap", "nonprod-schedule"].includes(f.policy)),
      ).toEqual([]);
    } finally {
      repo.remove("environments/prod/search.yaml");
      repo.remove("k8s/search.yaml");
    }
  });
});

describe("an environment whose nodes have no price in the price table", () => {
  let repo: TempRepo;

  beforeAll(() => {
    repo = tempRepo();
    const settings = (region: string, nodes: string) =>
      `# ${region}\ncloud: aws\nregion: ${region}\n${nodes}currency: USD\n`;
    for (const [name, text] of [
      ["eu", settings("eu-west-1", "nodeInstanceType: m5.xlarge\n")],
      ["unknown-type", settings("us-east-1", "nodeInstanceType: m99.huge\n")],
      ["priced", settings("us-east-1", "nodeInstanceType: m5.xlarge\n")],
      ["no-nodes", settings("eu-west-1", "")],
    ]) {
      repo.write(`environments/${name}/greenops.yml`, text as string);
      repo.write(`environments/${name}/checkout.yaml`, deployment("checkout"));
    }
    repo.commit("four environments");
  });

  afterAll(() => repo.dispose());

  it.each([
    ["eu", "the price table has no eu-west-1 price for m5.xlarge"],
    ["unknown-type", "m99.huge is not in the aws price table"],
    ["priced", undefined],
    // no node type named: the details say so; there is no price to look for
    ["no-nodes", undefined],
  ])("%s: warned at its node type, with why and how to get the price", (name, reason) => {
    const report = json(repo.root, "estimate");
    const said = (report.diagnostics as { file: string; line: number; message: string }[]).filter(
      (d) => d.file === `environments/${name}/greenops.yml`,
    );
    expect(said).toEqual(
      reason === undefined
        ? []
        : [
            expect.objectContaining({
              line: 4,
              severity: "warning",
              message: `environment "${name}" is priced at OpenCost's default prices per vCPU-hour and GiB-hour, not its nodes': ${reason}; \`greenops catalogs refresh --cloud aws\` reads the cloud's prices for every region`,
            }),
          ],
    );
  });
});
