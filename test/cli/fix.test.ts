import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { greenops, json, PROJECT } from "../helpers/cli.ts";
import { type TempRepo, tempRepo } from "../helpers/git-repo.ts";
import { expectGolden } from "../helpers/golden.ts";

/** Issue #10, item 1: `greenops fix` keeps every good edit, to a fixed point, and a second run changes nothing. */

const CHECKOUT = "environments/staging/shop/checkout.yaml";

/** A Deployment whose container requests nothing, with a sidecar without a memory limit, and a second workload. */
const CHECKOUT_TEXT = `# Checkout and its worker, deployed together.
apiVersion: apps/v1
kind: Deployment
metadata:
  name: checkout
  namespace: shop
spec:
  replicas: 2
  selector:
    matchLabels: { app: checkout }
  template:
    metadata:
      labels: { app: checkout }
    spec:
      containers:
        - name: checkout
          image: ghcr.io/example/checkout:3.1.0 # requests come later
        - name: envoy
          image: envoyproxy/envoy:v1.31.0
          resources:
            requests:
              cpu: 100m
              memory: 128Mi
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: checkout-worker
  namespace: shop
spec:
  replicas: 1
  selector:
    matchLabels: { app: checkout-worker }
  template:
    metadata:
      labels: { app: checkout-worker }
    spec:
      containers:
        - name: worker
          image: ghcr.io/example/checkout-worker:3.1.0
          resources:
            requests: { cpu: 250m, memory: 256Mi }
`;

/** The checkout container once fixed: requests, then the memory limit they call for, the comment kept. */
const CHECKOUT_FIXED = `          image: ghcr.io/example/checkout:3.1.0 # requests come later
          resources:
            requests:
              cpu: 100m
              memory: 128Mi
            limits:
              memory: 128Mi
        - name: envoy`;

let repo: TempRepo;

beforeEach(() => {
  repo = tempRepo({ from: join(PROJECT, "environments"), to: "environments" });
});

afterEach(() => repo.dispose());

function summaryLines(stdout: string): string[] {
  return stdout.slice(stdout.indexOf("greenops fix:")).trimEnd().split("\n");
}

/** Runs `greenops fix` again: it must change nothing, byte for byte, and apply nothing. */
function expectNothingLeft(paths: string[]): string {
  const before = paths.map((path) => readFileSync(join(repo.root, path)));
  const again = greenops(repo.root, "fix");
  expect(again.status).toBe(0);
  expect(again.stdout).toMatch(/^greenops fix: applied 0 fixes in 0 files$/m);
  expect(paths.map((path) => readFileSync(join(repo.root, path)))).toEqual(before);
  return again.stdout;
}

describe("greenops fix on a file with several fixable workloads", () => {
  beforeEach(() => {
    repo.commit("environments as in the GreenOps repository");
    repo.write(CHECKOUT, CHECKOUT_TEXT);
  });

  it("keeps every fix, and fixes what the first fixes call for in the same run", () => {
    const run = greenops(repo.root, "fix", "--dry-run");
    expect(run.stderr).toBe("");
    expect(run.status).toBe(0);
    expectGolden("fix-fixed-point.txt", run.stdout);
    expect(
      summaryLines(run.stdout).filter((line) => / (requests-required|limits-ratio):/.test(line)),
    ).toEqual([
      `  ${CHECKOUT}:16 requests-required: Request cpu 100m and memory 128Mi for container "checkout"`,
      `  ${CHECKOUT}:23 limits-ratio: Limit memory to 128Mi for container "envoy"`,
      `  ${CHECKOUT}:42 limits-ratio: Limit memory to 256Mi for container "worker"`,
      // The second pass: the requests just added call for a memory limit (a line of the file as read).
      `  ${CHECKOUT}:17 limits-ratio: Limit memory to 128Mi for container "checkout"`,
    ]);
    expect(run.stdout).not.toContain("skipped");
  });

  it("writes them, keeps the comments, and a second run changes nothing", () => {
    expect(greenops(repo.root, "fix").status).toBe(0);
    const fixed = readFileSync(join(repo.root, CHECKOUT), "utf8");
    expect(fixed).toContain(CHECKOUT_FIXED);
    expect(fixed).toContain("# Checkout and its worker, deployed together.");
    expectNothingLeft([CHECKOUT]);
    const review = json(repo.root, "review");
    const left = review.findings.filter((f: { policy: string }) =>
      ["requests-required", "limits-ratio"].includes(f.policy),
    );
    expect(left).toEqual([]);
  });

  it.each([
    ["CRLF line breaks", "", "\r\n"],
    ["byte order mark and CRLF line breaks", "\uFEFF", "\r\n"],
    ["byte order mark", "\uFEFF", "\n"],
  ])("keeps a file's %s, and a second run changes nothing", (_, mark, lineBreak) => {
    const written = (text: string) => text.replaceAll("\n", lineBreak);
    repo.write(CHECKOUT, mark + written(CHECKOUT_TEXT));
    expect(greenops(repo.root, "fix").status).toBe(0);
    const fixed = readFileSync(join(repo.root, CHECKOUT), "utf8");
    expect(fixed.startsWith(`${mark}${written("# Checkout")}`)).toBe(true);
    expect(fixed).toContain(written(CHECKOUT_FIXED));
    expect(new Set(fixed.match(/\r?\n/g))).toEqual(new Set([lineBreak]));
    expectNothingLeft([CHECKOUT]);
  });
});

