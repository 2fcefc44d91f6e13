import { afterEach, describe, expect, it } from "vitest";
import { expectGolden } from "../helpers/golden.ts";
import { APP_LOGIN, OWNER, REPO } from "./fake-github/fake-github.ts";
import { applyAll, findingOn } from "./findings.ts";
import {
  API,
  API_RESOURCE,
  environmentFiles,
  fixCommitPushed,
  moreCpu,
  opened,
  openPull,
  push,
  type Scenario,
  synchronize,
} from "./fixture.ts";
import { type Harness, harness } from "./harness.ts";
import { commentPayload, pullRequestPayload, requestedActionPayload } from "./payloads.ts";

let h: Harness;

afterEach(() => {
  h.github.assertClean();
});

const headApi = moreCpu()[API] as string;

/** A safe fix on the changed line, as long as the file still asks for 750m. */
function setup(options: { fork?: boolean } = {}): Promise<Scenario> {
  return (async () => {
    h = await harness({
      findings: () => {
        const text = currentApi();
        return text.includes("cpu: 750m")
          ? [
              findingOn(API, text, "cpu: 750m", {
                resource: API_RESOURCE,
                policy: "rightsize-cpu",
                severity: "warning",
                message: "CPU request 750m is 2.4× the observed p95 (310m)",
                replacement: "cpu: 400m",
              }),
            ]
          : [];
      },
      applyFixes: applyAll(() => currentApi()),
    });
    h.github.permissions.set("maintainer", "write");
    h.github.permissions.set("visitor", "read");
    const scenario = openPull(h.github, moreCpu());
    if (options.fork) {
      h.github.pull(scenario.number, {
        base: "main",
        head: "feature",
        fork: { owner: "contributor", sha: scenario.head },
      });
      scenario.event = { ...scenario.event, fork: "contributor" };
    }
    await h.deliver("pull_request", pullRequestPayload("opened", scenario.event));
    return scenario;
  })();
}

function currentApi(): string {
  const head = h.github.headOf(7);
  const oid = h.github.commits.get(head)?.tree.get(API) ?? "";
  return h.github.blobs.get(oid) ?? "";
}

function summary(): string {
  return h.github.comments.find((c) => c.author === APP_LOGIN)?.body ?? "";
}

describe("Apply fixes", () => {
  it("commits the verified fixes as the app, only on the reviewed head, with a trailer", async () => {
    const scenario = await setup();
    await h.deliver(
      "check_run",
      requestedActionPayload({ number: 7, headSha: scenario.head, identifier: "fix", sender: "maintainer" }),
    );
    const fixed = h.github.branches.get("feature") as string;
    const commit = h.github.commits.get(fixed);
    expect(commit?.parents).toEqual([scenario.head]);
    expect(currentApi()).toContain("cpu: 400m # p95 was 310m in October");
    expectGolden("github/fix-commit-message.txt", `${commit?.message}\n`);
    expect(commit?.message).toMatch(new RegExp(`^GreenOps-Fix: ${scenario.head}$`, "m"));
    expect(summary()).toMatch(/GreenOps committed 1 verified fix in [0-9a-f]{7}/);
    // GitHub then sends synchronize for the fix commit, sent by the app: reviewed, and no fix loop
    await h.deliver("pull_request", fixCommitPushed(scenario, fixed));
    expect(h.github.checkRuns.at(-1)).toMatchObject({ head_sha: fixed, conclusion: "success", actions: [] });
    expect(h.github.branches.get("feature")).toBe(fixed);
  });

  it("a try that dies after its commit is retried without a second commit or a 'moved' notice", async () => {
    const scenario = await setup();
    // the commit lands, then GitHub fails the comment's edit: the job is tried again
    h.github.fail("PATCH", "/repos/{owner}/{repo}/issues/comments/{comment_id}", 502, {
      message: "Server Error",
    });
    await h.deliver(
      "check_run",
      requestedActionPayload({ number: 7, headSha: scenario.head, identifier: "fix", sender: "maintainer" }),
    );
    const fixes = [...h.github.commits.values()].filter((c) => c.message.includes("GreenOps-Fix:"));
    expect(fixes).toHaveLength(1);
    expect(summary()).not.toMatch(/branch moved/);
    const runs = h.logs.filter((l) => l.msg === "GreenOps run" && l.kind === "fix").map((l) => l.outcome);
    expect(runs).toEqual(["retrying", "committed by an earlier try"]);
  });

  it("re-runs and says so when the head moved before the fix", async () => {
    const scenario = await setup();
    const moved = push(h.github, scenario, { [API]: headApi.replace("memory: 512Mi", "memory: 768Mi") });
    await h.deliver(
      "check_run",
      requestedActionPayload({ number: 7, headSha: scenario.head, identifier: "fix", sender: "maintainer" }),
    );
    expect(h.github.branches.get("feature")).toBe(moved.head);
    expect(h.github.checkRuns.at(-1)?.head_sha).toBe(moved.head);
    expect(summary()).toContain(
      `the branch moved from ${scenario.head.slice(0, 7)} to ${moved.head.slice(0, 7)}`,
    );
    expect(summary()).toContain(`head=${moved.head}`);
  });

  it("commits nothing when a push lands between the review and the commit (expectedHeadOid)", async () => {
    const scenario = await setup();
    let racing: string | undefined;
    h.github.onMutation = () => {
      if (racing) return;
      racing = push(h.github, scenario, { "README.md": "# raced\n" }).head;
    };
    await h.deliver(
      "check_run",
      requestedActionPayload({ number: 7, headSha: scenario.head, identifier: "fix", sender: "maintainer" }),
    );
    expect(h.github.branches.get("feature")).toBe(racing);
    expect(summary()).toContain("the branch moved from");
  });

  it.each([
    ["closed", false],
    ["merged", true],
  ])(
    "never commits to a %s pull request's branch: the branch is no longer under review",
    async (_, merged) => {
      const scenario = await setup();
      const pull = h.github.pulls.get(7);
      if (pull) Object.assign(pull, { state: "closed", merged });
      await h.deliver(
        "check_run",
        requestedActionPayload({
          number: 7,
          headSha: scenario.head,
          identifier: "fix",
          sender: "maintainer",
        }),
      );
      expect(h.github.branches.get("feature")).toBe(scenario.head);
      expect(summary()).toContain(
        "The pull request is closed: GreenOps commits only to the branch of an open pull request.",
      );
    },
  );

  it("never commits to a fork's branch: it explains and offers the suggestions", async () => {
    const scenario = await setup({ fork: true });
    expect(h.github.checkRuns[0]?.actions).toEqual([]);
    expect(h.github.reviews).toHaveLength(1);
    expect(summary()).toContain("comes from a fork");
    await h.deliver(
      "issue_comment",
      commentPayload({ number: 7, body: "/greenops fix", sender: "maintainer" }),
    );
    expect(h.github.headOf(7)).toBe(scenario.head);
    expect(summary()).toContain("GreenOps does not commit to a fork's branch");
  });
});

