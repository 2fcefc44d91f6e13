import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { FakeGitHub, OWNER, REPO, TOKEN } from "../github/fake-github/fake-github.ts";
import { serveFakeGitHub } from "../github/fake-github/serve.ts";
import { pulumiProgram } from "../github/fixture.ts";
import { greenopsWithEnv } from "../helpers/cli.ts";
import { type TempRepo, tempRepo } from "../helpers/git-repo.ts";
import { operatorEnv, scanRepository } from "../scan/fixture.ts";

const secrets = { ...operatorEnv(inject("prometheus").url), GITHUB_TOKEN: "", GITHUB_REPOSITORY: "" };

describe("greenops scan", () => {
  let repo: TempRepo;

  beforeAll(() => {
    repo = tempRepo();
    for (const [path, text] of Object.entries(scanRepository(inject("prometheus").url)))
      repo.write(path, text);
    repo.commit("the shop's infrastructure");
  });

  afterAll(() => repo.dispose());

  it("prints the pull requests a scan of HEAD would open, with their diffs, and writes nothing", async () => {
    const run = await greenopsWithEnv(repo.root, secrets, "scan");
    expect(run.stderr).toBe("");
    expect(run.status).toBe(0);
    expect(run.stdout).toContain("## GreenOps: save $31.96/month in prod (branch greenops/optimize-prod)");
    expect(run.stdout).toMatch(
      /## GreenOps: save \$\d+\.\d\d\/month in dev \(branch greenops\/optimize-dev\)/,
    );
    expect(run.stdout).toContain("+            requests: { cpu: 250m, memory: 240Mi } # sized at launch");
    expect(run.stdout).toMatch(
      /greenops scan: 2 pull requests to open for HEAD \([0-9a-f]{7}\); nothing was written/,
    );
    expect(repo.git("status", "--porcelain")).toBe("");
  });

  it("--env scans one environment; telemetry named on the command line never fails it", async () => {
    const run = await greenopsWithEnv(
      repo.root,
      secrets,
      "scan",
      "--env",
      "dev",
      "--prometheus",
      "http://127.0.0.1:9/",
    );
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/## GreenOps: save \$\d+\.\d\d\/month in dev/);
    expect(run.stdout).not.toContain("in prod");
    expect(run.stdout).toMatch(/greenops scan: 1 pull request to open for HEAD/);
    const unknown = await greenopsWithEnv(repo.root, secrets, "scan", "--env", "qa");
    expect(unknown.stdout).toMatch(/greenops scan: 0 pull requests to open for HEAD/);
  });

  it("says scans are off when the repository turned them off at HEAD", async () => {
    const off = tempRepo();
    try {
      for (const [path, text] of Object.entries(scanRepository(inject("prometheus").url)))
        off.write(path, text);
      off.write(".github/greenops.yml", "scan:\n  enabled: false\n");
      off.commit("scans off");
      const run = await greenopsWithEnv(off.root, secrets, "scan");
      expect(run.stderr).toBe("");
      expect(run.status).toBe(0);
      expect(run.stdout).toBe("greenops scan: scans are off (scan.enabled: false in .github/greenops.yml)\n");
    } finally {
      off.dispose();
    }
  });

  // Octokit's throttling is on in the CLI, as in production: writes one second apart, pull requests three.
  it("in a workflow, opens them through GitHub's API with the workflow's token; --dry-run writes nothing", {
    timeout: 60_000,
  }, async () => {
    const github = new FakeGitHub();
    const main = github.commit(
      undefined,
      scanRepository(inject("prometheus").url),
      "The shop's infrastructure",
    );
    github.branch("main", main);
    const served = await serveFakeGitHub(github);
    const env = {
      ...secrets,
      GITHUB_TOKEN: TOKEN,
      GITHUB_REPOSITORY: `${OWNER}/${REPO}`,
      GITHUB_API_URL: served.url,
    };
    try {
      const dry = await greenopsWithEnv(repo.root, env, "scan", "--dry-run");
      expect(dry.status).toBe(0);
      expect(dry.stdout).toBe(
        `greenops scan: scanned ${main.slice(0, 7)} (dry run: nothing written)\n  dev: would open\n  prod: would open\n`,
      );
      expect(github.pulls.size).toBe(0);
      const run = await greenopsWithEnv(repo.root, env, "scan");
      expect(run.stderr).toBe("");
      expect(run.stdout).toMatch(/^ {2}prod: opened #2 GreenOps: save \$31\.96\/month in prod$/m);
      expect([...github.pulls.values()].map((p) => p.head).sort()).toEqual([
        "greenops/optimize-dev",
        "greenops/optimize-prod",
      ]);
      github.assertClean();
    } finally {
      await served.stop();
    }
  });

  it("says which programs a scan did not run, and why, in a workflow and on the command line", {
    timeout: 60_000,
  }, async () => {
    const files = { ...scanRepository(inject("prometheus").url), ...pulumiProgram("t3.micro") };
    const github = new FakeGitHub();
    const main = github.commit(undefined, files, "The shop's infrastructure, and its AWS program");
    github.branch("main", main);
    const served = await serveFakeGitHub(github);
    const local = tempRepo();
    try {
      const env = {
        ...secrets,
        GITHUB_TOKEN: TOKEN,
        GITHUB_REPOSITORY: `${OWNER}/${REPO}`,
        GITHUB_API_URL: served.url,
      };
      const dry = await greenopsWithEnv(local.root, env, "scan", "--dry-run");
      expect(dry.stdout).toBe(
        [
          `greenops scan: scanned ${main.slice(0, 7)} (dry run: nothing written)`,
          "  dev: would open",
          "  prod: would open",
          "greenops scan: Not evaluated: the program of `infra/Pulumi.yaml`, since repository programs run only when .github/greenops.yml on main sets `programs: { run: true }`. Its resources are missing from these figures.",
          "",
        ].join("\n"),
      );
      github.assertClean();

      // On the command line programs run, each within its own time limit: one that never ends is stopped.
      for (const [path, text] of Object.entries(files)) local.write(path, text);
      local.write("infra/index.ts", "let turns = 0;\nfor (;;) turns++;\n");
      local.commit("the shop's infrastructure, and a program that never ends");
      const run = await greenopsWithEnv(local.root, { ...secrets, GREENOPS_PROGRAM_TIMEOUT: "1" }, "scan");
      expect(run.status).toBe(0);
      const notice =
        "Not evaluated: the program of `infra/Pulumi.prod.yaml`, since it ran past each program's time limit (1 s) and was stopped. Its resources are missing from these figures.";
      expect(run.stdout.split(`> ${notice}`)).toHaveLength(3);
      expect(run.stdout).toContain(
        `\ngreenops scan: ${notice}\ngreenops scan: 2 pull requests to open for HEAD`,
      );
    } finally {
      local.dispose();
      await served.stop();
    }
  });

  it.each([
    [
      "malformed YAML",
      "scan:\n  policies: [rightsizing, nonprod-schedule\nignore: []\n",
      ".github/greenops.yml:2 invalid YAML: a flow sequence ([) opened at line 2, column 13 is not closed",
    ],
    [
      "a value of the wrong type beside an ignore",
      'ignore:\n  - paths: ["environments/prod/**"]\n    reason: sized by the platform team\nscan:\n  maxFixesPerPullRequest: twenty\n',
      '.github/greenops.yml:5 "scan.maxFixesPerPullRequest" must be integer',
    ],
  ])(
    "with %s in the configuration, proposes and writes nothing, and says where",
    {
      timeout: 60_000,
    },
    async (_, config, error) => {
      const files = { ...scanRepository(inject("prometheus").url), ".github/greenops.yml": config };
      const github = new FakeGitHub();
      const main = github.commit(
        undefined,
        files,
        "The shop's infrastructure, a configuration with an error",
      );
      github.branch("main", main);
      const served = await serveFakeGitHub(github);
      const local = tempRepo();
      const refusal =
        "the configuration has errors: until they are fixed, which policies apply, with which options and ignores, is unknown";
      try {
        for (const [path, text] of Object.entries(files)) local.write(path, text);
        const commit = local.commit("the shop's infrastructure, a configuration with an error");
        const run = await greenopsWithEnv(local.root, secrets, "scan");
        expect([run.status, run.stdout]).toEqual([
          1,
          `greenops scan: no pull request proposed for HEAD (${commit.slice(0, 7)}): ${refusal}\n  ${error}\n`,
        ]);
        const env = {
          ...secrets,
          GITHUB_TOKEN: TOKEN,
          GITHUB_REPOSITORY: `${OWNER}/${REPO}`,
          GITHUB_API_URL: served.url,
        };
        const workflow = await greenopsWithEnv(local.root, env, "scan");
        expect([workflow.status, workflow.stdout]).toEqual([
          1,
          `greenops scan: scanned ${main.slice(0, 7)}, nothing written: ${refusal}\n  ${error}\n`,
        ]);
        expect(github.pulls.size).toBe(0);
        github.assertClean();
      } finally {
        local.dispose();
        await served.stop();
      }
    },
  );

  it("refuses half a workflow's settings", async () => {
    const run = await greenopsWithEnv(repo.root, { ...secrets, GITHUB_TOKEN: TOKEN }, "scan");
    expect(run.status).toBe(2);
    expect(run.stderr).toContain("greenops scan needs both GITHUB_TOKEN and GITHUB_REPOSITORY");
  });
});