describe("greenops fix when one fix fails its check", () => {
  beforeEach(() => {
    // limits at 3× the requests, while the policy allows 2×: no limit fix can pass the policy's check
    repo.write(".github/greenops.yml", "policies:\n  limits-ratio:\n    options: { fixRatio: 3 }\n");
    repo.commit("environments, limits at 3× the requests");
    repo.write(CHECKOUT, CHECKOUT_TEXT);
  });

  it("drops that fix alone, with its reason, and keeps the others of the file", () => {
    const run = greenops(repo.root, "fix", "--dry-run");
    expect(run.status).toBe(0);
    const lines = summaryLines(run.stdout);
    expect(lines[0]).toBe("greenops fix: would apply 3 fixes in 1 file");
    expect(lines).toContain(
      `  ${CHECKOUT}:16 requests-required: Request cpu 100m and memory 128Mi for container "checkout"`,
    );
    expect(lines.filter((line) => line.includes("skipped"))).toEqual([
      `  skipped ${CHECKOUT}:23 limits-ratio: after the fix, limits-ratio still reports: container "envoy" limits memory to 3× its request, above 2×`,
      `  skipped ${CHECKOUT}:42 limits-ratio: after the fix, limits-ratio still reports: container "worker" limits memory to 3× its request, above 2×`,
      `  skipped ${CHECKOUT}:17 limits-ratio: after the fix, limits-ratio still reports: container "checkout" limits memory to 3× its request, above 2×`,
    ]);
  });

  it("says why for each file, when two files declare the same workloads", () => {
    // In another environment: one environment's second copy is not counted, nor checked (counted-once.ts).
    const copy = "environments/prod/shop/checkout.yaml";
    repo.write(copy, CHECKOUT_TEXT);
    const skipped = summaryLines(greenops(repo.root, "fix", "--dry-run").stdout).filter((line) =>
      line.includes("skipped"),
    );
    expect(skipped).toHaveLength(6);
    expect(skipped.filter((line) => line.startsWith(`  skipped ${copy}:`))).toHaveLength(3);
  });

  it("writes the others; a second run changes nothing and says again why", () => {
    greenops(repo.root, "fix");
    const fixed = readFileSync(join(repo.root, CHECKOUT), "utf8");
    expect(fixed).toContain("downscaler/uptime");
    expect(fixed).toContain("              cpu: 100m\n              memory: 128Mi\n        - name: envoy");
    expect(fixed).not.toContain("limits:");
    const again = expectNothingLeft([CHECKOUT]);
    expect(summaryLines(again).filter((line) => line.includes("skipped"))).toHaveLength(3);
  });
});

