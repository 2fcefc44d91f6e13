#!/usr/bin/env node
// Runs the CLI on the Node.js 24 the project pins (node_modules/node), whatever `node` is on PATH:
// the sources are TypeScript, which Node 24 runs directly.
import { spawnSync } from "node:child_process";
import module from "node:module";

const major = Number(process.versions.node.split(".")[0]);
if (major >= 24) {
  // Caches the compiled (type-stripped) modules: later runs start in a third of the time.
  module.enableCompileCache();
  await import("../app/cli/main.ts");
} else {
  const pinned = module.createRequire(import.meta.url).resolve("node/bin/node");
  const args = [new URL(import.meta.url).pathname, ...process.argv.slice(2)];
  const result = spawnSync(pinned, args, { stdio: "inherit" });
  process.exit(result.status ?? 2);
}