describe("commands", () => {
  it("/greenops fix by a read-only user is refused and explained", async () => {
    const scenario = await setup();
    await h.deliver(
      "issue_comment",
      commentPayload({ number: 7, body: "/greenops fix please", sender: "visitor" }),
    );
    expect(h.github.branches.get("feature")).toBe(scenario.head);
    expect(summary()).toContain(
      '@visitor: committing fixes needs write permission on the repository, and GitHub says your permission is "read"',
    );
    expect(
      h.github
        .calls()
        .some((c) => c.template === "/repos/{owner}/{repo}/collaborators/{username}/permission"),
    ).toBe(true);
  });

  it("/greenops fix by a writer commits", async () => {
    const scenario = await setup();
    await h.deliver(
      "issue_comment",
      commentPayload({ number: 7, body: "/greenops fix", sender: "maintainer" }),
    );
    expect(h.github.branches.get("feature")).not.toBe(scenario.head);
  });

  it("/greenops recheck by the author reviews again", async () => {
    await setup();
    await h.deliver(
      "issue_comment",
      commentPayload({ number: 7, body: "/greenops recheck", sender: "Codertocat", author: "Codertocat" }),
    );
    expect(h.github.checkRuns).toHaveLength(2);
    expect(summary()).toContain("@Codertocat asked for a recheck.");
  });

  it("ignores comments by bots and text that is not a command", async () => {
    await setup();
    const before = h.github.log.length;
    await h.deliver(
      "issue_comment",
      commentPayload({ number: 7, body: "/greenops fix", sender: APP_LOGIN, senderType: "Bot" }),
    );
    await h.deliver(
      "issue_comment",
      commentPayload({ number: 7, body: "Could you run `/greenops fix`?", sender: "maintainer" }),
    );
    expect(h.github.log.length).toBe(before);
  });
});

describe("the summary comment's limit", () => {
  it("stays below 65,536 characters with a link to the check run", async () => {
    const many: Record<string, string> = {};
    const template = environmentFiles()["environments/prod/shop/worker.yaml"] as string;
    for (let i = 0; i < 400; i++)
      many[`environments/prod/gen/w${i}.yaml`] = template.replaceAll("worker", `worker-${i}`);
    h = await harness();
    await h.deliver("pull_request", opened(openPull(h.github, many)));
    const body = summary();
    expect(body.length).toBeLessThan(65_536);
    expect(body).toContain(`https://github.com/${OWNER}/${REPO}/pull/7/checks`);
  });
});

describe("the engine's own fixes", () => {
  it("commits the storage-class fix the engine verified, and the next review finds nothing to fix", async () => {
    h = await harness();
    h.github.permissions.set("maintainer", "write");
    const claim = "environments/prod/shop/uploads.yaml";
    const gp2 = [
      "apiVersion: v1",
      "kind: PersistentVolumeClaim",
      "metadata:",
      "  name: uploads",
      "  namespace: shop",
      "spec:",
      "  accessModes: [ReadWriteOnce]",
      "  storageClassName: gp2 # the old default",
      "  resources:",
      "    requests:",
      "      storage: 500Gi",
      "",
    ].join("\n");
    const scenario = openPull(h.github, { [claim]: gp2 });
    await h.deliver("pull_request", opened(scenario));
    const [run] = h.github.checkRuns;
    expect(run?.annotations.map((a) => a.title)).toContain("GreenOps · storage-class");
    expect(run?.actions).toEqual([
      { label: "Apply fixes", description: "Commit 1 verified fix", identifier: "fix" },
    ]);
    await h.deliver(
      "check_run",
      requestedActionPayload({ number: 7, headSha: scenario.head, identifier: "fix", sender: "maintainer" }),
    );
    const fixed = h.github.branches.get("feature") as string;
    const text = h.github.blobs.get(h.github.commits.get(fixed)?.tree.get(claim) ?? "");
    expect(text).toBe(gp2.replace("storageClassName: gp2 #", "storageClassName: gp3 #"));
    expect(summary()).toMatch(/GreenOps committed 1 verified fix in [0-9a-f]{7}/);
    const event = { ...scenario.event, head: { sha: fixed, ref: "feature" } };
    await h.deliver("pull_request", synchronize({ ...scenario, head: fixed, event }));
    const again = h.github.checkRuns.at(-1);
    expect(again).toMatchObject({ head_sha: fixed, actions: [] });
    expect(again?.annotations.map((a) => a.title)).not.toContain("GreenOps · storage-class");
  });
});
