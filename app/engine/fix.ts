import { closeSync, constants, openSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { ProjectOptions } from "../iac/format.ts";
import { Disk } from "../source/disk.ts";
import { quotePath } from "../source/quote-path.ts";
import type { TelemetryOverrides } from "../telemetry/fetch-telemetry.ts";
import { applyFixes } from "./apply-fixes.ts";
import { configurationErrors } from "./configuration.ts";
import { UsageError } from "./environments.ts";
import { checkedEstimate, pathIn } from "./estimate.ts";
import type { Finding, FixResult } from "./finding.ts";
import { pathScope } from "./fix-scope.ts";
import { checkedReview } from "./review.ts";
import type { Progress, Report } from "./types.ts";

export type FixOptions = {
  /** Fix the whole tree under this path instead of the change against the base. */
  all?: string;
  base?: string;
  env?: string;
  /** Apply only fixes whose kind is "safe". */
  safeOnly?: boolean;
  dryRun?: boolean;
  onProgress?: Progress;
  telemetry?: TelemetryOverrides;
  /** Multi-file inputs: whether programs may run, sandbox limits. */
  projects?: Partial<ProjectOptions>;
};

export type FixOutcome = { report: Report; result: FixResult; before: Map<string, string> };

const NOTHING_FIXED: FixResult = {
  files: [],
  applied: [],
  skipped: [],
  impact: { monthlyCost: 0, monthlyCarbonKg: 0 },
};

/**
 * Applies the verified fixes of a review of the working tree (or of every file under `all`, editing
 * only files under it) to the files on disk, unless `dryRun`, to a fixed point (a fix may call for
 * another). Every fix is
 * re-parsed, re-checked and re-estimated first; what cannot be verified is left out and said why.
 * While a configuration file has errors, nothing is applied (see MISCONFIGURED).
 */
export async function fix(cwd: string, options: FixOptions = {}): Promise<FixOutcome> {
  const common = {
    env: options.env,
    onProgress: options.onProgress,
    telemetry: options.telemetry,
    projects: options.projects,
  };
  const checked =
    options.all === undefined
      ? await checkedReview(cwd, { ...common, base: options.base })
      : await checkedEstimate(options.all, common);
  if (configurationErrors(checked.report.findings).length > 0)
    return { report: checked.report, result: NOTHING_FIXED, before: new Map() };
  const accept = (f: Finding) => f.fix !== undefined && (!options.safeOnly || f.fix.kind === "safe");
  const scope =
    options.all === undefined
      ? {}
      : { scope: pathScope(pathIn(checked.root, options.all), checked.root, cwd) };
  const result = await applyFixes(checked.report.findings.filter(accept), checked, { accept, ...scope });
  const before = new Map(result.files.map((file) => [file.path, checked.text(file.path) ?? ""]));
  if (!options.dryRun) {
    if (checked.report.head.commit !== undefined)
      throw new UsageError("fixes are written to the working tree only");
    writeFixed(checked.root, result.files, before);
  }
  return { report: checked.report, result, before };
}

/**
 * Writes the fixed files, none unless each still holds the text that was fixed (an editor may have
 * saved it, a checkout moved it, a link replaced it meanwhile), and never through a link.
 */
function writeFixed(root: string, files: FixResult["files"], before: ReadonlyMap<string, string>): void {
  const disk = new Disk(root);
  const changed = files.filter(({ path }) => {
    const now = disk.read(path);
    return !now || !("text" in now) || now.text !== before.get(path);
  });
  if (changed.length > 0)
    throw new UsageError(
      `${changed.map((file) => quotePath(file.path)).join(", ")} changed while GreenOps read it: nothing was written; run greenops fix again`,
    );
  for (const file of files) {
    const fd = openSync(join(root, file.path), constants.O_WRONLY | constants.O_TRUNC | constants.O_NOFOLLOW);
    try {
      writeFileSync(fd, file.text);
    } finally {
      closeSync(fd);
    }
  }
}
