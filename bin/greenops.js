#!/usr/bin/env -S node --max-semi-space-size=16
// Runs the CLI on the Node.js 24 the project pins (node_modules/node), whatever `node` is on PATH:
// the sources are TypeScript, which Node 24 runs directly. The flag above caps V8's young generation:
// left to grow, it takes ~100 MB more at the peak of a 10,000-file estimate, for no speed
// (docs/design-notes.md). Only whoever starts Node.js can set it, so the re-run below passes it on.
import { spawnSync } from "node:child_process";
import { readFileSync, statSync } from "node:fs";
import module from "node:module";

const major = Number(process.versions.node.split(".")[0]);
if (major >= 24) {
  // Caches the compiled (type-stripped) modules: later runs start in a third of the time.
  module.enableCompileCache();
  await import(bundleIsFresh() ? "../dist/greenops.mjs" : "../app/cli/main.ts");
} else {
  const pinned = module.createRequire(import.meta.url).resolve("node/bin/node");
  const args = [...process.execArgv, new URL(import.meta.url).pathname, ...process.argv.slice(2)];
  const result = spawnSync(pinned, args, { stdio: "inherit" });
  process.exit(result.status ?? 2);
}

/**
 * Whether dist/ (`npm run build`, app/cli/build-cli.ts) was built from the files as they are now:
 * each file it was built from has the size and modification time it had. Else the sources run.
 */
function bundleIsFresh() {
  try {
    const { inputs } = JSON.parse(readFileSync(new URL("../dist/inputs.json", import.meta.url), "utf8"));
    return inputs.every(([path, size, mtimeMs]) => {
      const now = statSync(new URL(`../${path}`, import.meta.url));
      return now.size === size && now.mtimeMs === mtimeMs;
    });
  } catch {
    return false;
  }
}
