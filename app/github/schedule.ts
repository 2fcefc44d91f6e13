import type { Probot } from "probot";
import type { Octokit } from "./octokit.ts";
import type { JobQueue } from "./queue.ts";
import { type ScanJob, scanJob } from "./scan-run.ts";

/** How often the schedule looks for repositories due a scan: at least this often, so new installations wait little. */
const LOOK_EVERY_MS = 3600_000;

/**
 * Scans on a schedule (`GREENOPS_SCAN_INTERVAL`): every installation's repositories, archived ones left
 * out, once per interval. Intervals are counted from the epoch (24h: from midnight UTC), so every
 * replica names the same one, and the queue keeps one scan per repository per interval however many
 * replicas push it, whenever they start (the scan job's `heldUntil`).
 */
export class ScanSchedule {
  readonly #app: Probot;
  readonly #intervalMs: number;
  readonly #push: JobQueue<ScanJob>["push"];
  #timer: NodeJS.Timeout | undefined;

  constructor(app: Probot, intervalMs: number, push: JobQueue<ScanJob>["push"]) {
    this.#app = app;
    this.#intervalMs = intervalMs;
    this.#push = push;
  }

  start(): void {
    this.#timer ??= setInterval(
      () => this.due().catch((error) => this.#app.log.error({ err: error }, "scheduled scans failed")),
      Math.min(this.#intervalMs, LOOK_EVERY_MS),
    ).unref();
  }

  stop(): void {
    clearInterval(this.#timer);
    this.#timer = undefined;
  }

  /** Queues a scan of every installed repository not yet scanned in the interval of `now`; returns how many. */
  async due(now = Date.now()): Promise<number> {
    const start = now - (now % this.#intervalMs);
    const interval = { start, end: start + this.#intervalMs };
    const app = (await this.#app.auth()) as Octokit;
    const installations = await app.paginate(app.rest.apps.listInstallations, { per_page: 100 });
    let queued = 0;
    for (const installation of installations) {
      const octokit = (await this.#app.auth(installation.id)) as Octokit;
      const repositories = await octokit.paginate(octokit.rest.apps.listReposAccessibleToInstallation, {
        per_page: 100,
      });
      for (const repository of repositories) {
        if (repository.archived) continue;
        const target = {
          owner: repository.owner.login,
          repo: repository.name,
          installationId: installation.id,
          defaultBranch: repository.default_branch,
        };
        if ((await this.#push({ ...scanJob(target, "schedule", interval), at: now })) === "queued") queued++;
      }
    }
    return queued;
  }
}
