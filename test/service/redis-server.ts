/**
 * A real Redis (Debian's `redis-server`) on 127.0.0.1, for the durable queue's tests: no persistence,
 * started on a free port and stopped after. The test setup (test/setup/system-packages.ts) installs
 * the package when it is missing.
 */
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Redis } from "ioredis";
import { freePort, requireCommand, stopProcess } from "../helpers/processes.ts";

export type RunningRedis = { url: string; stop(): Promise<void> };

export async function startRedis(): Promise<RunningRedis> {
  requireCommand("redis-server", "redis-server");
  const dir = mkdtempSync(join(tmpdir(), "greenops-redis-"));
  const port = await freePort();
  const server = spawn(
    "redis-server",
    ["--bind", "127.0.0.1", "--port", String(port), "--save", "", "--appendonly", "no", "--dir", dir],
    { stdio: "ignore" },
  );
  const url = `redis://127.0.0.1:${port}`;
  const stop = async () => {
    await stopProcess(server);
    rmSync(dir, { recursive: true, force: true });
  };
  const client = new Redis(url, { lazyConnect: true, retryStrategy: () => null });
  client.on("error", () => undefined); // refused until redis-server listens: the loop below retries
  try {
    for (let i = 0; ; i++) {
      if (server.exitCode !== null) throw new Error(`redis-server exited with ${server.exitCode}`);
      try {
        await client.connect();
        if ((await client.ping()) === "PONG") break;
      } catch (error) {
        if (i > 100) throw error;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    }
  } catch (error) {
    await stop();
    throw error;
  } finally {
    client.disconnect();
  }
  return { url, stop };
}
