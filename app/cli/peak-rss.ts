import { readFileSync } from "node:fs";

/**
 * This process's peak resident memory, in MB. On Linux, the high-water mark of its own memory
 * (`VmHWM`): `getrusage`'s maxrss (`process.resourceUsage().maxRSS`) also keeps the parent's resident
 * memory at the fork, so a run started by a large process (the bench, which held ~320 MB) read as
 * that large whatever it used. Elsewhere, maxrss.
 */
export function peakRssMb(): number {
  try {
    const kb = /^VmHWM:\s+(\d+) kB$/m.exec(readFileSync("/proc/self/status", "utf8"))?.[1];
    if (kb) return Number(kb) / 1024;
  } catch {
    // no /proc: not Linux
  }
  return process.resourceUsage().maxRSS / 1024;
}
