import { generateKeyPairSync, randomUUID } from "node:crypto";
import { Writable } from "node:stream";
import { pino } from "pino";
import { Probot } from "probot";
import type { AiProvider } from "../../app/ai/provider.ts";
import type { Finding } from "../../app/engine/finding.ts";
import { checkFixes } from "../../app/engine/fix-outcomes.ts";
import { checkedReviewSnapshots } from "../../app/engine/review.ts";
import type { CheckedReview, Report } from "../../app/engine/types.ts";
import type { ApplyFixes } from "../../app/github/apply-fixes.ts";
import { type GreenOpsApp, greenOps, type QueueFactory } from "../../app/github/index.ts";
import { GreenOpsOctokit } from "../../app/github/octokit.ts";
import { PullQueue, type RetryPolicy } from "../../app/github/queue.ts";
import { FakeGitHub } from "./fake-github/fake-github.ts";

const { privateKey } = generateKeyPairSync("rsa", {
  modulusLength: 2048,
  privateKeyEncoding: { type: "pkcs1", format: "pem" },
  publicKeyEncoding: { type: "spki", format: "pem" },
});

export const WEBHOOK_SECRET = "greenops-test-secret";

/** A limiter that never waits: throttling's rules stay on (retries, retry-after), its spacing does not. */
const noWait = {
  key: () => ({
    schedule: (_options: unknown, task: (...a: unknown[]) => unknown, ...args: unknown[]) => task(...args),
  }),
};

export type Harness = {
  github: FakeGitHub;
  probot: Probot;
  app: GreenOpsApp;
  logs: Record<string, unknown>[];
  /** Delivers a webhook as GitHub would (Probot verifies nothing here: see the signature test) and waits for the work. */
  deliver(name: string, payload: object, id?: string): Promise<void>;
};

/**
 * The App, as Probot runs it, against a fake GitHub (injected `fetch`). Throttling is off (the function
 * form of `ProbotOctokit.defaults`, the object form does not turn it off) unless `throttle: "no-wait"`
 * keeps the plugin's retry logic with no spacing between requests.
 */
export type HarnessOptions = {
  /** Stand-in findings, as a policy would report them: the engine's report's findings then (their fixes checked as the engine's are). */
  findings?: (report: Report) => Finding[];
  applyFixes?: ApplyFixes;
  throttle?: "off" | "no-wait";
  mode?: "app" | "action";
  /** The App's environment (ARGOCD_SERVER, ARGOCD_AUTH_TOKEN, GREENOPS_SCAN_INTERVAL); none by default. */
  env?: Record<string, string>;
  /** Tries per job and the first backoff (default: 3 tries, 10 ms apart, so failing tests stay quick). */
  retry?: RetryPolicy;
  /** Another job transport (the durable queue's tests). */
  queue?: QueueFactory;
  /** Share one fake GitHub between several apps (replicas of the App). */
  github?: FakeGitHub;
  /** The AI advisor's endpoint; none by default. */
  ai?: AiProvider | string;
};

export async function harness(options: HarnessOptions = {}): Promise<Harness> {
  const github = options.github ?? new FakeGitHub();
  const logs: Record<string, unknown>[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      logs.push(JSON.parse(String(chunk)));
      done();
    },
  });
  const Octokit = GreenOpsOctokit.defaults((o: Record<string, unknown>) => ({
    ...o,
    retry: { enabled: false },
    throttle:
      options.throttle === "no-wait"
        ? {
            ...(o.throttle as object),
            enabled: true,
            retryAfterBaseValue: 1,
            write: noWait,
            notifications: noWait,
          }
        : { enabled: false },
  }));
  const probot = new Probot({
    appId: 1,
    privateKey,
    secret: WEBHOOK_SECRET,
    Octokit: Octokit as typeof GreenOpsOctokit,
    log: pino({ level: "debug" }, stream),
    request: { fetch: github.fetch },
  });
  const findings = options.findings;
  const app = greenOps({
    ...(options.applyFixes ? { applyFixes: options.applyFixes } : {}),
    ...(findings
      ? { review: async (input) => withFindings(await checkedReviewSnapshots(input), findings) }
      : {}),
    mode: options.mode ?? "app",
    env: options.env ?? {},
    deployPace: { intervalMs: 20, maxIntervalMs: 40 },
    queue:
      options.queue ??
      ((handlers, rules) => new PullQueue(handlers, rules, options.retry ?? { attempts: 3, backoffMs: 10 })),
    ai: options.ai ?? "no model is configured",
  });
  await probot.load(app);
  return {
    github,
    probot,
    app,
    logs,
    async deliver(name, payload, id = randomUUID()) {
      await probot.receive({ id, name, payload } as Parameters<Probot["receive"]>[0]);
      await app.idle();
    },
  };
}

/** The review's findings replaced; the fixes of those the engine did not report are checked as its own were. */
async function withFindings(
  checked: CheckedReview,
  findings: (report: Report) => Finding[],
): Promise<CheckedReview> {
  const all = findings(checked.report);
  await checkFixes(
    all.filter((finding) => !checked.report.findings.includes(finding)),
    checked,
  );
  return { ...checked, report: { ...checked.report, findings: all } };
}

/** The first check run as a golden file shows it: title, conclusion, summary, annotations and actions. */
export function checkJson(harness: Harness): string {
  const run = harness.github.checkRuns[0];
  const shown = {
    title: run?.output.title,
    conclusion: run?.conclusion,
    summary: run?.output.summary,
    annotations: run?.annotations,
    actions: run?.actions,
  };
  return `${JSON.stringify(shown, null, 2)}\n`;
}
