/**
 * Loaded first by every sandbox harness, beside the network guard: the program may signal no process
 * but its own. Node's permission model leaves `process.kill` open, and a process of the same user may
 * signal any other: GreenOps itself, the other programs, everything at once (`kill(-1)`), or open
 * GreenOps' inspector with SIGUSR1 (`_debugProcess`). (A PID namespace, when the system has one,
 * enforces the same below Node.)
 */
const MESSAGE = "signalling another process is disabled while GreenOps evaluates this program (sandboxed)";

function refuse(): never {
  const error = new Error(MESSAGE) as Error & { code: string };
  error.code = "EPERM";
  throw error;
}

type Signal = (pid: number, signal: number) => number;
const methods = process as unknown as { _kill: Signal; _debugProcess: unknown };
// process.kill validates its arguments, then calls process._kill: guarding the latter guards both.
const signal = methods._kill.bind(process);
const own: Signal = (pid, number) => (pid === process.pid ? signal(pid, number) : refuse());
for (const [name, value] of [
  ["_kill", own],
  ["_debugProcess", refuse],
] as const)
  Object.defineProperty(process, name, { value, configurable: false, writable: false });
