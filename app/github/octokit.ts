import { ProbotOctokit } from "probot";
import { SECONDARY_LIMIT_MAX_WAIT_SECONDS, SECONDARY_LIMIT_RETRIES } from "./limits.ts";

export type Octokit = InstanceType<typeof ProbotOctokit>;

type LimitedRequest = { method: string; url: string; request: { retryCount: number } };

/**
 * Probot's client with the throttling and retry plugins on (Probot's defaults), except that a
 * secondary rate limit is retried, honouring `retry-after`, a bounded number of times: Probot's app
 * client only logs it and gives up. 403 and 422 answers are never retried (plugin-retry's default).
 */
export const GreenOpsOctokit = ProbotOctokit.defaults((options: Record<string, unknown>) => ({
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
}));

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
    const graphqlRead = options.url === "/graphql" && !/^\s*mutation\b/.test(String(options.query ?? ""));
    counts.calls++;
    if (options.method === "GET" || graphqlRead) counts.reads++;
    else counts.writes++;
  });
  return counts;
}
