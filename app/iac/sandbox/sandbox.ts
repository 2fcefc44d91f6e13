import { spawn, spawnSync } from "node:child_process";
import { realpathSync } from "node:fs";

/** Limits of a sandboxed run; the defaults suit a Pulumi program or a CDKTF synth. */
export type SandboxLimits = { timeoutMs: number; memoryMb: number; maxOutputBytes: number };

export const DEFAULT_LIMITS: SandboxLimits = {
  timeoutMs: 20_000,
  memoryMb: 1024,
  maxOutputBytes: 64 * 1024 * 1024,
};

export type SandboxRun = {
  /** The script Node runs (a harness inside GreenOps). */
  script: string;
  args: string[];
  cwd: string;
  /** Paths the child may read (their real paths are added); nothing else is readable. */
  read: string[];
  /** Paths the child may write (a synth's output directory); none by default. */
  write?: string[];
  /** The child's whole environment: nothing of GreenOps' own (tokens, keys) is passed on. */
  env: Record<string, string>;
  limits: SandboxLimits;
};

/** How the network was cut off: a network namespace, or only the harness's guards inside Node. */
export type Isolation = "network-namespace" | "in-process-guards";

export type SandboxResult = {
  /** What the harness wrote to its result channel (file descriptor 3). */
  result: string;
  /** The program's own output, for diagnostics. */
  output: string;
  code: number | null;
  signal: NodeJS.Signals | null;
  timedOut: boolean;
  tooLarge: boolean;
  isolation: Isolation;
};

let netns: string[] | null | undefined;

/**
 * `unshare -rnp` (a user, a network and a PID namespace: no interface but loopback, so every
 * connection fails, and no process outside to signal, GreenOps included) when the kernel allows it,
 * `-np` when running as root, then the network namespace alone; null when none works. With a PID
 * namespace the program runs as a forked child that dies with unshare (`--kill-child`).
 */
function networkNamespace(): string[] | null {
  if (netns !== undefined) return netns;
  netns = null;
  for (const flags of [["-rnp", "--kill-child"], ["-np", "--kill-child"], ["-rn"], ["-n"]]) {
    const probe = spawnSync("unshare", [...flags, "true"], { stdio: "ignore", timeout: 5000 });
    if (probe.status === 0) {
      netns = ["unshare", ...flags, "--"];
      break;
    }
  }
  return netns;
}

function prlimit(memoryMb: number): string[] {
  const probe = spawnSync("prlimit", ["--version"], { stdio: "ignore", timeout: 5000 });
  // The address-space limit also bounds memory outside V8's heap (Buffers); V8 reserves some
  // address space of its own, so the limit is the heap budget plus 2 GiB.
  return probe.status === 0 ? ["prlimit", `--as=${(memoryMb + 2048) * 1024 * 1024}`, "--"] : [];
}

function withRealPaths(paths: string[]): string[] {
  const all = new Set<string>();
  for (const path of paths) {
    all.add(path);
    try {
      all.add(realpathSync(path));
    } catch {
      // a path that does not exist yet (an output directory) is allowed as given
    }
  }
  return [...all];
}

/**
 * Runs a script of GreenOps' in a child Node.js that can read only the given paths, write none but
 * the given ones, start no process or worker, load no native addon, reach no network and signal no
 * other process (network and PID namespaces when the system allows them, and guards in the harness
 * always), and is killed with its process group when it outlives the time limit or writes too much.
 */
export function runSandboxed(run: SandboxRun): Promise<SandboxResult> {
  const namespace = networkNamespace();
  const node = [
    process.execPath,
    "--permission",
    ...withRealPaths([...run.read, run.script]).map((p) => `--allow-fs-read=${p}`),
    ...withRealPaths(run.write ?? []).map((p) => `--allow-fs-write=${p}`),
    `--max-old-space-size=${run.limits.memoryMb}`,
    "--enable-source-maps",
    "--disable-proto=delete",
    run.script,
    ...run.args,
  ];
  const command = [...prlimit(run.limits.memoryMb), ...(namespace ?? []), ...node];
  return new Promise((resolve, reject) => {
    const child = spawn(command[0] as string, command.slice(1), {
      cwd: run.cwd,
      env: run.env,
      stdio: ["ignore", "pipe", "pipe", "pipe"],
      detached: true,
    });
    const result: Buffer[] = [];
    const output: Buffer[] = [];
    let size = 0;
    let timedOut = false;
    let tooLarge = false;
    const kill = () => {
      try {
        if (child.pid) process.kill(-child.pid, "SIGKILL");
      } catch {
        // already gone
      }
    };
    const collect = (into: Buffer[]) => (chunk: Buffer) => {
      size += chunk.length;
      if (size > run.limits.maxOutputBytes) {
        tooLarge = true;
        kill();
      } else into.push(chunk);
    };
    child.stdout?.on("data", collect(output));
    child.stderr?.on("data", collect(output));
    (child.stdio[3] as NodeJS.ReadableStream | null)?.on("data", collect(result));
    const timer = setTimeout(() => {
      timedOut = true;
      kill();
    }, run.limits.timeoutMs);
    child.on("error", (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      kill();
      resolve({
        result: Buffer.concat(result).toString("utf8"),
        output: Buffer.concat(output).toString("utf8"),
        code,
        signal,
        timedOut,
        tooLarge,
        isolation: namespace ? "network-namespace" : "in-process-guards",
      });
    });
  });
}

/** A minimal environment for a sandboxed child: a PATH, a HOME of its own, and what the caller adds. */
export function sandboxEnv(home: string, extra: Record<string, string> = {}): Record<string, string> {
  return { PATH: "/usr/local/bin:/usr/bin:/bin", HOME: home, NODE_ENV: "production", ...extra };
}
