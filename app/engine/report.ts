import type { AiSection } from "../ai/types.ts";
import type { EnvironmentBasis } from "../estimate/basis.ts";
import { DEFAULT_MAX_CATALOG_AGE_DAYS, reportDate } from "../estimate/catalog/sources.ts";
import type { Diagnostic } from "../model/span.ts";
import type { Change } from "../source/changes.ts";
import type { Telemetry } from "../telemetry/fetch-telemetry.ts";
import type { ResourceChange } from "./compare.ts";
import type { Environments } from "./environments.ts";
import type { Finding } from "./finding.ts";

/** What a review or an estimate found: the input of every report format. */
export type Report = {
  mode: "review" | "estimate";
  base?: { ref: string; commit: string; reason: string };
  head: { ref: string; commit?: string };
  rows: ResourceChange[];
  /** Resources read but not shown because the change leaves them as they were. */
  unchangedResources: number;
  files: Change[];
  /** What the policies found, most severe first; suppressed findings included and marked. */
  findings: Finding[];
  diagnostics: Diagnostic[];
  environments: EnvironmentBasis[];
  stats: { files: number; objects: number };
  /** The report's date and the age past which a catalog is flagged as stale. */
  catalogs: CatalogPolicy;
  /** What the live sources answered (or why not), when any was configured. */
  telemetry?: Telemetry;
  /** What the AI advisor added (greenops --ai, or a repository that opted in), checked by the engine. */
  ai?: AiSection;
};

export type CatalogPolicy = { today: string; maxAgeDays: number };

export function catalogPolicy(maxAgeDays: number | undefined): CatalogPolicy {
  return { today: reportDate(), maxAgeDays: maxAgeDays ?? DEFAULT_MAX_CATALOG_AGE_DAYS };
}

export type Progress = (phase: string, done: number, total: number) => void;

export class RevisionError extends Error {}

/** The environments the shown resources belong to, as each report explains its figures per environment. */
export function usedEnvironments(environments: Environments, rows: ResourceChange[]): EnvironmentBasis[] {
  const names = new Set(
    rows.flatMap((r) => [r.before, r.after]).flatMap((s) => (s ? [s.resource.environment] : [])),
  );
  return [...environments.all.values()].filter((basis) => names.has(basis.environment));
}

export function dedupe(diagnostics: Diagnostic[]): Diagnostic[] {
  const seen = new Set<string>();
  return diagnostics.filter((d) => {
    const key = `${d.file}:${d.line}:${d.message}`;
    return !seen.has(key) && Boolean(seen.add(key));
  });
}
