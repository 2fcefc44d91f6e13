/**
 * `greenops fix` on a large generated file: one 5.8 MB manifest of 10,000 Deployments whose
 * containers have requests and no limits, so limits-ratio fixes each (10,000 fixes, one diff hunk
 * each): the command's wall time (`fix --dry-run --all FILE`, median of 3), and the unified diff
 * alone, built in this process from the same 10,000 edits.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { unifiedDiff } from "../../app/cli/unified-diff.ts";
import type { TextEdit } from "../../app/engine/finding.ts";
import { cliArgs } from "./cli.ts";
import { commitAll } from "./corpus.ts";

const WORKLOADS = 10_000;
const FILE = "environments/prod/shop/generated.yaml";
const LIMIT = "            limits:\n              memory: 256Mi\n";

export function deployment(n: number): string {
  return `${n === 0 ? "" : "---\n"}apiVersion: apps/v1
kind: Deployment
metadata:
  name: svc-${n}
  namespace: team-${n % 40}
  labels:
    app.kubernetes.io/name: svc-${n}
spec:
  replicas: 2
  selector:
    matchLabels:
      app.kubernetes.io/name: svc-${n}
  template:
    metadata:
      labels:
        app.kubernetes.io/name: svc-${n}
    spec:
      containers:
        - name: app
          image: ghcr.io/example/svc-${n}:1.0.0
          ports:
            - containerPort: 8080
          resources:
            requests:
              cpu: 250m
              memory: 256Mi
`;
}

const TEXT = Array.from({ length: WORKLOADS }, (_, n) => deployment(n)).join("");

/**
 * A git repository `name` under `root` of production settings and one large manifest `file` (under
 * environments/prod/shop/), created once and reused.
 */
export function manifestRepository(root: string, name: string, file: string, text: string): string {
  const dir = join(root, name);
  if (existsSync(join(dir, ".git"))) return dir;
  mkdirSync(join(dir, "environments/prod/shop"), { recursive: true });
  writeFileSync(
    join(dir, "environments/prod/greenops.yml"),
    "cloud: aws\nregion: us-east-1\nnodeInstanceType: m6g.xlarge\nnodeCount: 60\ncurrency: USD\n",
  );
  writeFileSync(join(dir, file), text);
  commitAll(dir);
  return dir;
}

function fixRun(cwd: string): number {
  const started = performance.now();
  const result = spawnSync(process.execPath, cliArgs(["fix", "--dry-run", "--all", FILE, "--quiet"]), {
    cwd,
    encoding: "utf8",
    maxBuffer: 1 << 30,
  });
  const seconds = (performance.now() - started) / 1000;
  if (result.status !== 0) throw new Error(`greenops fix failed: ${result.stderr}`);
  if (!result.stdout.includes(`greenops fix: would apply ${WORKLOADS} fixes in 1 file\n`))
    throw new Error(`greenops fix did not fix the ${WORKLOADS} workloads: ${result.stdout.slice(-500)}`);
  return seconds;
}

/** The diff of the 10,000 memory limits, each inserted after its container's requests. */
function diffSeconds(): number {
  const edits: TextEdit[] = [];
  for (let at = TEXT.indexOf("memory: 256Mi\n"); at !== -1; at = TEXT.indexOf("memory: 256Mi\n", at + 1)) {
    const end = at + "memory: 256Mi\n".length;
    edits.push({ file: FILE, start: end, end, text: LIMIT });
  }
  const started = performance.now();
  const diff = unifiedDiff(FILE, TEXT, edits);
  const seconds = (performance.now() - started) / 1000;
  if (diff.split("\n@@ ").length - 1 !== WORKLOADS) throw new Error("the diff has not one hunk per fix");
  return seconds;
}

export function fixFigures(root: string): [string, string, string, boolean][] {
  const cwd = manifestRepository(root, "fix-large-file", FILE, TEXT);
  const median = (runs: number[]) => [...runs].sort((a, b) => a - b)[Math.floor(runs.length / 2)] ?? 0;
  fixRun(cwd); // warm the compile cache and the file system cache
  const command = median(Array.from({ length: 3 }, () => fixRun(cwd)));
  const diff = median(Array.from({ length: 5 }, diffSeconds));
  return [
    ["fix --dry-run, 10,000 fixes, 5.8 MB", `${command.toFixed(2)} s`, "< 15 s", command < 15],
    ["  its unified diff alone", `${diff.toFixed(2)} s`, "< 1 s", diff < 1],
  ];
}
