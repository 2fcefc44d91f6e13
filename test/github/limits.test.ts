import { createHmac, randomUUID } from "node:crypto";
import { mkdtempSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import type { Finding } from "../../app/engine/finding.ts";
import { runAction } from "../../app/github/action.ts";
import { expectGolden } from "../helpers/golden.ts";
import { FakeGitHub, TOKEN } from "./fake-github/fake-github.ts";
import { findingOn } from "./findings.ts";
import { environmentFiles, moreCpu, opened, openPull } from "./fixture.ts";
import { type Harness, harness, WEBHOOK_SECRET } from "./harness.ts";

let h: Harness | undefined;

afterEach(() => {
  h?.github.assertClean();
  h = undefined;
});

const SECONDARY = {
  message: "You have exceeded a secondary rate limit. Please wait a few minutes before you try again.",
  documentation_url:
    "https://docs.github.com/rest/overview/rate-limits-for-the-rest-api#about-secondary-rate-limits",
};

describe("rate limits and refusals", () => {
  it("waits as a secondary rate limit's retry-after says, then goes on", async () => {
    h = await harness({ throttle: "no-wait" });
    h.github.fail("POST", "/repos/{owner}/{repo}/issues/{issue_number}/comments", 403, SECONDARY, {
      "retry-after": "1",
    });
    await h.deliver("pull_request", opened(openPull(h.github, moreCpu())));
    expect(h.github.comments).toHaveLength(1);
    expect(h.github.checkRuns[0]).toMatchObject({ status: "completed", conclusion: "success" });
    const posts = h.github.calls().filter((c) => c.template.endsWith("/comments"));
    expect(posts.map((c) => c.status)).toEqual([403, 201]);
    expect(h.logs.some((l) => /secondary rate limit/.test(String(l.msg)))).toBe(true);
  });

  it("explains a 403 in the check's summary instead of retrying it", async () => {
    h = await harness();
    h.github.fail("POST", "/repos/{owner}/{repo}/issues/{issue_number}/comments", 403, {
      message: "Resource not accessible by integration",
    });
    await h.deliver("pull_request", opened(openPull(h.github, moreCpu())));
    expect(h.github.comments).toEqual([]);
    const run = h.github.checkRuns[0];
    expect(run?.status).toBe("completed");
    expect(run?.output.summary).toContain(
      "GreenOps could not write the summary comment: GitHub refused (403: Resource not accessible by integration)",
    );
    expect(h.github.calls().filter((c) => c.template.endsWith("/comments"))).toHaveLength(1);
  });

  it("tries a run again after GitHub's 502, on the same check run", async () => {
    h = await harness();
    h.github.fail("GET", "/repos/{owner}/{repo}/compare/{basehead}", 502, { message: "Server Error" });
    await h.deliver("pull_request", opened(openPull(h.github, moreCpu())));
    expect(h.github.checkRuns).toHaveLength(1);
    expect(h.github.checkRuns[0]).toMatchObject({ status: "completed", conclusion: "success" });
    expect(h.github.comments).toHaveLength(1);
    const runs = h.logs.filter((l) => l.msg === "GreenOps run").map((l) => [l.try, l.outcome]);
    expect(runs).toEqual([
      [1, "retrying"],
      [2, "reviewed"],
    ]);
  });

  it("after the last try, completes the check as failed and says why", async () => {
    h = await harness({ retry: { attempts: 2, backoffMs: 1 } });
    h.github.fail("GET", "/repos/{owner}/{repo}/compare/{basehead}", 502, { message: "Server Error" }, {}, 2);
    await h.deliver("pull_request", opened(openPull(h.github, moreCpu())));
    expect(h.github.checkRuns).toHaveLength(1);
    expect(h.github.checkRuns[0]).toMatchObject({ status: "completed", conclusion: "failure" });
    expect(h.github.checkRuns[0]?.output.summary).toMatch(
      /^GreenOps failed 2 times; the last error: Server Error/,
    );
  });

  it("completes the check as failed, with the reason, when GitHub refuses a read", async () => {
    h = await harness();
    h.github.fail("GET", "/repos/{owner}/{repo}/compare/{basehead}", 422, {
      message: "Validation Failed",
      errors: ["No common ancestor"],
    });
    await h.deliver("pull_request", opened(openPull(h.github, moreCpu())));
    expect(h.github.checkRuns[0]).toMatchObject({ status: "completed", conclusion: "failure" });
    expect(h.github.checkRuns[0]?.output.summary).toContain("422: Validation Failed; No common ancestor");
  });
});

describe("webhooks", () => {
  it("refuses a bad signature and handles a good one (Probot's middleware over HTTP on 127.0.0.1)", async () => {
    h = await harness();
    const payload = JSON.stringify(opened(openPull(h.github, moreCpu())));
    const middleware = await h.probot.getNodeMiddleware();
    const server = createServer((request, response) => void middleware(request, response));
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as AddressInfo;
    const post = (signature: string) =>
      fetch(`http://127.0.0.1:${port}/api/github/webhooks`, {
        method: "POST",
        headers: {
          "content-type": "application/json",
          "x-github-event": "pull_request",
          "x-github-delivery": randomUUID(),
          "x-hub-signature-256": signature,
        },
        body: payload,
      });
    try {
      const bad = await post(`sha256=${"0".repeat(64)}`);
      expect(bad.status).toBe(400);
      expect(h.github.log).toEqual([]);
      const good = await post(`sha256=${createHmac("sha256", WEBHOOK_SECRET).update(payload).digest("hex")}`);
      expect(good.status).toBe(200);
      await h.app.idle();
      expect(h.github.checkRuns[0]?.status).toBe("completed");
    } finally {
      server.close();
    }
  });

  it("does no work twice for a redelivered webhook (same delivery id)", async () => {
    h = await harness();
    const payload = opened(openPull(h.github, moreCpu()));
    await h.deliver("pull_request", payload, "delivery-1");
    const calls = h.github.calls().length;
    await h.deliver("pull_request", payload, "delivery-1");
    expect(h.github.calls()).toHaveLength(calls);
    expect(h.github.checkRuns).toHaveLength(1);
    expect(h.logs.some((l) => l.msg === "redelivered webhook: already handled")).toBe(true);
  });
});

describe("a pull request touching 300 files with 120 findings", () => {
  it("delivers every annotation, most severe first, 50 per request, in a flat number of requests", async () => {
    const template = environmentFiles()["environments/prod/shop/worker.yaml"] as string;
    const files: Record<string, string> = {};
    for (let i = 0; i < 300; i++)
      files[`environments/prod/gen/w${i}.yaml`] = template.replaceAll("worker", `worker-${i}`);
    const severities = ["notice", "warning", "error"] as const;
    h = await harness({
      findings: () =>
        Object.entries(files)
          .slice(0, 120)
          .map(
            ([path, text], i): Finding =>
              findingOn(path, text, "replicas:", {
                policy: `policy-${i % 3}`,
                severity: severities[i % 3] ?? "notice",
                message: `finding ${i}`,
              }),
          ),
    });
    await h.deliver("pull_request", opened(openPull(h.github, files)));
    const run = h.github.checkRuns[0];
    expect(run?.annotations).toHaveLength(120);
    expect(run?.annotationRequests).toBe(3);
    const levels = run?.annotations.map((a) => a.annotation_level) ?? [];
    expect(levels.slice(0, 40).every((l) => l === "failure")).toBe(true);
    expect(levels.slice(80).every((l) => l === "notice")).toBe(true);
    expect(run?.conclusion).toBe("failure");
    expectGolden(
      "github/300-files-annotations.json",
      `${JSON.stringify(run?.annotations.slice(0, 3), null, 2)}\n`,
    );
    const calls = h.github.calls().map((c) => `${c.method} ${c.template}`);
    expect(calls.filter((c) => c === "PATCH /repos/{owner}/{repo}/check-runs/{check_run_id}")).toHaveLength(
      3,
    );
    expect(calls.length).toBeLessThanOrEqual(10);
  });
});

describe("GitHub Action mode", () => {
  it("reviews the workflow's pull request with its token, and offers suggestions, never commits", async () => {
    const github = new FakeGitHub();
    const scenario = openPull(github, moreCpu());
    const dir = mkdtempSync(join(tmpdir(), "greenops-action-"));
    const eventPath = join(dir, "event.json");
    writeFileSync(eventPath, JSON.stringify(opened(scenario)));
    const status = await runAction(
      {
        GITHUB_TOKEN: TOKEN,
        GITHUB_EVENT_NAME: "pull_request_target",
        GITHUB_EVENT_PATH: eventPath,
        GITHUB_RUN_ID: "42",
        LOG_LEVEL: "error",
      },
      { fetch: github.fetch },
    );
    expect(status).toBe(0);
    expect(github.checkRuns[0]).toMatchObject({ status: "completed", conclusion: "success", actions: [] });
    expect(github.comments[0]?.body).toContain("`/greenops recheck` reviews again");
    expect(github.calls().some((c) => c.template.endsWith("/access_tokens"))).toBe(false);
    github.assertClean();
  });
});
