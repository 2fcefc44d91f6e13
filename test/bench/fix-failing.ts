/**
 * `greenops fix --dry-run --all FILE` when one fix of many fails its check: a manifest of 2,000
 * Deployments without memory limits (2,000 limits-ratio fixes) and one more fix that breaks the
 * file's Kubernetes schema (as a faulty policy's would). The pass fails, and the fix check finds the
 * culprit among the 2,001 fixes of the file (apply-fixes.ts, blame.ts). Run in this process, as the
 * command runs it (checkedEstimate, then applyFixes accepting every fix), so that the checks can be
 * counted: wall time and checks (`verify` calls), median of 3.
 */
import { join } from "node:path";
import { applyFixes } from "../../app/engine/apply-fixes.ts";
import { checkedEstimate } from "../../app/engine/estimate.ts";
import type { Finding } from "../../app/engine/finding.ts";
import { findingOn } from "../github/findings.ts";
import { deployment, manifestRepository } from "./fix.ts";

const WORKLOADS = 2_000;
const FILE = "environments/prod/shop/fleet.yaml";
const TEXT = Array.from({ length: WORKLOADS }, (_, n) => deployment(n)).join("");
/** One Deployment's metadata and replicas, which the faulty fix quotes (the schema wants an integer). */
const FAULTY = (() => {
  const start = TEXT.indexOf("  name: svc-1333\n");
  const end = TEXT.indexOf("replicas: 2", start) + "replicas: 2".length;
  return { needle: TEXT.slice(start, end), line: TEXT.slice(0, end).split("\n").length };
})();
const REASON = `the fixed file would not be valid: Deployment /spec/replicas must be integer (Kubernetes schema) (line ${FAULTY.line})`;

function faulty(): Finding {
  return findingOn(FILE, TEXT, FAULTY.needle, {
    policy: "replicas-example",
    severity: "warning",
    message: "replicas written as a string",
    replacement: FAULTY.needle.replace("replicas: 2", 'replicas: "2"'),
  });
}

async function failingRun(dir: string): Promise<{ seconds: number; checks: number }> {
  const started = performance.now();
  const checked = await checkedEstimate(join(dir, FILE));
  let checks = 0;
  const counted = {
    ...checked,
    verify: (texts: ReadonlyMap<string, string>) => {
      checks++;
      return checked.verify(texts);
    },
  };
  const broken = faulty();
  const accept = (f: Finding) => f.fix !== undefined;
  const result = await applyFixes([...checked.report.findings.filter(accept), broken], counted, { accept });
  const seconds = (performance.now() - started) / 1000;
  const skipped = result.skipped.map((s) => [s.finding.policy, s.reason].join(": "));
  if (result.applied.length !== WORKLOADS || skipped.join("\n") !== `${broken.policy}: ${REASON}`)
    throw new Error(
      `greenops fix did not drop the one faulty fix: ${result.applied.length} applied, ${skipped}`,
    );
  return { seconds, checks };
}

export async function failingFixFigures(root: string): Promise<[string, string, string, boolean][]> {
  const dir = manifestRepository(root, "fix-one-failing", FILE, TEXT);
  await failingRun(dir); // load the schemas and policies once, as the other rows' warm-up run does
  const runs: { seconds: number; checks: number }[] = [];
  for (let i = 0; i < 3; i++) runs.push(await failingRun(dir));
  const { seconds, checks } = [...runs].sort((a, b) => a.seconds - b.seconds)[1] ?? { seconds: 0, checks: 0 };
  return [
    [
      `fix --dry-run, ${WORKLOADS.toLocaleString("en")} fixes + 1 that fails`,
      `${seconds.toFixed(2)} s`,
      "< 10 s",
      seconds < 10,
    ],
    ["  its checks (verify calls)", `${checks}`, "≤ 30", checks <= 30],
  ];
}
