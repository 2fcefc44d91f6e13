import { Counter, Gauge, Histogram, Registry } from "prom-client";
import { type OutboundRequest, onOutbound } from "./outbound.ts";

type Counts = () => Promise<Record<string, number>>;

/** What the process's blob cache says of itself (app/github/read/blob-cache.ts). */
type BlobCacheStats = { readonly bytes: number; readonly hits: number; readonly misses: number };

const SECONDS = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300];

/**
 * The App's metrics in Prometheus' text format (`GET /metrics`): webhooks received, jobs waiting,
 * running and failed, how long jobs take by kind, and every request to GitHub and the other services
 * (with GitHub's remaining rate limit), as their clients report them (outbound.ts).
 */
export class Metrics {
  readonly registry = new Registry();
  readonly #stop: () => void;
  #counts: Counts | undefined;
  #blobCache: BlobCacheStats | undefined;

  readonly webhooks = new Counter({
    name: "greenops_webhooks_received_total",
    help: "Webhook deliveries received, by event (name.action); redeliveries included.",
    labelNames: ["event"],
    registers: [this.registry],
  });
  readonly jobs = new Counter({
    name: "greenops_jobs_finished_total",
    help: "Job tries finished, by kind and outcome (retrying: the try failed and the job will be tried again).",
    labelNames: ["kind", "outcome"],
    registers: [this.registry],
  });
  readonly jobSeconds = new Histogram({
    name: "greenops_job_duration_seconds",
    help: "Wall time of a job try, by kind.",
    labelNames: ["kind"],
    buckets: SECONDS,
    registers: [this.registry],
  });
  readonly queued = new Gauge({
    name: "greenops_jobs",
    help: "Jobs in the queue by state: waiting, running, delayed (a retry's backoff, or a pull request's lane busy), failed.",
    labelNames: ["state"],
    registers: [this.registry],
    collect: async () => {
      if (!this.#counts) return;
      for (const [state, count] of Object.entries(await this.#counts())) this.queued.set({ state }, count);
    },
  });
  readonly requests = new Counter({
    name: "greenops_outbound_requests_total",
    help: "Requests to the services GreenOps depends on (github, prometheus, opencost, grid-intensity, argocd, ai), by outcome.",
    labelNames: ["service", "outcome"],
    registers: [this.registry],
  });
  readonly requestSeconds = new Histogram({
    name: "greenops_outbound_request_duration_seconds",
    help: "Wall time of a request to a service GreenOps depends on.",
    labelNames: ["service"],
    buckets: SECONDS,
    registers: [this.registry],
  });
  readonly githubRequests = new Counter({
    name: "greenops_github_requests_total",
    help: "GitHub API requests by method and status (0: no answer).",
    labelNames: ["method", "status"],
    registers: [this.registry],
  });
  readonly rateLimit = new Gauge({
    name: "greenops_github_rate_limit_remaining",
    help: "Requests left in GitHub's rate limit window, as its last answer said, by installation and resource.",
    labelNames: ["installation", "resource"],
    registers: [this.registry],
  });

  readonly blobCacheBytes = new Gauge({
    name: "greenops_blob_cache_bytes",
    help: "Bytes the blob cache of this process holds (texts and keys), at most GREENOPS_BLOB_CACHE_MB.",
    registers: [this.registry],
    collect: () => {
      if (this.#blobCache) this.blobCacheBytes.set(this.#blobCache.bytes);
    },
  });
  readonly blobCacheReads = new Counter({
    name: "greenops_blob_cache_reads_total",
    help: "Reads of blobs the cache may keep, by outcome: hit (no request) or miss (read from GitHub).",
    labelNames: ["outcome"],
    registers: [this.registry],
    collect: () => {
      if (!this.#blobCache) return;
      this.blobCacheReads.reset();
      this.blobCacheReads.inc({ outcome: "hit" }, this.#blobCache.hits);
      this.blobCacheReads.inc({ outcome: "miss" }, this.#blobCache.misses);
    },
  });

  constructor() {
    this.#stop = onOutbound((request) => this.#outbound(request));
  }

  /** Where the blob cache's metrics read (this process's cache). */
  watchBlobCache(cache: BlobCacheStats): void {
    this.#blobCache = cache;
  }

  /** Where the job gauges read their counts (the queue of this process, or the shared one). */
  watch(counts: Counts): void {
    this.#counts = counts;
  }

  /** A job try finished (its wall time), or a job was skipped or given up (no time). */
  job(kind: string, outcome: string, seconds?: number): void {
    this.jobs.inc({ kind, outcome });
    if (seconds !== undefined) this.jobSeconds.observe({ kind }, seconds);
  }

  async text(): Promise<{ contentType: string; body: string }> {
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }

  close(): void {
    this.#stop();
  }

  #outbound(request: OutboundRequest): void {
    this.requests.inc({ service: request.service, outcome: request.outcome });
    this.requestSeconds.observe({ service: request.service }, request.seconds);
    if (request.service !== "github") return;
    this.githubRequests.inc({ method: request.method ?? "", status: String(request.status ?? 0) });
    if (request.rateLimit) {
      const { installation, resource, remaining } = request.rateLimit;
      this.rateLimit.set({ installation, resource }, remaining);
    }
  }
}
