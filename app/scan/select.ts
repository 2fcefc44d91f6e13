import { createHash } from "node:crypto";
import { type EnvironmentKind, kindOf } from "../config/environment-kind.ts";
import {
  DEFAULT_MAX_FIXES_PER_PULL_REQUEST,
  SCAN_POLICIES,
  type ScanPolicy,
  type ScanSettings,
} from "../config/gitops-settings.ts";
import { byHand } from "../engine/by-hand.ts";
import { countedRows } from "../engine/counted-once.ts";
import type { Finding } from "../engine/finding.ts";
import type { CheckedReview, Report } from "../engine/types.ts";
import { resourceKey } from "../model/resource.ts";

/** A fix a scan may propose, with the identity a declined pull request is remembered by. */
export type Candidate = { finding: Finding; environment: string; fingerprint: string };

export type Excluded = { finding: Finding; reason: string };

/** How many candidates a scan measures per environment, beyond the fixes one pull request holds. */
const MEASURED_PER_FIX = 3;

/**
 * The fixes a scan of the default branch may turn into pull requests, by environment, the largest
 * saving first: fixes of the scan's policies (SCAN_POLICIES, as `scan.policies` narrows them) in an
 * environment of known kind (its own environments/<name>/greenops.yml), non-production for schedules
 * and replica caps, backed by telemetry for rightsizing, editing only files deployed to that one
 * environment, not declined before, and measured to save money or carbon. Measuring a fix re-estimates
 * its environment, so only the biggest resources' fixes are measured, a few per place in the pull
 * request. Everything left out is said why.
 */
export async function scanCandidates(
  checked: CheckedReview,
  settings: ScanSettings,
  declined: (environment: string) => ReadonlySet<string> = () => new Set(),
): Promise<{ environments: Map<string, Candidate[]>; excluded: Excluded[] }> {
  const { report } = checked;
  const policies = new Set<string>(settings.policies ?? defaultPolicies());
  const fileEnvironments = environmentsByFile(report);
  const eligible = new Map<string, Candidate[]>();
  const excluded: Excluded[] = [];
  for (const finding of report.findings) {
    if (!finding.fix || finding.suppressed || !policies.has(finding.policy)) continue;
    const environment = finding.resource?.environment ?? "";
    const fingerprint = fingerprintOf(finding, environment);
    const reason = declined(environment).has(fingerprint)
      ? "declined: a GreenOps pull request proposing it was closed unmerged"
      : exclusion(finding, environment, report, settings, fileEnvironments);
    if (reason) excluded.push({ finding, reason });
    else
      eligible.set(environment, [
        ...(eligible.get(environment) ?? []),
        { finding, environment, fingerprint },
      ]);
  }
  const max = settings.maxFixesPerPullRequest ?? DEFAULT_MAX_FIXES_PER_PULL_REQUEST;
  const costs = resourceCosts(report);
  const environments = new Map<string, Candidate[]>();
  for (const [name, list] of eligible) {
    list.sort((a, b) => (costs.get(key(b.finding)) ?? 0) - (costs.get(key(a.finding)) ?? 0));
    const kept: Candidate[] = [];
    for (const [i, candidate] of list.entries()) {
      const fix = candidate.finding.fix;
      if (!fix || kept.length >= max || i >= max * MEASURED_PER_FIX) {
        excluded.push({
          finding: candidate.finding,
          reason: `beyond the ${max} fixes of one pull request (scan.maxFixesPerPullRequest); a later scan proposes it`,
        });
        continue;
      }
      fix.impact ??= await checked.impact(fix.edits);
      if ((fix.impact.monthlyCost ?? 0) < 0 || (fix.impact.monthlyCarbonKg ?? 0) < 0) kept.push(candidate);
      else excluded.push({ finding: candidate.finding, reason: "the fix saves neither money nor carbon" });
    }
    if (kept.length > 0)
      environments.set(
        name,
        kept.sort((a, b) => saving(b.finding) - saving(a.finding)),
      );
  }
  return { environments, excluded };
}

