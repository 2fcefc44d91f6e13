import type { EnvironmentBasis } from "../estimate/basis.ts";
import { DEFAULT_MAX_CATALOG_AGE_DAYS, reportDate } from "../estimate/catalog/sources.ts";
import { type Diagnostic, distinctDiagnostics } from "../model/span.ts";
import type { Change } from "../source/changes.ts";
import type { Telemetry } from "../telemetry/types.ts";
import type { Configuration } from "./configuration.ts";
import { mayBeIac } from "./formats.ts";
import type { Evaluation, Report, ResourceChange, Verification } from "./types.ts";

/** What the report stage puts together: one side's check, and what the stages before it found. */
type Found = {
  /** The head's (an estimate's only side's) configuration: its errors come first among the findings. */
  configuration: Configuration;
  check: Verification;
  /** The head's evaluation: its diagnostics. */
  evaluation: Evaluation;
  telemetry: Telemetry | undefined;
  maxCatalogAgeDays: number | undefined;
};

/** The report of a review: the rows it shows, what the policies found, what could not be read. */
export function reviewReport(
  found: Found & {
    base: NonNullable<Report["base"]>;
    /** The base's evaluation: the programs it did not run. */
    baseEvaluation: Evaluation;
    head: Report["head"];
    files: Change[];
    rows: ResourceChange[];
    /** Rows read but unchanged and in untouched files: counted, not shown. */
    unshown: number;
    stats: Report["stats"];
  },
): Report {
  return reportOf(found, {
    mode: "review",
    base: found.base,
    head: found.head,
    rows: found.rows,
    unchangedResources: found.unshown,
    files: found.files,
    notices: [
      ...baseUnknown(found.baseEvaluation, found.evaluation, found.base),
      ...fileNotices(found.files),
    ],
    stats: found.stats,
  });
}

/** The report of an estimate: every resource read, what the policies found, what could not be read. */
export function estimateReport(
  found: Found & { head: Report["head"]; rows: ResourceChange[]; files: number },
): Report {
  return reportOf(found, {
    mode: "estimate",
    head: found.head,
    rows: found.rows,
    unchangedResources: 0,
    files: [],
    notices: [],
    stats: { files: found.files, objects: found.evaluation.objects },
  });
}

/**
 * A report from what the stages found and what its mode shows. Diagnostics come in the order of the
 * stages: settings and Applications, usage files, the evaluation, then the mode's `notices`.
 */
function reportOf(
  found: Found,
  shown: Pick<Report, "mode" | "base" | "head" | "rows" | "unchangedResources" | "files" | "stats"> & {
    notices: Diagnostic[];
  },
): Report {
  const { environments } = found.configuration;
  const { notices, stats, ...report } = shown;
  return {
    ...report,
    findings: [...found.configuration.errors, ...found.check.findings],
    diagnostics: distinctDiagnostics([
      ...environments.diagnostics,
      ...(environments.usage?.diagnostics ?? []),
      ...found.evaluation.diagnostics,
      ...notices,
    ]),
    environments: usedEnvironments(found.configuration, shown.rows),
    catalogs: catalogPolicy(found.maxCatalogAgeDays),
    stats,
    ...(found.telemetry ? { telemetry: found.telemetry } : {}),
  };
}

function catalogPolicy(maxAgeDays: number | undefined): Report["catalogs"] {
  return { today: reportDate(), maxAgeDays: maxAgeDays ?? DEFAULT_MAX_CATALOG_AGE_DAYS };
}

/** The environments the shown resources belong to, as each report explains its figures per environment. */
function usedEnvironments({ environments }: Configuration, rows: ResourceChange[]): EnvironmentBasis[] {
  const names = new Set(
    rows.flatMap((r) => [r.before, r.after]).flatMap((s) => (s ? [s.resource.environment] : [])),
  );
  return [...environments.all.values()].filter((basis) => names.has(basis.environment));
}

/**
 * What the base could not read where the head could: its programs that did not run (the review's
 * budget ran out on one side only, or the head deletes the program), its files and Kustomize
 * directories that could not be read (the change mends them). The review compares their resources on
 * neither side (rows.ts), so they count as not evaluated too, said to be the base's.
 */
function baseUnknown(base: Evaluation, head: Evaluation, info: NonNullable<Report["base"]>): Diagnostic[] {
  const unknown = (d: Diagnostic) => d.notRun !== undefined || d.unread !== undefined;
  const marked = new Set(head.diagnostics.flatMap((d) => (unknown(d) ? [d.file] : [])));
  return base.diagnostics.flatMap((d): Diagnostic[] => {
    if (!unknown(d) || marked.has(d.file)) return [];
    const message = `on the base (${info.ref}): ${d.message}`;
    // The base's lines are not the head's, and the change mends what the base could not read.
    return [
      d.unread ? { file: d.file, line: 1, severity: "notice", message, unread: d.unread } : { ...d, message },
    ];
  });
}

/** Deleted and renamed IaC files are said so, since their resources leave or move. */
function fileNotices(files: Change[]): Diagnostic[] {
  return files.flatMap((f): Diagnostic[] => {
    if (f.status === "deleted" && mayBeIac(f.path)) {
      return [
        {
          file: f.path,
          line: 1,
          severity: "notice",
          message: "the file is deleted: its resources are removed",
        },
      ];
    }
    if (f.status === "renamed" && f.from !== undefined && mayBeIac(f.path)) {
      return [{ file: f.path, line: 1, severity: "notice", message: `the file is renamed from ${f.from}` }];
    }
    return [];
  });
}
