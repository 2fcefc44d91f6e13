import { availableParallelism } from "node:os";
import { ProgramRunner } from "../../app/iac/sandbox/programs.ts";

/** A runner for one test run's programs: tighter limits than the defaults, a budget that never bites. */
export function testPrograms(timeoutMs = 8000, budgetMs = 120_000): ProgramRunner {
  return new ProgramRunner({
    limits: { timeoutMs, memoryMb: 1024, maxOutputBytes: 16 * 1024 * 1024 },
    concurrency: availableParallelism(),
    budgetMs,
  });
}
