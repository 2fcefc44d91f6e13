import { afterEach, describe, expect, it, vi } from "vitest";
import { expectGolden } from "../helpers/golden.ts";
import { environmentFiles, opened, openPull } from "./fixture.ts";
import { checkJson, type Harness, harness } from "./harness.ts";

let app: Harness | undefined;

afterEach(() => {
  app?.github.assertClean();
  vi.unstubAllEnvs();
});

/** Programs run in sandboxed processes (~1.5 s each on a quiet machine): room for a busy one. */
const PROGRAMS_TIMEOUT_MS = 60_000;

const SETTINGS = { ".github/greenops.yml": "programs:\n  run: true\n" };

/** A Pulumi program with a dev and a prod stack; `index` is its program. */
function program(index: string): Record<string, string> {
  return {
    "infra/Pulumi.yaml": "name: shop-infra\nruntime: nodejs\n",
    "infra/Pulumi.dev.yaml": 'config:\n  aws:region: us-east-1\n  shop-infra:replicas: "1"\n',
    "infra/Pulumi.prod.yaml": 'config:\n  aws:region: us-east-1\n  shop-infra:replicas: "4"\n',
    "infra/index.ts": index,
  };
}

const INSTANCE = `import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

export const web = new aws.ec2.Instance("web", { ami: "ami-0c55b159cbfafe1f0", instanceType: "t3.large" });
`;

/** Never ends, whatever the stack (a loop a bad merge left). */
const SPINNING = `${INSTANCE}
let turns = 0;
for (;;) turns++;
`;

/** Ends for dev (1 replica); for prod (4), a loop over odd numbers that never meets its bound. */
const PROD_SPINS = `${INSTANCE}
const replicas = new pulumi.Config().requireNumber("replicas");
for (let i = 1; i !== replicas; i += 2) {}
`;

/**
 * The App, its operator allowing `budget` seconds for all of a review's programs and `concurrency` at
 * once, reviews pull request #7 (`files` changed on a main that opts in to programs, with `base`).
 */
async function review(
  limits: { budget: string; concurrency: string },
  files: Record<string, string | null>,
  base: Record<string, string> = {},
) {
  vi.stubEnv("GREENOPS_PROGRAM_BUDGET", limits.budget);
  vi.stubEnv("GREENOPS_PROGRAM_CONCURRENCY", limits.concurrency);
  app = await harness();
  await app.deliver(
    "pull_request",
    opened(openPull(app.github, files, 7, { ...environmentFiles(), ...SETTINGS, ...base })),
  );
  return app;
}

function annotations(harness: Harness): string[] {
  return (harness.github.checkRuns[0]?.annotations ?? []).map(
    (a) => `${a.path}:${a.start_line} ${a.message}`,
  );
}

describe("programs the review's budget stopped or kept from starting count as not evaluated", () => {
  it(
    "a program stopped by the budget, and one it left no time to start",
    async () => {
      // One place and a 1 s budget: stack dev runs first and is stopped when the budget is spent; prod
      // waits for the place and finds the budget spent.
      const h = await review({ budget: "1", concurrency: "1" }, program(SPINNING));
      const [run] = h.github.checkRuns;
      expect(run?.conclusion).toBe("neutral");
      expect(run?.output.title).toBe("2 programs not evaluated · ±$0.00/mo · ±0 kgCO2e/mo");
      expect(annotations(h)).toEqual([
        "infra/Pulumi.dev.yaml:1 stack dev: not evaluated (stopped): the review's budget for programs (1 s) was spent",
        "infra/Pulumi.prod.yaml:1 stack prod: not evaluated (not started): the review's budget for programs (1 s) was spent",
      ]);
      const notice =
        "> Not evaluated: the programs of `infra/Pulumi.dev.yaml`, `infra/Pulumi.prod.yaml`, since the review's budget for programs (1 s) was spent. Their resources are missing from these figures.";
      expect(run?.output.summary).toContain(notice);
      expect(h.github.comments[0]?.body).toContain(notice);
      expectGolden("github/budget-spent-check.json", checkJson(h));
    },
    PROGRAMS_TIMEOUT_MS,
  );

  it(
    "a program whose dev stack ran and whose prod stack the budget stopped: prod counts, dev is estimated",
    async () => {
      // Two places: both stacks start at once; dev ends within seconds, prod runs until the budget ends.
      const h = await review({ budget: "12", concurrency: "2" }, program(PROD_SPINS));
      const [run] = h.github.checkRuns;
      expect(run?.conclusion).toBe("neutral");
      expect(run?.output.title).toMatch(/^1 program not evaluated · \+\$\d+\.\d\d\/mo · /);
      expect(annotations(h)).toContain(
        "infra/Pulumi.prod.yaml:1 stack prod: not evaluated (stopped): the review's budget for programs (12 s) was spent",
      );
      expect(run?.output.summary).toContain(
        "> Not evaluated: the program of `infra/Pulumi.prod.yaml`, since the review's budget for programs (12 s) was spent. Its resources are missing from these figures.",
      );
      expect(h.github.comments[0]?.body).toMatch(
        /`aws:ec2\/instance:Instance::web` \| dev \| `infra\/index\.ts:4`/,
      );
      expect(h.github.comments[0]?.body).not.toMatch(/`aws:ec2\/instance:Instance::web` \| prod \|/);
    },
    PROGRAMS_TIMEOUT_MS,
  );

  it(
    "a program the pull request deletes, whose base the budget did not let run: the saving is unknown",
    async () => {
      const deleted = Object.fromEntries(Object.keys(program(SPINNING)).map((path) => [path, null]));
      const h = await review({ budget: "1", concurrency: "1" }, deleted, program(SPINNING));
      const [run] = h.github.checkRuns;
      expect(run?.conclusion).toBe("neutral");
      expect(run?.output.title).toBe("2 programs not evaluated · ±$0.00/mo · ±0 kgCO2e/mo");
      expect(annotations(h).filter((a) => a.includes("budget"))).toEqual([
        expect.stringMatching(
          /^infra\/Pulumi\.dev\.yaml:1 on the base \(\w+\): stack dev: not evaluated \(stopped\): the review's budget for programs \(1 s\) was spent$/,
        ),
        expect.stringMatching(
          /^infra\/Pulumi\.prod\.yaml:1 on the base \(\w+\): stack prod: not evaluated \(not started\): the review's budget/,
        ),
      ]);
    },
    PROGRAMS_TIMEOUT_MS,
  );
});
