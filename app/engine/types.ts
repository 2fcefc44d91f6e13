import type { AiSection } from "../ai/types.ts";
import type { RepositoryConfig } from "../config/repository-config.ts";
import type { EnvironmentBasis } from "../estimate/basis.ts";
import type { ResourceEstimate } from "../estimate/estimate-resource.ts";
import type { IacFormat, ParseContext, ParseResult, ProjectOptions } from "../iac/format.ts";
import type { PlanAction, Resource } from "../model/resource.ts";
import type { Diagnostic } from "../model/span.ts";
import type { Change } from "../source/changes.ts";
import type { Snapshot } from "../source/snapshot.ts";
import type { TelemetryOverrides } from "../telemetry/fetch-telemetry.ts";
import type { Telemetry } from "../telemetry/types.ts";
import type { Placement } from "./environments.ts";
import type { Finding, TextEdit } from "./finding.ts";

/** The types the engine's stages hand each other (see pipeline.ts): one place, so no stage imports another's. */

/**
 * One file read by its format, in its environment; or one project (a Kustomize root, a Pulumi program),
 * whose `path` is its root file and `project` true: its resources come from rendering or running all
 * its files, not from parsing that one. `context` and `placement` say how a file was read, to read it
 * again.
 */
export type ParsedFile = {
  path: string;
  format: IacFormat;
  basis: EnvironmentBasis;
  result: ParseResult;
  project?: true;
  context?: ParseContext;
  placement?: Placement;
};

/** The parse stage's output: every file as read, and what could not be read. */
export type Parsed = { parsed: ParsedFile[]; diagnostics: Diagnostic[] };

/**
 * Multi-file inputs read before the files one by one: what they produced, which files they consume,
 * the files each program (Pulumi, CDKTF; by root) consumes, and the texts fixes may edit.
 */
export type ProjectStage = Parsed & {
  consumed: Set<string>;
  programs: Map<string, string[]>;
  /** Texts the projects read that their resources point into (a program's sources): what fixes edit. */
  texts: Map<string, string>;
  /** The stage with the projects that read any of these files evaluated again on their new texts (a fix's check). */
  reread?(replaced: ReadonlyMap<string, string>): Promise<ProjectStage>;
};

export type EvaluatedResource = {
  resource: Resource;
  estimate: ResourceEstimate;
  /** Set on a copy of an object its environment declares again: another copy is counted (counted-once.ts). */
  notCounted?: NotCounted;
};

/** Why a copy of an object is not counted: which copy is, and why that one. */
export type NotCounted = { counted: { file: string; line: number }; reason: string };

/** The evaluate stage's output: the resources linked and estimated, with the parse it comes from. */
export type Evaluation = {
  resources: EvaluatedResource[];
  diagnostics: Diagnostic[];
  objects: number;
  /** Every file as parsed, before linking: what fixes and observed prices are re-estimated from. */
  parsed: ParsedFile[];
  /** The parse's own diagnostics (files skipped, Helm templates), to estimate the same parse again. */
  parseDiagnostics: Diagnostic[];
};

export type ChangeKind = "added" | "removed" | "changed" | "unchanged";

/** One row of a report: a resource before and after (an estimate has only after). */
export type ResourceChange = {
  change: ChangeKind;
  before?: EvaluatedResource;
  after?: EvaluatedResource;
  /** Set when the change comes from the input itself (a Terraform plan, a Pulumi preview). */
  plan?: PlanAction;
};

export type Totals = { monthlyCost: number; monthlyCarbonKg: number };

/** What the policies found on one side, and its totals: the check every fix must pass. */
export type Verification = {
  totals: Totals;
  findings: Finding[];
  /** Diagnostics of the files checked (a fix must not add errors). */
  diagnostics: Diagnostic[];
  /** Every resource's figures, by environment and id: a fix may change only its own (other-resources.ts). */
  figures: () => ReadonlyMap<string, ResourceFigures>;
  /** Each environment's settings file → the environment: a fix there may change all of its resources. */
  settings: ReadonlyMap<string, string>;
};

/** One resource's monthly cost and carbon (twice when it is declared twice), and whether it changes others. */
export type ResourceFigures = {
  environment: string;
  id: string;
  /** An autoscaler, a LimitRange, a StorageClass: its fix changes the resources it applies to. */
  modifier: boolean;
  monthly: [cost: number | null, carbonKg: number | null][];
};

/** Runs the stages after reading again with some files' texts replaced (path → new text). */
export type Verifier = (texts: ReadonlyMap<string, string>) => Promise<Verification>;

export type Progress = (phase: string, done: number, total: number) => void;

export type CatalogPolicy = { today: string; maxAgeDays: number };

/** What a review or an estimate found: the input of every report format. */
export type Report = {
  mode: "review" | "estimate";
  base?: { ref: string; commit: string; reason: string };
  /**
   * `path`: an estimate of one path of the repository, which counts what the path declares; copies of
   * its objects declared outside it are not looked for.
   */
  head: { ref: string; commit?: string; path?: string };
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

/** A review or an estimate, with what applying and verifying its fixes needs. */
export type CheckedReview = {
  report: Report;
  /** What some edits would change each month (a scan measures only the fixes it may propose). */
  impact(edits: TextEdit[]): Promise<Totals>;
  /** Each side's `.github/greenops.yml` as read, base first (the AI stage's opt-in reads every side). */
  configs: RepositoryConfig[];
} & FixTarget;

/** What fixing a run's findings needs: the texts it read, its check, and what that check found first. */
export type FixTarget = {
  /** The text of a file the run read (a settings file included): what fixes edit. */
  text(file: string): string | undefined;
  /** The run's check again, on fixed texts. */
  verify: Verifier;
  /** What the run's check found on the texts as read. */
  baseline: Verification;
};

/** What a review may do beyond reading files: run programs, flag old catalogs, read telemetry. */
export type ReviewExtras = {
  /** Catalogs older than this many days are flagged in the report (default 180). */
  maxCatalogAgeDays?: number | undefined;
  /**
   * Multi-file inputs: whether programs may run, sandbox limits, kubectl. `review` runs programs unless
   * told not to; `reviewSnapshots` (the GitHub App) only with `runPrograms: true`: the App sets it for
   * pull requests from the repository itself, and for forks only when the repository opts in.
   */
  projects?: Partial<ProjectOptions> | undefined;
  /** Telemetry sources named on the command line (over the environments' settings). */
  telemetry?: TelemetryOverrides | undefined;
};

/** Two snapshots to compare, however they are read (git, or GitHub's API for the App). */
export type SnapshotReview = {
  base: { snapshot: Snapshot; info: NonNullable<Report["base"]> };
  head: { snapshot: Snapshot; info: Report["head"] };
  /** The files changed from base to head (a promise, so listing them overlaps reading the settings). */
  files: Change[] | Promise<Change[]>;
  /** The side whose untouched files are searched (they are the same on both sides): the cheaper one. */
  searched: "base" | "head";
  env?: string | undefined;
  onProgress?: Progress | undefined;
} & ReviewExtras;

/** An estimate of one snapshot (a git revision, the working tree, a commit read through GitHub's API). */
export type SnapshotEstimate = {
  snapshot: Snapshot;
  /** What is estimated; its commit, when it has one, is what programs read. */
  head: Report["head"];
  /** Only the files under this path, relative to the root, with `/` ("" or undefined: all of them). */
  prefix?: string | undefined;
  env?: string | undefined;
  onProgress?: Progress | undefined;
} & ReviewExtras;