describe("greenops fix with a LimitRange in the namespace", () => {
  const WEB = "environments/staging/shop/web.yaml";

  beforeEach(() => {
    repo.write(
      "environments/staging/shop/limit-range.yaml",
      `apiVersion: v1
kind: LimitRange
metadata:
  name: shop-defaults
  namespace: shop
spec:
  limits:
    - type: Container
      defaultRequest: { cpu: 200m, memory: 256Mi }
      default: { memory: 512Mi }
`,
    );
    repo.commit("environments, with the shop namespace's container defaults");
    repo.write(
      WEB,
      `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: shop
spec:
  replicas: 1
  selector:
    matchLabels: { app: web }
  template:
    metadata:
      labels: { app: web }
    spec:
      containers:
        - name: web
          image: nginx:1.27
`,
    );
  });

  it.each([[[]], [["--all", WEB]]])(
    "requests the LimitRange's defaults, not the built-in ones (%j)",
    (args) => {
      const run = greenops(repo.root, "fix", ...args);
      expect(run.status).toBe(0);
      expect(run.stdout).toContain(
        `  ${WEB}:15 requests-required: Request cpu 200m and memory 256Mi for container "web"`,
      );
      expect(readFileSync(join(repo.root, WEB), "utf8")).toContain(
        "          resources:\n            requests:\n              cpu: 200m\n              memory: 256Mi\n",
      );
      expectNothingLeft([WEB]);
    },
  );
});

describe("greenops fix while a configuration file has errors", () => {
  const REFUSAL =
    "greenops fix: no fix applied: the configuration has errors: until they are fixed, which policies apply, with which options and ignores, is unknown";

  it.each([
    [
      "malformed YAML",
      ".github/greenops.yml",
      "policies:\n  limits-ratio: [off\n  nonprod-schedule: off\n",
      ".github/greenops.yml:2 invalid YAML: a flow sequence ([) opened at line 2, column 17 is not closed",
    ],
    [
      "a value of the wrong type beside the policies it turns off",
      ".github/greenops.yml",
      "policies:\n  limits-ratio: off\n  nonprod-schedule: off\nscan:\n  maxFixesPerPullRequest: twenty\n",
      '.github/greenops.yml:5 "scan.maxFixesPerPullRequest" must be integer',
    ],
    [
      "a misspelt key",
      ".github/greenops.yml",
      "polices:\n  requests-required: off\n",
      '.github/greenops.yml:1 unknown key "polices" in the top level: did you mean "policies"?',
    ],
    [
      "an environment's settings with a budget in words",
      "environments/staging/greenops.yml",
      "cloud: aws\nregion: us-east-1\nnodeInstanceType: m5.large\nnodeCount: 3\ncurrency: USD\nbudgets:\n  monthlyCost: lots\n",
      'environments/staging/greenops.yml:7 "budgets.monthlyCost" must be number',
    ],
    [
      "the settings of an environment named with a non-ASCII letter (its path as git writes it)",
      "environments/café/greenops.yml",
      "cloud: aws\nregion: us-east-1\nnodeInstanceType: m5.large\nnodeCount: 3\ncurrency: USD\nbudgets:\n  monthlyCost: lots\n",
      '"environments/caf\\303\\251/greenops.yml":7 "budgets.monthlyCost" must be number',
    ],
  ])("with %s: applies nothing, says where, exits 1", (_, path, config, error) => {
    repo.write(path, config);
    repo.commit("environments, and a configuration file with an error");
    repo.write(CHECKOUT, CHECKOUT_TEXT);
    for (const args of [["fix"], ["fix", "--all", "environments"], ["fix", "--dry-run"]]) {
      const run = greenops(repo.root, ...args);
      expect([run.status, run.stdout, run.stderr]).toEqual([1, `${REFUSAL}\n  ${error}\n`, ""]);
      expect(readFileSync(join(repo.root, CHECKOUT), "utf8")).toBe(CHECKOUT_TEXT);
    }
  });
});

