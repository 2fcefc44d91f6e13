import { afterEach, describe, expect, it } from "vitest";
import { exampleDeployment } from "../../app/telemetry/example-usage.ts";
import { expectGolden } from "../helpers/golden.ts";
import { APP_LOGIN } from "./fake-github/fake-github.ts";
import { findingOn } from "./findings.ts";
import {
  API,
  API_RESOURCE,
  environmentFiles,
  moreCpu,
  opened,
  openPull,
  push,
  synchronize,
} from "./fixture.ts";
import { checkJson, type Harness, harness } from "./harness.ts";
import { pullRequestPayload } from "./payloads.ts";

let h: Harness;

afterEach(() => {
  h.github.assertClean();
});

const headApi = moreCpu()[API] as string;

/** A warning with a safe fix on the changed line (inside the diff's hunk). */
const cpuFinding = () =>
  findingOn(API, headApi, "cpu: 750m", {
    resource: API_RESOURCE,
    policy: "rightsize-cpu",
    severity: "warning",
    message: "CPU request 750m is 2.4× the observed p95 (310m)",
    replacement: "cpu: 400m",
  });

describe("a small pull request", () => {
  it("gets a check with the cost delta and one summary comment, in 6 requests", async () => {
    h = await harness();
    const scenario = openPull(h.github, moreCpu());
    await h.deliver("pull_request", opened(scenario));
    const [run] = h.github.checkRuns;
    expect(run?.status).toBe("completed");
    expect(run?.conclusion).toBe("success");
    expect(run?.head_sha).toBe(scenario.head);
    expect(run?.output.title).toBe("+$17.11/mo · +0.84 kgCO2e/mo");
    expect(h.github.comments).toHaveLength(1);
    expectGolden("github/small-pr-comment.md", h.github.comments[0]?.body ?? "");
    expectGolden("github/small-pr-check.json", checkJson(h));
    expect(h.github.calls().map((c) => `${c.method} ${c.template}`)).toEqual([
      "POST /repos/{owner}/{repo}/check-runs",
      "GET /repos/{owner}/{repo}/compare/{basehead}",
      "GET /repos/{owner}/{repo}/git/trees/{tree_sha}",
      "POST /graphql",
      "POST /repos/{owner}/{repo}/issues/{issue_number}/comments",
      "PATCH /repos/{owner}/{repo}/check-runs/{check_run_id}",
    ]);
    const log = h.logs.find((l) => l.msg === "GreenOps run");
    expect(log).toMatchObject({ calls: 6, reads: 3, writes: 3, outcome: "reviewed" });
    expect(log?.milliseconds).toBeTypeOf("number");
  });

  it("with a fixable finding: annotation, suggestion in a review, and an Apply fixes button", async () => {
    h = await harness({
      findings: () => [cpuFinding()],
      applyFixes: async (findings) => ({
        files: [{ path: API, text: headApi.replace("cpu: 750m", "cpu: 400m"), edits: [] }],
        applied: findings,
        skipped: [],
        impact: { monthlyCost: -10.27, monthlyCarbonKg: -0.5 },
      }),
    });
    const scenario = openPull(h.github, moreCpu());
    await h.deliver("pull_request", opened(scenario));
    const [run] = h.github.checkRuns;
    expect(run?.conclusion).toBe("success");
    expect(run?.actions).toEqual([
      { label: "Apply fixes", description: "Commit 1 verified fix", identifier: "fix" },
    ]);
    expectGolden("github/finding-check.json", checkJson(h));
    expect(h.github.reviews).toHaveLength(1);
    const [review] = h.github.reviews;
    expect(review?.commitId).toBe(scenario.head);
    expect(review?.comments).toHaveLength(1);
    expectGolden("github/finding-suggestion.md", String(review?.comments[0]?.body));
    expectGolden("github/finding-comment.md", h.github.comments[0]?.body ?? "");
  });

  it("fails the check on a blocking finding, annotations most severe first", async () => {
    const blocking = findingOn(API, headApi, "memory: 512Mi", {
      resource: API_RESOURCE,
      policy: "budget",
      severity: "error",
      message: "prod's budget of $50/month is exceeded",
    });
    h = await harness({ findings: () => [cpuFinding(), blocking] });
    await h.deliver("pull_request", opened(openPull(h.github, moreCpu())));
    const [run] = h.github.checkRuns;
    expect(run?.conclusion).toBe("failure");
    expect(run?.output.title).toBe("+$17.11/mo · +0.84 kgCO2e/mo · 1 error · 1 warning");
    expect(run?.annotations.map((a) => a.annotation_level)).toEqual(["failure", "warning"]);
  });
});

