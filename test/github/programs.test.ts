import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { checkedEstimateSnapshot } from "../../app/engine/estimate.ts";
import { runAction } from "../../app/github/action.ts";
import type { Octokit } from "../../app/github/octokit.ts";
import { scanRepository } from "../../app/github/scan-run.ts";
import { tempRepo } from "../helpers/git-repo.ts";
import { FakeGitHub, INSTALLATION_ID, OWNER, REPO, TOKEN } from "./fake-github/fake-github.ts";
import { environmentFiles, opened, openPull, pulumiProgram } from "./fixture.ts";
import { type Harness, harness } from "./harness.ts";
import { pullRequestPayload } from "./payloads.ts";

let h: Harness | undefined;

afterEach(() => {
  h?.github.assertClean();
});

const SETTINGS = ".github/greenops.yml";
/** Tests that run programs (each ~1.5 s on a quiet machine, in sandboxed processes): room for a busy one. */
const PROGRAMS_TIMEOUT_MS = 60_000;

/** main with the environments, the program and these settings; pull request #7 makes the instance larger. */
function programPull(
  github: FakeGitHub,
  settings: string | undefined,
  headFiles: Record<string, string> = {},
) {
  const base = {
    ...environmentFiles(),
    ...pulumiProgram("t3.micro"),
    ...(settings ? { [SETTINGS]: settings } : {}),
  };
  return openPull(
    github,
    { "infra/index.ts": pulumiProgram("t3.large")["infra/index.ts"] ?? "", ...headFiles },
    7,
    base,
  );
}

/** Pull request #8 from a fork's commit (its head repository is `octocat/Hello-World`). */
function forkPull(github: FakeGitHub, settings: string) {
  const base = github.commit(undefined, {
    ...environmentFiles(),
    ...pulumiProgram("t3.micro"),
    [SETTINGS]: settings,
  });
  github.branch("main", base);
  const head = github.commit(base, { "infra/index.ts": pulumiProgram("t3.large")["infra/index.ts"] ?? "" });
  github.pull(8, { base: "main", head: "patch-1", fork: { owner: "octocat", sha: head } });
  return pullRequestPayload("opened", {
    number: 8,
    head: { sha: head, ref: "patch-1" },
    base: { sha: base, ref: "main" },
    fork: "octocat",
  });
}

const PROGRAM_NOTICE = "the Pulumi program is not evaluated: ";

function notEvaluated(github: FakeGitHub): string[] {
  return (github.checkRuns[0]?.annotations ?? []).flatMap((a) =>
    String(a.message).startsWith(PROGRAM_NOTICE) ? [`${a.path}:${a.start_line} ${a.message}`] : [],
  );
}

describe("the App and a repository's Pulumi programs", () => {
  it(
    "evaluates the program of an opted-in repository and prices its resources in the check and comment",
    async () => {
      h = await harness();
      await h.deliver("pull_request", opened(programPull(h.github, "programs:\n  run: true\n")));
      const [run] = h.github.checkRuns;
      expect(run?.status).toBe("completed");
      expect(run?.conclusion).toBe("success");
      expect(notEvaluated(h.github)).toEqual([]);
      expect(run?.output.title).toBe("+$53.14/mo · +0.579 kgCO2e/mo · 1 warning");
      const comment = h.github.comments[0]?.body ?? "";
      expect(comment).toMatch(
        /`aws:ec2\/instance:Instance::web` \| prod \| `infra\/index\.ts:3` \| \$\d+\.\d\d → \$\d+\.\d\d/,
      );
    },
    PROGRAMS_TIMEOUT_MS,
  );

  it.each([
    {
      case: "a repository that did not opt in",
      settings: undefined,
      env: {} as Record<string, string>,
      refusal:
        "repository programs run only when .github/greenops.yml on main sets `programs: { run: true }`",
      conclusion: "neutral",
    },
    {
      case: "a pull request that opts itself in",
      settings: "ai:\n  enabled: false\n",
      head: { [SETTINGS]: "ai:\n  enabled: false\nprograms:\n  run: true\n" },
      env: {} as Record<string, string>,
      refusal:
        "repository programs run only when .github/greenops.yml on main sets `programs: { run: true }`; this pull request's own settings file turns them on, which counts only once it is merged",
      conclusion: "neutral",
    },
    {
      case: "an operator who forbids programs",
      settings: "programs:\n  run: true\n",
      env: { GREENOPS_PROGRAMS: "off" },
      refusal: "whoever runs GreenOps turned repository programs off (GREENOPS_PROGRAMS)",
      conclusion: "neutral",
    },
    {
      case: "an operator's setting that means nothing (a typo counts as off)",
      settings: "programs:\n  run: true\n",
      env: { GREENOPS_PROGRAMS: "yes" },
      refusal: "whoever runs GreenOps turned repository programs off (GREENOPS_PROGRAMS)",
      conclusion: "neutral",
    },
    {
      case: "settings on the default branch that are not valid",
      settings: "programs:\n  run: yes please\n",
      env: {} as Record<string, string>,
      refusal:
        '.github/greenops.yml on main cannot be used (.github/greenops.yml:2: "programs.run" must be boolean), so repository programs stay off',
      // The engine reads the same file at the merge base: invalid settings fail the check.
      conclusion: "failure",
    },
  ])(
    "runs no program for $case, and says why at the program",
    async ({ settings, head, env, refusal, conclusion }) => {
      h = await harness({ env });
      await h.deliver("pull_request", opened(programPull(h.github, settings, head)));
      const [run] = h.github.checkRuns;
      expect(run?.conclusion).toBe(conclusion);
      expect(run?.output.title).toMatch(/^1 program not evaluated · ±\$0\.00\/mo · ±0 kgCO2e\/mo/);
      const notice = `> Not evaluated: the program of \`infra/Pulumi.yaml\`, since ${refusal}. Its resources are missing from these figures.`;
      expect(run?.output.summary).toContain(notice);
      expect(notEvaluated(h.github)).toEqual([`infra/Pulumi.yaml:1 ${PROGRAM_NOTICE}${refusal}`]);
      expect(h.github.comments[0]?.body).toContain(notice);
      expect(h.github.comments[0]?.body).toContain(`${PROGRAM_NOTICE}${refusal}`);
    },
  );

  it(
    "runs a fork's program only when the repository opts in for forks too",
    async () => {
      h = await harness();
      await h.deliver("pull_request", forkPull(h.github, "programs:\n  run: true\n"));
      expect(notEvaluated(h.github)).toEqual([
        `infra/Pulumi.yaml:1 ${PROGRAM_NOTICE}this pull request comes from a fork, and .github/greenops.yml on main does not set \`programs: { forks: true }\``,
      ]);

      h = await harness();
      await h.deliver("pull_request", forkPull(h.github, "programs:\n  run: true\n  forks: true\n"));
      expect(notEvaluated(h.github)).toEqual([]);
      expect(h.github.comments[0]?.body).toContain("`aws:ec2/instance:Instance::web`");
    },
    PROGRAMS_TIMEOUT_MS,
  );
});

