import { ProbotOctokit } from "probot";
import { reportOutbound } from "../service/outbound.ts";
import { SECONDARY_LIMIT_MAX_WAIT_SECONDS, SECONDARY_LIMIT_RETRIES } from "./limits.ts";

export type Octokit = InstanceType<typeof ProbotOctokit>;

type Answer = { status?: number; headers?: Record<string, string | number | undefined> };

/**
 * Reports every request (retries and throttling included) with its status and, from GitHub's
 * `x-ratelimit-*` headers, what remains of the installation's rate limit.
 */
function reportRequests(octokit: Pick<Octokit, "hook">, options: { auth?: unknown }): void {
  const installation = String(
    (options.auth as { installationId?: number } | undefined)?.installationId ?? "app",
  );
  octokit.hook.wrap("request", async (request, route) => {
    const started = performance.now();
    const report = (answer: Answer | undefined, outcome: "ok" | "error") => {
      const remaining = Number(answer?.headers?.["x-ratelimit-remaining"]);
      reportOutbound({
        service: "github",
        outcome,
        seconds: (performance.now() - started) / 1000,
        method: route.method,
        ...(answer?.status ? { status: answer.status } : {}),
        ...(Number.isFinite(remaining)
          ? {
              rateLimit: {
                remaining,
                resource: String(answer?.headers?.["x-ratelimit-resource"] ?? "core"),
                installation,
              },
            }
          : {}),
      });
    };
    try {
      const response = await request(route);
      report(response, "ok");
      return response;
    } catch (error) {
      report((error as { response?: Answer }).response ?? (error as Answer), "error");
      throw error;
    }
  });
}

type LimitedRequest = { method: string; url: string; request: { retryCount: number } };

/**
 * Probot's client with the throttling and retry plugins on (Probot's defaults), except that a
 * secondary rate limit is retried, honouring `retry-after`, a bounded number of times: Probot's app
 * client only logs it and gives up. 403 and 422 answers are never retried (plugin-retry's default).
 */
export const GreenOpsOctokit = ProbotOctokit.plugin(reportRequests).defaults(
  (options: Record<string, unknown>) => ({
    ...options,
    throttle: {
      ...(options.throttle as object | undefined),
      onSecondaryRateLimit: (retryAfter: number, request: LimitedRequest, octokit: Octokit) => {
        const retry =
          request.request.retryCount < SECONDARY_LIMIT_RETRIES &&
          retryAfter <= SECONDARY_LIMIT_MAX_WAIT_SECONDS;
        const next = retry ? `retrying after ${retryAfter} s as GitHub asks` : "giving up";
        octokit.log.warn(`GitHub secondary rate limit on ${request.method} ${request.url}: ${next}`);
        return retry;
      },
    },
  }),
);

/** What one run asked of GitHub: logged at the end of every run, and counted by the benchmark. */
export type Meter = {
  calls: number;
  reads: number;
  writes: number;
  started: number;
};

/** Counts the requests made through this client (each retry included, token exchanges excluded). */
export function meter(octokit: Octokit): Meter {
  const counts: Meter = { calls: 0, reads: 0, writes: 0, started: performance.now() };
  octokit.hook.before("request", (options) => {
    if (options.url.endsWith("/access_tokens")) return;
    const graphqlRead = options.url === "/graphql" && !/^\s*mutation\b/.test(String(options.query ?? ""));
    counts.calls++;
    if (options.method === "GET" || graphqlRead) counts.reads++;
    else counts.writes++;
  });
  return counts;
}

/** What a run asked of GitHub and how long it took, for its log line. */
export function meterFields(meter: Meter): {
  calls: number;
  reads: number;
  writes: number;
  milliseconds: number;
} {
  const { calls, reads, writes, started } = meter;
  return { calls, reads, writes, milliseconds: Math.round(performance.now() - started) };
}