describe("a repository with no GreenOps configuration", () => {
  const checkout = (replicas: number) =>
    exampleDeployment(
      "checkout",
      replicas,
      '            requests: { cpu: "1", memory: 2Gi }\n            limits: { memory: 2Gi }\n',
    );

  it("proposes nothing meant for non-production, and says once how to declare environments", async () => {
    h = await harness();
    const base = { "k8s/checkout.yaml": checkout(6), "environments/prod/checkout.yaml": checkout(6) };
    const files = { "k8s/checkout.yaml": checkout(8), "environments/prod/checkout.yaml": checkout(8) };
    await h.deliver("pull_request", opened(openPull(h.github, files, 7, base)));
    const [run] = h.github.checkRuns;
    expect(run?.conclusion).toBe("success");
    expect(run?.annotations.map((a) => [a.path, a.message])).toEqual([
      [
        "environments/prod/checkout.yaml",
        'environment "prod" has no environments/prod/greenops.yml: its files are estimated with the built-in defaults, as production (by its name)',
      ],
    ]);
    expect(run?.actions).toEqual([]);
    expect(h.github.reviews).toEqual([]);
    const body = h.github.comments[0]?.body ?? "";
    expect(
      body.match(/Not known to be production or non-production: files outside any environment\./g),
    ).toHaveLength(1);
    expect(body).toContain("`environments/<name>/greenops.yml`");
    expect(body).not.toMatch(/nonprod-schedule|replicas-cap|default environment/);
  });
});

describe("a pull request with no IaC change", () => {
  it("gets a quick neutral check and no comment", async () => {
    h = await harness();
    await h.deliver(
      "pull_request",
      opened(openPull(h.github, { "README.md": "# shop infrastructure, documented\n" })),
    );
    const [run] = h.github.checkRuns;
    expect(run).toMatchObject({ status: "completed", conclusion: "neutral" });
    expect(run?.output.title).toBe("No infrastructure changes");
    expect(h.github.comments).toEqual([]);
    expect(h.github.calls()).toHaveLength(3);
  });
});

describe("pushes", () => {
  it("a second push edits the same comment; an identical review leaves it untouched", async () => {
    h = await harness();
    const first = openPull(h.github, moreCpu());
    await h.deliver("pull_request", opened(first));
    const second = push(h.github, first, moreCpu("1"));
    await h.deliver("pull_request", synchronize(second));
    expect(h.github.comments).toHaveLength(1);
    expect(h.github.comments[0]?.edits).toBe(1);
    expect(h.github.comments[0]?.body).toContain(`head=${second.head}`);
    await h.deliver("pull_request", pullRequestPayload("reopened", second.event));
    expect(h.github.comments[0]?.edits).toBe(1);
    expect(h.github.checkRuns).toHaveLength(3);
  });

  it("finds its comment among more than 100 others", async () => {
    h = await harness();
    const first = openPull(h.github, moreCpu());
    await h.deliver("pull_request", opened(first));
    for (let i = 0; i < 120; i++) h.github.addComment(first.number, "reviewer", `comment ${i}`);
    await h.deliver("pull_request", synchronize(push(h.github, first, moreCpu("1"))));
    expect(h.github.comments.filter((c) => c.author === APP_LOGIN)).toHaveLength(1);
  });

  it("does not repeat a suggestion on unchanged lines, and minimizes its reviews once outdated", async () => {
    h = await harness({
      findings: (report) =>
        report.rows.some((r) => r.after?.resource.source.span.file === API) && currentText.includes("750m")
          ? [
              findingOn(API, currentText, "cpu: 750m", {
                resource: API_RESOURCE,
                policy: "rightsize-cpu",
                severity: "warning",
                message: "too much CPU",
                replacement: "cpu: 400m",
                kind: "suggestion",
              }),
            ]
          : [],
    });
    let currentText = headApi;
    const first = openPull(h.github, moreCpu());
    await h.deliver("pull_request", opened(first));
    expect(h.github.reviews).toHaveLength(1);
    // an unrelated change elsewhere: the same suggestion on the same line is not posted again
    const files = environmentFiles();
    const worker = "environments/prod/shop/worker.yaml";
    const second = push(h.github, first, { [worker]: `${files[worker]}\n` });
    await h.deliver("pull_request", synchronize(second));
    expect(h.github.reviews).toHaveLength(1);
    expect(h.github.reviews[0]?.minimized).toBe(false);
    // the author takes the advice by hand: the old review is outdated and minimized
    currentText = headApi.replace("cpu: 750m", "cpu: 400m");
    const third = push(h.github, second, { [API]: currentText });
    await h.deliver("pull_request", synchronize(third));
    expect(h.github.reviews).toHaveLength(1);
    expect(h.github.reviews[0]?.minimized).toBe(true);
  });

  it("never anchors a suggestion outside the diff's hunks", async () => {
    const base = environmentFiles()[API] as string;
    // the finding is on line 35, far from the change on line 27
    h = await harness({
      findings: () => [
        findingOn(API, headApi, "type: LoadBalancer", {
          resource: API_RESOURCE,
          policy: "lb-type",
          severity: "notice",
          message: "an NLB costs less",
          replacement: "type: ClusterIP",
        }),
      ],
    });
    await h.deliver("pull_request", opened(openPull(h.github, moreCpu())));
    expect(base).toContain("type: LoadBalancer");
    expect(h.github.reviews).toEqual([]);
    expect(h.github.checkRuns[0]?.annotations).toHaveLength(1);
  });
});

