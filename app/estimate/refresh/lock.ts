import { closeSync, mkdirSync, openSync, readFileSync, rmSync, writeSync } from "node:fs";
import { hostname } from "node:os";
import { join } from "node:path";

/**
 * One refresh at a time per catalog folder, even when several workers (or machines) share it: a
 * lock file created exclusively, holding who took it and when. A lock whose process is gone (same
 * host) or older than STALE_AFTER_MS (a crashed worker elsewhere) is taken over.
 */
const STALE_AFTER_MS = 6 * 3600_000;

type Holder = { pid: number; host: string; since: string };

export async function withRefreshLock<T>(
  dir: string,
  work: () => Promise<T>,
): Promise<{ done: T } | { locked: string }> {
  mkdirSync(dir, { recursive: true });
  const file = join(dir, "refresh.lock");
  if (!take(file)) {
    const holder = readHolder(file);
    if (holder && !stale(holder))
      return { locked: `pid ${holder.pid} on ${holder.host} since ${holder.since}` };
    rmSync(file, { force: true });
    if (!take(file)) return { locked: "another refresh took the lock just now" };
  }
  try {
    return { done: await work() };
  } finally {
    rmSync(file, { force: true });
  }
}

function take(file: string): boolean {
  try {
    const fd = openSync(file, "wx");
    const holder: Holder = { pid: process.pid, host: hostname(), since: new Date().toISOString() };
    writeSync(fd, JSON.stringify(holder));
    closeSync(fd);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "EEXIST") return false;
    throw error;
  }
}

function readHolder(file: string): Holder | undefined {
  try {
    return JSON.parse(readFileSync(file, "utf8")) as Holder;
  } catch {
    return undefined;
  }
}

function stale(holder: Holder): boolean {
  if (Date.now() - Date.parse(holder.since) > STALE_AFTER_MS) return true;
  if (holder.host !== hostname()) return false;
  try {
    process.kill(holder.pid, 0);
    return false;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "ESRCH";
  }
}