/** The environments a scan looks after: those of known kind among the report's (as `scan.environments` narrows them). */
export function scannedEnvironments(report: Report, settings: ScanSettings): string[] {
  return report.environments
    .map((e) => e.environment)
    .filter((name) => environmentKind(report, name) !== "unknown")
    .filter((name) => !settings.environments || settings.environments.includes(name))
    .sort();
}

/**
 * The environment's kind (the shared rule, app/config/environment-kind.ts), and unknown for a scan
 * whenever the environment has no settings file of its own: a scan never guesses from a name alone.
 */
export function environmentKind(report: Report, name: string): EnvironmentKind {
  const basis = report.environments.find((e) => e.environment === name);
  if (!name || !basis?.settingsFile) return "unknown";
  return kindOf(basis);
}

/** A fix's identity across scans: the policy, the resource and (rightsizing) the container, in one environment. */
export function fingerprintOf(finding: Finding, environment: string): string {
  const key = [
    finding.policy,
    environment,
    finding.resource?.id ?? "",
    finding.recommendation?.container ?? "",
  ];
  return createHash("sha256").update(key.join("\0")).digest("hex").slice(0, 12);
}

function exclusion(
  finding: Finding,
  environment: string,
  report: Report,
  settings: ScanSettings,
  fileEnvironments: Map<string, Set<string>>,
): string | undefined {
  const rule = SCAN_POLICIES[finding.policy as ScanPolicy];
  if (settings.environments && !settings.environments.includes(environment))
    return `environment "${environment}" is not in scan.environments`;
  const kind = environmentKind(report, environment);
  if (kind === "unknown")
    return environment
      ? `environment "${environment}" is of unknown kind: it has no environments/${environment}/greenops.yml`
      : "its environment is of unknown kind: no environments/<name>/greenops.yml applies to its file";
  if (rule.environments === "non-production" && kind !== "non-production")
    return `${finding.policy} fixes apply to non-production environments only`;
  if (rule.telemetry && (!report.telemetry || !finding.recommendation))
    return `${finding.policy} fixes need live telemetry`;
  const manual = byHand(finding.fix);
  if (manual) return manual.reason;
  const shared = (finding.fix?.edits ?? []).find((edit) => {
    const deployed = fileEnvironments.get(edit.file);
    return deployed?.size !== 1 || !deployed.has(environment);
  });
  if (shared) return `${shared.file} is deployed to other environments too (or to none)`;
  return undefined;
}

function defaultPolicies(): string[] {
  return Object.entries(SCAN_POLICIES).flatMap(([id, rule]) => (rule.byDefault ? [id] : []));
}

/** The environments whose resources each file holds. */
function environmentsByFile(report: Report): Map<string, Set<string>> {
  const files = new Map<string, Set<string>>();
  for (const row of report.rows) {
    const resource = (row.after ?? row.before)?.resource;
    if (!resource) continue;
    const set = files.get(resource.source.span.file) ?? new Set<string>();
    set.add(resource.environment);
    files.set(resource.source.span.file, set);
  }
  return files;
}

/** Each resource's monthly cost, by environment and id: what the candidates are measured in order of. */
function resourceCosts(report: Report): Map<string, number> {
  const costs = new Map<string, number>();
  // A copy not counted is not the object its findings are about (engine/counted-once.ts).
  for (const row of countedRows(report.rows)) {
    const side = row.after ?? row.before;
    if (side) costs.set(resourceKey(side.resource), side.estimate.monthlyCost ?? 0);
  }
  return costs;
}

function key(finding: Finding): string {
  return resourceKey(finding.resource ?? { environment: "", id: "" });
}

/** What a fix saves a month, money first, carbon to break ties (in dollars' stead). */
function saving(finding: Finding): number {
  const impact = finding.fix?.impact;
  return -(impact?.monthlyCost ?? 0) * 1000 - (impact?.monthlyCarbonKg ?? 0);
}
