import { createHash } from "node:crypto";
import type { Finding } from "../engine/finding.ts";
import { commitBody, TRAILERS } from "../gitops/trailers.ts";
import { counted } from "../model/words.ts";
import { decimal, escapeCell, kg, signed, usd, whereCell } from "../report/numbers.ts";
import { unevaluatedNotice } from "../report/unevaluated.ts";
import type { Proposal } from "./plan.ts";

/** Every GreenOps scan branch is `greenops/optimize-<environment>`: the only branches GreenOps moves. */
export const SCAN_BRANCH_PREFIX = "greenops/optimize-";

export function scanBranch(environment: string): string {
  return `${SCAN_BRANCH_PREFIX}${environment}`;
}

const MARKER =
  /<!-- greenops:scan environment=(\S+) fixes=([0-9a-f,]*) content=([0-9a-f]+)(?: unevaluated=([0-9a-f]+))? -->/;

/**
 * What a scan pull request says of itself: its environment, its fixes' fingerprints, its files' hash,
 * and the hash of its notice of programs not evaluated ("" when every program ran, as before it had one).
 */
export type ScanMarker = {
  environment: string;
  fingerprints: string[];
  content: string;
  unevaluated: string;
};

export function readMarker(body: string | null | undefined): ScanMarker | undefined {
  const match = MARKER.exec(body ?? "");
  if (!match) return undefined;
  return {
    environment: match[1] ?? "",
    fingerprints: (match[2] ?? "").split(",").filter(Boolean),
    content: match[3] ?? "",
    unevaluated: match[4] ?? "",
  };
}

/**
 * The marker a proposal's pull request carries: the same one when the same fixes give the same files
 * and the same programs went unevaluated for the same reasons.
 */
export function markerOf(proposal: Proposal): ScanMarker {
  const hash = createHash("sha256");
  for (const file of [...proposal.result.files].sort((a, b) => a.path.localeCompare(b.path)))
    hash.update(`${file.path}\0${file.text}\0`);
  const notice = notEvaluated(proposal);
  return {
    environment: proposal.environment,
    fingerprints: proposal.fixes.map((f) => f.fingerprint),
    content: hash.digest("hex").slice(0, 16),
    unevaluated: notice ? createHash("sha256").update(notice).digest("hex").slice(0, 16) : "",
  };
}

/** `GreenOps: save $X/month in <environment>` (kgCO2e when the fixes save carbon only). */
export function scanTitle(proposal: Proposal): string {
  const { monthlyCost, monthlyCarbonKg } = proposal.result.impact;
  const saving = monthlyCost < 0 ? `${usd(-monthlyCost)}/month` : `${decimal(-monthlyCarbonKg)} kgCO2e/month`;
  return `GreenOps: save ${saving} in ${proposal.environment}`;
}

/**
 * The pull request's body: the fixes with their savings, the programs the scan did not run (and why),
 * the evidence (telemetry's percentiles for rightsizing), how the branch is kept, and the hidden marker
 * with the fixes' fingerprints, by which a pull request the team closes unmerged is remembered (as
 * Renovate remembers its closed updates).
 */
export function scanBody(
  proposal: Proposal,
  scanned: { branch: string; commit: string; builtOn?: string | undefined },
): string {
  const { monthlyCost, monthlyCarbonKg } = proposal.result.impact;
  const count = proposal.fixes.length;
  const notice = notEvaluated(proposal);
  const { builtOn } = scanned;
  const rows = proposal.fixes.map(({ finding }) => {
    const impact = finding.fix?.impact;
    const where = whereCell(finding.location.file, finding.location.startLine);
    return `| ${escapeCell(finding.fix?.title ?? "")} | \`${finding.policy}\` | ${escapeCell(finding.resource?.id ?? "")} | ${where} | ${signed(impact?.monthlyCost ?? null, usd)} | ${signed(impact?.monthlyCarbonKg ?? null, kg)} |`;
  });
  return [
    `GreenOps scanned \`${scanned.branch}\` at \`${scanned.commit.slice(0, 7)}\` and found ${counted(count, "fix", "fixes")} for what is already deployed in **${proposal.environment}** (${proposal.kind}). Together they save **${usd(-monthlyCost)}/month** and **${kg(-monthlyCarbonKg)}CO2e/month**.`,
    "",
    ...(builtOn && builtOn !== scanned.commit
      ? [
          `The branch was built on \`${builtOn.slice(0, 7)}\` and not rebuilt: the scan of \`${scanned.commit.slice(0, 7)}\` found the same fixes, giving the same files.`,
          "",
        ]
      : []),
    ...(notice ? [`> ${notice}`, ""] : []),
    "| Fix | Policy | Resource | Where | Cost/month | Carbon/month |",
    "|---|---|---|---|---:|---:|",
    ...rows,
    "",
    "### Evidence",
    "",
    ...proposal.fixes.map(({ finding }) => `- ${evidence(finding)}`),
    "",
    "Every fix was applied through GreenOps' verified fix path: the edited files were parsed again and checked against the Kubernetes schemas, the policies ran again, and the change was estimated again. Each one is an edit the cluster applies to the objects already deployed.",
    "",
    `GreenOps owns the branch \`${scanBranch(proposal.environment)}\`: each scan rebuilds it on the default branch while this pull request is open, and leaves it alone once someone else pushes to it. Close this pull request to decline these fixes: GreenOps will not propose them again.`,
    "",
    markerText(markerOf(proposal)),
    "",
  ].join("\n");
}

const HELD_START = "<!-- greenops:held -->";
const HELD = /<!-- greenops:held -->\n[\s\S]*?\n<!-- \/greenops:held -->\n\n/;

/** Whether a pull request's body says why the last scan left it as it is. */
export function saysHeld(body: string): boolean {
  return body.includes(HELD_START);
}

/**
 * The body with the reason the scan left the pull request as it is, just above the marker (replacing
 * the reason an earlier scan gave); the body as it is when it already gives this reason.
 */
export function withHeldReason(body: string, reason: string): string {
  const block = `${HELD_START}\n> The latest scan left this pull request as it is: ${reason}.\n<!-- /greenops:held -->\n\n`;
  const rest = body.replace(HELD, "");
  const at = rest.search(MARKER);
  return at < 0 ? `${rest}\n${block}` : `${rest.slice(0, at)}${block}${rest.slice(at)}`;
}

function markerText(marker: ScanMarker): string {
  const unevaluated = marker.unevaluated ? ` unevaluated=${marker.unevaluated}` : "";
  return `<!-- greenops:scan environment=${marker.environment} fixes=${marker.fingerprints.join(",")} content=${marker.content}${unevaluated} -->`;
}

/** The notice of the programs the scan did not run, or "" when every program ran. */
function notEvaluated(proposal: Proposal): string {
  return proposal.unevaluated ? unevaluatedNotice(proposal.unevaluated) : "";
}

/** The scan commit: the title, each fix, and the trailers (`GreenOps-Scan: <environment>` first). */
export function scanCommitMessage(proposal: Proposal): { headline: string; body: string } {
  const fixes = proposal.fixes.map((f) => f.finding);
  const body = commitBody(fixes, `${TRAILERS.scan}: ${proposal.environment}`, proposal.result.impact);
  return { headline: scanTitle(proposal), body };
}

/** Why the fix: the finding's own words, and for rightsizing the telemetry it rests on. */
function evidence(finding: Finding): string {
  const source = finding.recommendation?.basis.source;
  const telemetry = source ? `. Telemetry: ${source}` : "";
  return `**${finding.resource?.id ?? finding.location.file}** (\`${finding.policy}\`): ${finding.message}${telemetry}.`;
}