describe("greenops fix --all PATH edits only files under PATH", () => {
  const SETTINGS = "environments/prod/greenops.yml";
  const PREFER_ARM = `${SETTINGS}:4 prefer-arm`;
  const leftOut = (path: string, command: string) =>
    `  skipped ${PREFER_ARM}: it edits ${SETTINGS}, outside ${path}: \`greenops fix --all ${command}\` applies it`;

  beforeEach(() => {
    repo.commit("environments as in the GreenOps repository");
  });

  it.each([
    [
      "one manifest",
      ".",
      "environments/prod/shop/api.yaml",
      leftOut("environments/prod/shop/api.yaml", "environments/prod"),
    ],
    [
      "a folder of the environment",
      ".",
      "environments/prod/shop",
      leftOut("environments/prod/shop", "environments/prod"),
    ],
    [
      "one manifest, from its folder",
      "environments/prod/shop",
      "api.yaml",
      leftOut("environments/prod/shop/api.yaml", ".."),
    ],
    ["the environment", ".", "environments/prod", `  ${PREFER_ARM}: Use m6g.xlarge nodes`],
    ["the repository", ".", ".", `  ${PREFER_ARM}: Use m6g.xlarge nodes`],
  ])("%s: only files under it are edited; the settings' fix says how to apply it", (_, cwd, path, line) => {
    const settings = readFileSync(join(repo.root, SETTINGS), "utf8");
    const run = greenops(join(repo.root, cwd), "fix", "--all", path);
    expect(run.status).toBe(0);
    expect(summaryLines(run.stdout).filter((l) => l.includes("prefer-arm"))).toEqual([line]);
    const edited = repo
      .git("status", "--porcelain")
      .split("\n")
      .filter(Boolean)
      .map((l) => l.slice(3));
    const under = join(cwd, path) === "." ? "" : join(cwd, path);
    const inside = (file: string) => under === "" || file === under || file.startsWith(`${under}/`);
    expect(edited.filter((file) => !inside(file))).toEqual([]);
    expect(readFileSync(join(repo.root, SETTINGS), "utf8") === settings).toBe(line.includes("skipped"));
  });

  it("the command it names applies the fix it left out", () => {
    const first = greenops(repo.root, "fix", "--all", "environments/prod/shop");
    const command = /`greenops (fix --all [^`]+)` applies it/.exec(first.stdout)?.[1]?.split(" ") ?? [];
    expect(command).toEqual(["fix", "--all", "environments/prod"]);
    const second = greenops(repo.root, ...command);
    expect(summaryLines(second.stdout)).toContain(`  ${PREFER_ARM}: Use m6g.xlarge nodes`);
    expect(readFileSync(join(repo.root, SETTINGS), "utf8")).toContain("nodeInstanceType: m6g.xlarge\n");
  });
});

describe("greenops fix names a path as git does", () => {
  const FOLDER = "environments/staging/shop";
  /** File names, and how git status writes them (core.quotePath, its default: non-ASCII in octal). */
  const NAMES: [name: string, quoted: string][] = [
    ["new\nline.yaml", `"${FOLDER}/new\\nline.yaml"`],
    ["tab\there.yaml", `"${FOLDER}/tab\\there.yaml"`],
    ['say "hi".yaml', `"${FOLDER}/say \\"hi\\".yaml"`],
    ["back\\slash.yaml", `"${FOLDER}/back\\\\slash.yaml"`],
    ["café.yaml", `"${FOLDER}/caf\\303\\251.yaml"`],
    ["plain.yaml", `${FOLDER}/plain.yaml`],
  ];

  beforeEach(() => {
    repo.write(".github/greenops.yml", "policies:\n  limits-ratio:\n    options: { fixRatio: 3 }\n");
    repo.commit("environments, limits at 3× the requests");
    // A namespace of its own each: one Deployment in two files is one resource, its findings one.
    for (const [i, [name]] of NAMES.entries())
      repo.write(`${FOLDER}/${name}`, CHECKOUT_TEXT.replaceAll("namespace: shop", `namespace: shop-${i}`));
  });

  it("in the summary, the diff and the fixes left out, one line each, as git status writes them", () => {
    const status = repo.git("-c", "core.quotePath=true", "status", "--porcelain", "--", FOLDER);
    expect(
      status
        .split("\n")
        .filter(Boolean)
        .map((line) => line.slice(3))
        .sort(),
    ).toEqual(NAMES.map(([, quoted]) => quoted).sort());
    const run = greenops(repo.root, "fix");
    expect(run.status).toBe(0);
    const lines = run.stdout.split("\n");
    for (const [name, quoted] of NAMES) {
      expect(lines).toContain(`--- ${quoted.replace(/^("?)/, "$1a/")}`);
      expect(lines).toContain(`+++ ${quoted.replace(/^("?)/, "$1b/")}`);
      expect(lines).toContain(
        `  ${quoted}:16 requests-required: Request cpu 100m and memory 128Mi for container "checkout"`,
      );
      expect(lines.filter((line) => line.startsWith(`  skipped ${quoted}:`))).toHaveLength(3);
      expect(readFileSync(join(repo.root, FOLDER, name), "utf8")).toContain("downscaler/uptime");
    }
    const summary = summaryLines(run.stdout);
    expect(summary.filter((line) => !line.startsWith("  "))).toEqual([
      `greenops fix: applied ${NAMES.length * 3} fixes in ${NAMES.length} files`,
      expect.stringMatching(/^monthly change: /),
    ]);
  });
});
