import { availableParallelism } from "node:os";
import type { Diagnostic, NotRun, ProgramRun } from "../../model/span.ts";
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
  /**
   * Programs starting at once in the whole process (default: as many as cores); one still running
   * after 2 s lets the next start, up to three times as many running at once.
   */
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

/** How a pool treats slow tasks: none of them gives its place up unless `yieldAfterMs` is set. */
export type PoolOptions = {
  /** A task still running after this long gives its place to the next (and goes on running). */
  yieldAfterMs?: number;
  /** Tasks running at once, those that gave their place up included (default: the pool's size). */
  most?: number;
};

/**
 * A counting semaphore: at most `size` tasks hold a place at once, the others wait in order. A task
 * that gave its place up (`yieldAfterMs`) still counts towards `most`.
 */
export class Pool {
  readonly size: number;
  readonly most: number;
  readonly #yieldAfterMs: number | undefined;
  #holding = 0;
  #running = 0;
  readonly #waiting: (() => void)[] = [];

  constructor(size: number, options: PoolOptions = {}) {
    this.size = Math.max(1, size);
    this.most = Math.max(this.size, options.most ?? this.size);
    this.#yieldAfterMs = options.yieldAfterMs;
  }

  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.#full()) await new Promise<void>((resolve) => this.#waiting.push(resolve));
    else this.#take();
    let holds = true;
    const release = () => {
      if (!holds) return;
      holds = false;
      this.#holding--;
      this.#wake();
    };
    const timer = this.#yieldAfterMs === undefined ? undefined : setTimeout(release, this.#yieldAfterMs);
    try {
      return await task();
    } finally {
      clearTimeout(timer);
      this.#running--;
      if (holds) release();
      else this.#wake();
    }
  }

  #full(): boolean {
    return this.#holding >= this.size || this.#running >= this.most;
  }

  #take(): void {
    this.#holding++;
    this.#running++;
  }

  /** Hands free places to the waiting tasks, in order. */
  #wake(): void {
    while (this.#waiting.length > 0 && !this.#full()) {
      this.#take();
      this.#waiting.shift()?.();
    }
  }
}

const pools = new Map<string, Pool>();

/**
 * One pool per purpose and size for the whole process: the GitHub App's concurrent reviews share it,
 * so a burst of pull requests never starts more programs at once than the machine has cores.
 */
export function sharedPool(purpose: string, size: number, options: PoolOptions = {}): Pool {
  const key = `${purpose}:${size}`;
  let pool = pools.get(key);
  if (!pool) {
    pool = new Pool(size, options);
    pools.set(key, pool);
  }
  return pool;
}

/**
 * Programs past 2 s give their place up: most programs take a second or two, and one that spins until
 * its time limit must not keep the others (a real one among them) waiting behind it. At most three
 * times as many programs as places run at once, so spinning programs still cannot crowd out the
 * machine.
 */
const PROGRAM_POOL: PoolOptions = { yieldAfterMs: 2_000 };
const PROGRAMS_PER_PLACE = 3;

/**
 * A program whose run was cut short: by the review's budget (stopped, or never started) or at one of
 * its own limits (time, output). Its resources are missing from the figures ({@link cutShortDiagnostic}).
 * `how` follows what was not done; `reason` is the mark's, the same for every program the budget cut.
 */
export type CutShort = { cutShort: true; how: string; reason: string };

/**
 * Runs one review's programs in the shared pool, each within its time limit and what is left of the
 * review's budget. The budget's clock starts with the first program asked for; once it is spent,
 * running programs are stopped and the others are not started. A run is the program's result when it
 * ended by itself, else how it was cut short.
 */
export class ProgramRunner {
  readonly settings: ProgramSettings;
  readonly #pool: Pool;
  #deadline: number | undefined;

  constructor(settings: ProgramSettings = programSettings()) {
    this.settings = settings;
    this.#pool = sharedPool("programs", settings.concurrency, {
      ...PROGRAM_POOL,
      most: settings.concurrency * PROGRAMS_PER_PLACE,
    });
  }

  run(run: Omit<SandboxRun, "limits">): Promise<SandboxResult | CutShort> {
    this.#deadline ??= Date.now() + this.settings.budgetMs;
    const deadline = this.#deadline;
    const { limits, budgetMs } = this.settings;
    const budget = `the review's budget for programs (${budgetMs / 1000} s) was spent`;
    return this.#pool.run(async (): Promise<SandboxResult | CutShort> => {
      const left = deadline - Date.now();
      if (left <= 0) return { cutShort: true, how: " (not started)", reason: budget };
      const result = await runSandboxed({
        ...run,
        limits: { ...limits, timeoutMs: Math.min(limits.timeoutMs, left) },
      });
      if (result.timedOut && left < limits.timeoutMs)
        return { cutShort: true, how: " (stopped)", reason: budget };
      if (result.timedOut) {
        const reason = `it ran past each program's time limit (${limits.timeoutMs / 1000} s) and was stopped`;
        return { cutShort: true, how: "", reason };
      }
      if (result.tooLarge) {
        const reason = `it wrote more output than a program may (${limits.maxOutputBytes / 2 ** 20} MB) and was stopped`;
        return { cutShort: true, how: "", reason };
      }
      return result;
    });
  }
}

/**
 * What a program's report says when programs may not run in this review: `what` was not done (at the
 * program's root), why, and the mark by which the report's readers know it was not run.
 */
export function notRunDiagnostic(root: string, what: string, refusal: string | undefined): Diagnostic {
  return notRun(root, "notice", what, {
    reason: refusal ?? "running repository programs is turned off",
    root,
  });
}

/**
 * What a program's report says when its run was cut short (at its file: a Pulumi stack's, a CDKTF
 * app's root), marked as not run like a refused program: its resources are missing from the figures.
 */
export function cutShortDiagnostic(file: string, what: string, cut: CutShort, run: ProgramRun): Diagnostic {
  return notRun(file, "error", `${what}${cut.how}`, { reason: cut.reason, ...run });
}

function notRun(file: string, severity: Diagnostic["severity"], what: string, mark: NotRun): Diagnostic {
  return { file, line: 1, severity, message: `${what}: ${mark.reason}`, notRun: mark };
}
