import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { DEFAULT_LIMITS, runSandboxed, sandboxEnv } from "../../../app/iac/sandbox/sandbox.ts";

const dir = mkdtempSync(join(tmpdir(), "greenops-sandbox-test-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Runs `code` (no harness, so none of its guards) in the sandbox; what it writes to fd 3 comes back. */
async function sandboxed(code: string, args: string[] = []) {
  const script = join(dir, "probe.mjs");
  writeFileSync(script, `import { writeSync } from "node:fs";\n${code}\n`);
  return runSandboxed({
    script,
    args,
    cwd: dir,
    read: [dir],
    env: sandboxEnv(dir),
    limits: { ...DEFAULT_LIMITS, timeoutMs: 5000 },
  });
}

describe("the sandbox below Node.js", () => {
  it("runs the program in a PID namespace: no process outside it can be signalled, GreenOps included", async () => {
    const run = await sandboxed(
      `let answer = "signalled";
try { process.kill(Number(process.argv[2]), 0); } catch (error) { answer = error.code; }
writeSync(3, answer);`,
      [String(process.pid)],
    );
    expect(run.isolation).toBe("network-namespace");
    expect(run.result).toBe("ESRCH");
  });

  it("still stops a program at its time limit, with the processes it runs in", async () => {
    const started = performance.now();
    const run = await sandboxed("for (;;) {}");
    expect(run.timedOut).toBe(true);
    expect(performance.now() - started).toBeLessThan(7000);
    expect(spawnSync("pgrep", ["-f", join(dir, "probe.mjs")]).stdout.toString()).toBe("");
  });
});
