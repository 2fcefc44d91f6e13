import { availableParallelism } from "node:os";
import {
  DEFAULT_LIMITS,
  runSandboxed,
  type SandboxLimits,
  type SandboxResult,
  type SandboxRun,
} from "./sandbox.ts";

/** How a run's repository programs are held: each one's limits, how many at once, and the run's budget. */
export type ProgramSettings = {
  /** Time, memory and output of one program (one Pulumi stack, one CDKTF synth). */
  limits: SandboxLimits;
  /** Programs running at once, in the whole process (default: as many as cores). */
  concurrency: number;
  /** Wall-clock time all the programs of one review (or estimate) may take, queueing included. */
  budgetMs: number;
};

export const DEFAULT_BUDGET_MS = 60_000;

/**
 * The defaults, or what the operator's environment sets: GREENOPS_PROGRAM_TIMEOUT and
 * GREENOPS_PROGRAM_BUDGET (seconds), GREENOPS_PROGRAM_CONCURRENCY (programs at once).
 */
export function programSettings(env: NodeJS.ProcessEnv = process.env): ProgramSettings {
  const number = (name: string) => {
    const value = Number(env[name]);
    return env[name] !== undefined && Number.isFinite(value) && value > 0 ? value : undefined;
  };
  const timeout = number("GREENOPS_PROGRAM_TIMEOUT");
  const budget = number("GREENOPS_PROGRAM_BUDGET");
  return {
    limits: { ...DEFAULT_LIMITS, ...(timeout ? { timeoutMs: timeout * 1000 } : {}) },
    concurrency: Math.floor(number("GREENOPS_PROGRAM_CONCURRENCY") ?? availableParallelism()),
    budgetMs: budget ? budget * 1000 : DEFAULT_BUDGET_MS,
  };
}

/** A counting semaphore: at most `size` tasks run at once, the others wait in order. */
export class Pool {
  readonly size: number;
  #running = 0;
  readonly #waiting: (() => void)[] = [];

  constructor(size: number) {
    this.size = Math.max(1, size);
  }

  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.#running >= this.size) await new Promise<void>((resolve) => this.#waiting.push(resolve));
    else this.#running++;
    try {
      return await task();
    } finally {
      const next = this.#waiting.shift();
      if (next) next();
      else this.#running--;
    }
  }
}

const pools = new Map<string, Pool>();

/**
 * One pool per purpose and size for the whole process: the GitHub App's concurrent reviews share it,
 * so a burst of pull requests never runs more programs at once than the machine has cores.
 */
export function sharedPool(purpose: string, size: number): Pool {
  const key = `${purpose}:${size}`;
  let pool = pools.get(key);
  if (!pool) {
    pool = new Pool(size);
    pools.set(key, pool);
  }
  return pool;
}

/** A program that was not started, or was stopped, because the run's budget was spent. */
export type BudgetSpent = { budgetSpent: true; started: boolean; budgetMs: number };

/**
 * Runs one review's programs in the shared pool, each within its time limit and what is left of the
 * review's budget. The budget's clock starts with the first program asked for; once it is spent,
 * running programs are stopped and the others are not started.
 */
export class ProgramRunner {
  readonly settings: ProgramSettings;
  readonly #pool: Pool;
  #deadline: number | undefined;

  constructor(settings: ProgramSettings = programSettings()) {
    this.settings = settings;
    this.#pool = sharedPool("programs", settings.concurrency);
  }

  run(run: Omit<SandboxRun, "limits">): Promise<SandboxResult | BudgetSpent> {
    this.#deadline ??= Date.now() + this.settings.budgetMs;
    const deadline = this.#deadline;
    const { limits, budgetMs } = this.settings;
    return this.#pool.run(async () => {
      const left = deadline - Date.now();
      if (left <= 0) return { budgetSpent: true, started: false, budgetMs };
      const cut = left < limits.timeoutMs;
      const result = await runSandboxed({
        ...run,
        limits: { ...limits, timeoutMs: Math.min(limits.timeoutMs, left) },
      });
      return cut && result.timedOut ? { budgetSpent: true, started: true, budgetMs } : result;
    });
  }
}

/** A program's time limit in seconds, for messages. */
export function seconds(io: { options: { programs: ProgramRunner } }): number {
  return io.options.programs.settings.limits.timeoutMs / 1000;
}

/** What a program's report says when the budget stopped it or kept it from starting. */
export function budgetMessage(spent: BudgetSpent): string {
  const seconds = spent.budgetMs / 1000;
  return spent.started
    ? `stopped: the review's budget for programs (${seconds} s) was spent; not evaluated`
    : `not evaluated: review budget spent (programs may take ${seconds} s in all)`;
}
