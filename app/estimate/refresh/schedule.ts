import { spawn } from "node:child_process";
import { setPriority } from "node:os";
import { fileURLToPath } from "node:url";
import { parseDuration } from "../../telemetry/duration.ts";
import { reloadCatalogs } from "../catalog/catalog-store.ts";

/**
 * The App's own refresh (GREENOPS_CATALOG_REFRESH=24h; off when unset): every period, once no
 * review is running, `greenops catalogs refresh` runs in a child process at low priority (its
 * parsing never blocks webhooks, and its memory is its own); the file lock keeps workers that
 * share a cache from refreshing together. Whatever the outcome, the new catalog (or the last
 * good one) is taken up between reviews, never during one. A failure is logged, never fatal.
 */
export type RefreshLog = {
  info(details: object, message: string): void;
  warn(details: object, message: string): void;
  error(details: object, message: string): void;
};

export type RefreshRun = () => Promise<{ status: number | null; output: string }>;

export type CatalogSchedule = { stop(): void; tick(): Promise<void> };

const BIN = fileURLToPath(new URL("../../../bin/greenops.js", import.meta.url));
const IDLE_POLL_MS = 60_000;
const OUTPUT_KEPT = 4000;

export function scheduleCatalogRefresh(options: {
  every: string | undefined;
  busy: () => boolean;
  log: RefreshLog;
  run?: RefreshRun;
  idlePollMs?: number;
}): CatalogSchedule | undefined {
  if (!options.every) return undefined;
  const seconds = parseDuration(options.every);
  if (seconds === undefined) {
    options.log.error(
      { GREENOPS_CATALOG_REFRESH: options.every },
      "not a duration (e.g. 24h, 7d): catalogs are not refreshed",
    );
    return undefined;
  }
  const run = options.run ?? refreshInChild;
  const poll = options.idlePollMs ?? IDLE_POLL_MS;
  let timer: NodeJS.Timeout | undefined;
  let running = false;
  const whenIdle = async () => {
    while (options.busy()) await new Promise((resolve) => setTimeout(resolve, poll).unref());
  };
  const tick = async () => {
    if (running) return;
    running = true;
    try {
      await whenIdle();
      const { status, output } = await run();
      if (status === 0) options.log.info({ output }, "price catalogs refreshed");
      else
        options.log.warn(
          { status, output },
          "price catalogs not refreshed: the last good catalog stays in use",
        );
      await whenIdle();
      reloadCatalogs();
    } catch (error) {
      options.log.error({ err: error }, "price catalog refresh failed: the last good catalog stays in use");
    } finally {
      running = false;
    }
  };
  const next = () => {
    timer = setTimeout(() => void tick().finally(next), seconds * 1000);
    timer.unref();
  };
  next();
  return { stop: () => clearTimeout(timer), tick };
}

function refreshInChild(): Promise<{ status: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, "catalogs", "refresh", "--quiet", "--stats"], {
      env: process.env,
      stdio: ["ignore", "pipe", "pipe"],
    });
    try {
      if (child.pid) setPriority(child.pid, 19);
    } catch {
      // lowering the priority is best effort
    }
    let output = "";
    const keep = (chunk: Buffer) => {
      output = (output + chunk.toString()).slice(-OUTPUT_KEPT);
    };
    child.stdout.on("data", keep);
    child.stderr.on("data", keep);
    child.on("error", reject);
    child.on("close", (status) => resolve({ status, output: output.trim() }));
  });
}
