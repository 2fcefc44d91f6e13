import type { Probot } from "probot";
import type { Octokit } from "./octokit.ts";
import { type ScanJob, scanJob } from "./scan-run.ts";

/** How often the schedule looks for repositories due a scan: at least this often, so new installations wait little. */
const LOOK_EVERY_MS = 3600_000;

/**
 * Scans on a schedule (`GREENOPS_SCAN_INTERVAL`): every installation's repositories, each queued at most
 * once per interval (remembered by this process), archived ones left out.
 */
export class ScanSchedule {
  readonly #app: Probot;
  readonly #intervalMs: number;
  readonly #push: (job: ScanJob) => Promise<unknown>;
  readonly #last = new Map<string, number>();
  #timer: NodeJS.Timeout | undefined;

  constructor(app: Probot, intervalMs: number, push: (job: ScanJob) => Promise<unknown>) {
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

  /** Queues a scan of every installed repository not scanned within the interval; returns how many. */
  async due(now = Date.now()): Promise<number> {
    const app = (await this.#app.auth()) as Octokit;
    const installations = await app.paginate(app.rest.apps.listInstallations, { per_page: 100 });
    let queued = 0;
    for (const installation of installations) {
      const octokit = (await this.#app.auth(installation.id)) as Octokit;
      const repositories = await octokit.paginate(octokit.rest.apps.listReposAccessibleToInstallation, {
        per_page: 100,
      });
      for (const repository of repositories) {
        const last = this.#last.get(repository.full_name);
        if (repository.archived || (last !== undefined && now - last < this.#intervalMs)) continue;
        this.#last.set(repository.full_name, now);
        const target = {
          owner: repository.owner.login,
          repo: repository.name,
          installationId: installation.id,
          defaultBranch: repository.default_branch,
        };
        await this.#push(scanJob(target, "schedule"));
        queued++;
      }
    }
    return queued;
  }
}