describe("configuration", () => {
  it("a bad environment settings file fails the check with an annotation on its line", async () => {
    h = await harness();
    const settings = "environments/prod/greenops.yml";
    const text = (environmentFiles()[settings] as string).replace(
      "nodeCount: 6",
      "nodeCount: 6\nnodeCuont: 7",
    );
    await h.deliver("pull_request", opened(openPull(h.github, { ...moreCpu(), [settings]: text })));
    const [run] = h.github.checkRuns;
    expect(run?.conclusion).toBe("failure");
    expect(run?.output.title).toMatch(/1 configuration error$/);
    const annotation = run?.annotations.find((a) => a.path === settings);
    expect(annotation).toMatchObject({
      annotation_level: "failure",
      start_line: 6,
      title: "GreenOps · configuration error",
    });
    expect(String(annotation?.message)).toMatch(/nodeCuont/);
  });

  it("offers no fix to commit while a configuration file has errors", async () => {
    let asked = 0;
    h = await harness({
      findings: (report) => [...report.findings, cpuFinding()],
      applyFixes: async (findings) => {
        asked++;
        return { files: [], applied: findings, skipped: [], impact: { monthlyCost: 0, monthlyCarbonKg: 0 } };
      },
    });
    const config = "policies:\n  rightsize-cpu: off\nscan:\n  maxFixesPerPullRequest: twenty\n";
    await h.deliver(
      "pull_request",
      opened(openPull(h.github, { ...moreCpu(), ".github/greenops.yml": config })),
    );
    const [run] = h.github.checkRuns;
    expect(run?.conclusion).toBe("failure");
    expect(run?.output.title).toMatch(/1 configuration error$/);
    expect(run?.actions).toEqual([]);
    expect(asked).toBe(0);
  });
});

describe("large files", () => {
  it("reads a file GraphQL truncates whole, and never commits a fix to it, from the blob cache neither", async () => {
    const big = "environments/prod/shop/big.yaml";
    const padding = `# ${"x".repeat(98)}\n`.repeat(6000);
    const text = `${padding}${headApi}`;
    let offered = 0;
    h = await harness({
      findings: () => [
        findingOn(big, text, "cpu: 750m", {
          resource: API_RESOURCE,
          policy: "rightsize-cpu",
          severity: "warning",
          message: "too much CPU",
          replacement: "cpu: 400m",
        }),
      ],
      applyFixes: async (findings) => {
        offered += findings.length;
        return { files: [], applied: [], skipped: [], impact: { monthlyCost: 0, monthlyCarbonKg: 0 } };
      },
    });
    const first = openPull(h.github, { [big]: text });
    await h.deliver("pull_request", opened(first));
    // A push of another file: the second review finds the big file in the blob cache, still cut.
    await h.deliver("pull_request", synchronize(push(h.github, first, moreCpu("1"))));
    const wholeReads = h.github
      .calls()
      .filter((c) => c.template === "/repos/{owner}/{repo}/git/blobs/{file_sha}");
    expect(wholeReads).toHaveLength(1);
    expect(h.github.checkRuns.map((r) => r.output.summary)).toEqual([
      expect.stringMatching(/\+\$/),
      expect.stringMatching(/\+\$/),
    ]);
    expect(h.github.checkRuns.map((r) => r.annotations.some((a) => a.path === big))).toEqual([true, true]);
    expect(offered).toBe(0);
  });
});
