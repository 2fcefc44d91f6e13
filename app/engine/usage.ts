import { dirname } from "node:path/posix";
import { readUsageFile, USAGE_FILES, type UsageFile } from "../iac/cloud/usage.ts";
import type { Diagnostic } from "../model/span.ts";
import type { Snapshot } from "../source/snapshot.ts";

/** Usage files (greenops-usage.yml, or Infracost's infracost-usage.yml) and which one a file uses. */
export type UsageFiles = { nearest(path: string): UsageFile | undefined; diagnostics: Diagnostic[] };

/**
 * Reads the usage files that apply to these JSON IaC files (plans, CDKTF output, Pulumi previews):
 * the one in a file's own directory, else in the nearest directory above it, up to the root.
 */
export async function loadUsage(snapshot: Snapshot, paths: string[]): Promise<UsageFiles> {
  const directories = new Set<string>(["."]);
  for (const path of paths) {
    if (!/\.json$/i.test(path)) continue;
    for (let dir = dirname(path); dir !== "." && !directories.has(dir); dir = dirname(dir))
      directories.add(dir);
  }
  const candidates = [...directories].flatMap((dir) =>
    USAGE_FILES.map((name) => (dir === "." ? name : `${dir}/${name}`)),
  );
  const byDirectory = new Map<string, UsageFile>();
  const diagnostics: Diagnostic[] = [];
  for (const file of await snapshot.read(candidates)) {
    const dir = dirname(file.path);
    if (byDirectory.has(dir)) continue;
    if ("skipped" in file) {
      diagnostics.push({ file: file.path, line: 1, severity: "warning", message: file.skipped });
      continue;
    }
    const read = readUsageFile(file.path, file.text);
    diagnostics.push(...read.diagnostics);
    if (read.usage) byDirectory.set(dir, read.usage);
  }
  return {
    diagnostics,
    nearest(path) {
      for (let dir = dirname(path); ; dir = dirname(dir)) {
        const usage = byDirectory.get(dir);
        if (usage || dir === ".") return usage;
      }
    },
  };
}