describe("scans of the default branch", () => {
  it.each([
    [undefined, false],
    ["programs:\n  run: true\n", true],
  ])("run its programs only when its own settings opt in (%j)", async (settings, runs) => {
    h = await harness();
    const files = {
      ...environmentFiles(),
      ...pulumiProgram("t3.micro"),
      ...(settings ? { [SETTINGS]: settings } : {}),
    };
    h.github.branch("main", h.github.commit(undefined, files));
    const asked: (boolean | undefined)[] = [];
    const estimate: typeof checkedEstimateSnapshot = (input) => {
      asked.push(input.projects?.runPrograms);
      return checkedEstimateSnapshot({ ...input, projects: { ...input.projects, runPrograms: false } });
    };
    const octokit = (await h.probot.auth(INSTALLATION_ID)) as Octokit;
    const target = { owner: OWNER, repo: REPO, installationId: INSTALLATION_ID, defaultBranch: "main" };
    await scanRepository(octokit, target, estimate, { dryRun: true });
    expect(asked).toEqual([runs]);
  });
});

describe("the Action and the workflow's checkout", () => {
  it(
    "imports a program's packages from the checkout's node_modules when it holds the reviewed head",
    async () => {
      const workspace = tempRepo();
      const dirs = [workspace.root];
      try {
        const base = {
          ...environmentFiles(),
          ...pulumiProgram("t3.micro"),
          [SETTINGS]: "programs:\n  run: true\n",
        };
        const headIndex = `import * as aws from "@pulumi/aws";
import { size } from "acme-sizes";

export const web = new aws.ec2.Instance("web", { ami: "ami-0c55b159cbfafe1f0", instanceType: size });
`;
        for (const [path, text] of Object.entries(base)) workspace.write(path, text);
        workspace.write(".gitignore", "node_modules/\n");
        const baseSha = workspace.commit("Initial infrastructure");
        workspace.write("infra/index.ts", headIndex);
        const headSha = workspace.commit("Size the web server from the platform team's package");
        // `npm ci` in the workflow installed the team's package (never committed, never installed by GreenOps)
        workspace.write(
          "node_modules/acme-sizes/package.json",
          '{ "name": "acme-sizes", "main": "index.js" }',
        );
        workspace.write("node_modules/acme-sizes/index.js", 'exports.size = "m5.large";\n');

        const github = new FakeGitHub();
        github.commit(
          undefined,
          { ...base, ".gitignore": "node_modules/\n" },
          "Initial infrastructure",
          baseSha,
        );
        github.commit(baseSha, { "infra/index.ts": headIndex }, "Size the web server", headSha);
        github.branch("main", baseSha);
        github.branch("feature", headSha);
        github.pull(7, { base: "main", head: "feature" });
        const events = mkdtempSync(join(tmpdir(), "greenops-action-"));
        dirs.push(events);
        const eventPath = join(events, "event.json");
        const payload = pullRequestPayload("opened", {
          number: 7,
          head: { sha: headSha, ref: "feature" },
          base: { sha: baseSha, ref: "main" },
        });
        writeFileSync(eventPath, JSON.stringify(payload));
        const status = await runAction(
          {
            GITHUB_TOKEN: TOKEN,
            GITHUB_EVENT_NAME: "pull_request",
            GITHUB_EVENT_PATH: eventPath,
            GITHUB_WORKSPACE: workspace.root,
            LOG_LEVEL: "error",
          },
          { fetch: github.fetch },
        );
        expect(status).toBe(0);
        const [run] = github.checkRuns;
        expect(run?.output.title).toBe("+$62.49/mo · +2.03 kgCO2e/mo · 1 warning");
        expect(run?.annotations.map((a) => a.message)).not.toContainEqual(expect.stringContaining("needs"));
        expect(github.comments[0]?.body).toContain(
          "| Instance usage (Linux, on-demand, m5.large) | 730 hours |",
        );
        github.assertClean();
      } finally {
        for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
      }
    },
    PROGRAMS_TIMEOUT_MS,
  );
});
