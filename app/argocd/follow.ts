import type { AppName, ArgoCdClient } from "./client.ts";
import { ArgoCdError } from "./errors.ts";
import type { LiveApplication } from "./types.ts";

export type FollowOptions = {
  /** Aborted at the deadline: the streams are cut and the last state seen is returned. */
  signal: AbortSignal;
  /** The first wait between two requests; a request never follows another sooner than this. */
  intervalMs: number;
  /** Waits grow by half after each answer that did not settle, up to this. */
  maxIntervalMs: number;
};

export type Followed =
  | { outcome: "settled"; application: LiveApplication }
  | { outcome: "timeout"; application: LiveApplication | undefined; error?: ArgoCdError }
  | { outcome: "error"; application: LiveApplication | undefined; error: ArgoCdError };

/**
 * Follows one Application until `settled` says so or the signal ends it: through its watch stream (one
 * request for as long as ArgoCD keeps it open), else, where the stream is not served, by polling.
 * Between two requests it waits the interval, growing with backoff, so a watch makes at most one
 * request per interval. A refusal (token, permission, unknown Application) ends it at once.
 */
export async function follow(
  client: ArgoCdClient,
  app: AppName,
  settled: (application: LiveApplication) => boolean,
  options: FollowOptions,
): Promise<Followed> {
  let last: LiveApplication | undefined;
  let lastError: ArgoCdError | undefined;
  let stream = true;
  let wait = options.intervalMs;
  while (!options.signal.aborted) {
    const started = performance.now();
    try {
      if (stream) {
        for await (const application of client.watch(app, options.signal)) {
          last = application;
          if (settled(application)) return { outcome: "settled", application };
        }
      } else {
        last = await client.application(app);
        if (settled(last)) return { outcome: "settled", application: last };
      }
      lastError = undefined;
    } catch (error) {
      if (options.signal.aborted) break;
      if (!(error instanceof ArgoCdError)) throw error;
      if (stream && (error.kind === "unsupported" || error.kind === "not-found"))
        stream = false; // a proxy that does not pass the stream: poll instead, after the interval
      else if (error.final) return { outcome: "error", application: last, error };
      lastError = error;
    }
    await pause(Math.max(0, started + wait - performance.now()), options.signal);
    wait = Math.min(options.maxIntervalMs, wait * 1.5);
  }
  return { outcome: "timeout", application: last, ...(lastError ? { error: lastError } : {}) };
}

function pause(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(done, ms);
    signal.addEventListener("abort", done, { once: true });
    function done() {
      clearTimeout(timer);
      signal.removeEventListener("abort", done);
      resolve();
    }
  });
}
