export type CommandName = "greenops" | "review" | "estimate" | "fix" | "catalogs" | "deploy-status" | "scan";

const TELEMETRY = ["prometheus", "opencost", "telemetry-window"] as const;

/** Whether and how repository programs run (the estimating commands and deploy-status). */
const PROGRAMS = ["no-programs", "program-timeout", "program-concurrency", "program-budget"] as const;

/** Options of both estimating commands for multi-file inputs and catalogs (issue #7). */
const IAC = [...PROGRAMS, "argocd-server", "max-catalog-age"] as const;

/** The options each command accepts (beyond --help). */
export const COMMANDS = {
  review: {
    options: [
      "base",
      "head",
      "env",
      "format",
      "output",
      "quiet",
      "stats",
      "help",
      "ai",
      ...IAC,
      ...TELEMETRY,
    ],
  },
  estimate: {
    options: ["ref", "env", "format", "output", "quiet", "stats", "help", "ai", ...IAC, ...TELEMETRY],
  },
  fix: { options: ["base", "all", "env", "safe", "dry-run", "quiet", "help", ...TELEMETRY] },
  "deploy-status": {
    options: ["revision", "sync", "timeout", "format", "argocd-server", "quiet", "help", ...PROGRAMS],
  },
  scan: { options: ["dry-run", "env", "quiet", "help", ...TELEMETRY] },
  catalogs: { options: ["cloud", "services", "regions", "quiet", "stats", "help"] },
} as const;

const TELEMETRY_HELP = `
Live telemetry (over each environment's telemetry settings; see README, Telemetry):
  --prometheus URL        Read usage of the workloads under review from this Prometheus (cAdvisor,
                          kube-state-metrics, Kepler). Credentials only from the environment:
                          GREENOPS_PROMETHEUS_BEARER_TOKEN, or GREENOPS_PROMETHEUS_USERNAME and
                          GREENOPS_PROMETHEUS_PASSWORD.
  --opencost URL          Read observed costs and the cluster's prices from OpenCost
                          (GREENOPS_OPENCOST_BEARER_TOKEN, or _USERNAME and _PASSWORD).
  --telemetry-window D    History to read, e.g. 14d (default), 36h, 2w.
A settings file's source is contacted only at an origin listed in GREENOPS_TELEMETRY_ORIGINS, and
sends only the variables and files GREENOPS_TELEMETRY_SECRETS pairs with its origin (ORIGIN=SECRET).
An unreachable, slow or empty source never fails the run: the report says so and uses modelled defaults.`;

const PROGRAMS_HELP = `  --no-programs           Do not run Pulumi programs or CDKTF apps (otherwise run in a sandbox:
                          no network, no secrets, time and memory limits).
  --program-timeout S     Stop a program after S seconds (default 20; GREENOPS_PROGRAM_TIMEOUT).
  --program-concurrency N Start at most N programs at once (default: one per core;
                          GREENOPS_PROGRAM_CONCURRENCY).
  --program-budget S      Programs of this run may take S seconds in all (default 60;
                          GREENOPS_PROGRAM_BUDGET); the rest are reported "not evaluated".`;

const COMMON = `  --format markdown|json  Report format (default: markdown). The JSON follows docs/report-schema.json.
  -o, --output FILE       Write the report to FILE instead of standard output.
  --env NAME              Treat every file as deployed to environments/NAME (its greenops.yml settings).
                          Without it, files under environments/<name>/ use that environment's settings
                          and other files use built-in defaults (AWS, OpenCost's default prices).
${PROGRAMS_HELP}
  --argocd-server URL     Read Helm charts of ArgoCD Applications from the server's rendered manifests
                          (token in ARGOCD_AUTH_TOKEN).
  --max-catalog-age DAYS  Flag price and emission catalogs older than DAYS (default 180).
  --ai                    Add the AI advisor's summary and verified proposals (any OpenAI-compatible
                          endpoint: GREENOPS_AI_MODEL, OPENAI_BASE_URL, OPENAI_API_KEY; see README,
                          AI advisor). Off unless given; never changes the findings or the exit status.
  -q, --quiet             No progress line on standard error.
  --stats                 Print files, objects per second and peak memory on standard error.
  -h, --help              Show this help.
${TELEMETRY_HELP}`;

export const HELP: Record<CommandName, string> = {
  greenops: `greenops: what an infrastructure change costs (USD/month) and emits (kgCO2e/month)

Usage:
  greenops review [--base REF] [--head REF] [options]   Compare the IaC changed between two revisions
                  [--prometheus URL] [--opencost URL] [--telemetry-window 14d]
  greenops estimate [PATH] [--ref REV] [options]        Estimate every IaC file under PATH
  greenops fix [--dry-run] [--base REF] [--all PATH]    Apply the policies' verified fixes
  greenops deploy-status --revision SHA [--sync]       Follow a commit to its ArgoCD deployment
  greenops scan [--dry-run] [--env NAME]                Optimization pull requests for what is deployed
  greenops catalogs refresh [--cloud aws|azure|gcp]     Download the clouds' public price lists
  greenops help COMMAND                                 Help on one command
  greenops --version

Exit status: 0 report written; 1 blocking findings (an error-severity policy finding, or an
invalid configuration file); 2 usage error or fatal error.
Bad manifests are reported with file:line in the report and do not change the exit status.
`,
  review: `Usage: greenops review [--base REF] [--head REF] [options]

Reads the IaC files changed between a base and a head revision of the git repository in the current
directory, estimates both sides and reports the difference, resource by resource.

  --base REF              Base revision. Default: the merge-base with the default branch
                          (origin/HEAD, main or master); on the default branch itself, HEAD when
                          the working tree has changes, else HEAD~1.
  --head REF              Head revision. Default: the working tree, untracked files included.
${COMMON}
`,
  fix: `Usage: greenops fix [--dry-run] [--base REF] [--all PATH] [--safe] [--env NAME]

Applies the fixes of the policies' findings to the files of the working tree: by default those of a
review of the working tree against --base (as greenops review chooses it); with --all, those of
every IaC file under PATH. Each fix is a minimal text edit; the edited files are re-parsed, the
policies run again and the change re-estimated before anything is written; a fix that fails this
check is left out alone and listed with its reason. Fixes run again on what the first ones call for
(requests, then a memory limit), up to 10 passes, so a second run changes nothing. Prints the diff,
each fix applied and left out, and what the fixes save. While a configuration file has errors,
applies nothing, lists them and exits 1.

  --dry-run               Print the diff and the saving; write nothing.
  --safe                  Apply only fixes marked safe (see policies/README.md).
  --base REF              Base revision of the review (see greenops review --help).
  --all PATH              Fix every IaC file under PATH instead of the change; only files
                          under PATH are edited (a fix that edits another is left out).
  --env NAME              As in greenops review.
  -q, --quiet             No progress line on standard error.
  -h, --help              Show this help.
${TELEMETRY_HELP}
`,
  "deploy-status": `Usage: greenops deploy-status --revision SHA [--sync] [--timeout 10m] [--format markdown|json]

Follows a commit of the git repository in the current directory to its ArgoCD deployment: the
Applications whose source is this repository (its origin remote, else GITHUB_REPOSITORY), at a
revision that follows the default branch, with a path holding a file the commit changed. Prints one
row per Application: destination, sync status, health, revision, and the monthly cost and carbon
change the commit deploys through it; and whether the savings of GreenOps commits reached the cluster.
Programs the commit changes (Pulumi, CDKTF) run as in the App: sandboxed, only when
.github/greenops.yml at that commit sets programs: { run: true }, and not with --no-programs; those
not run are named, with why.

  --revision SHA          The commit to follow (required).
  --sync                  Ask ArgoCD to sync that revision (Applications without auto-sync; never
                          prune, never force). Also on when .github/greenops.yml sets argocd.sync.
  --timeout D             How long to wait, e.g. 10m (default: argocd.timeout, else 10m).
  --format markdown|json  Output format (JSON follows docs/schemas/deploy-report.schema.json).
  --argocd-server URL     ArgoCD's server (default: ARGOCD_SERVER). HTTPS, or HTTP on loopback only.
${PROGRAMS_HELP}
  -q, --quiet             Nothing on standard error.
  -h, --help              Show this help.

The token is read from ARGOCD_AUTH_TOKEN only. Exit status: 0 every Application Synced and Healthy;
1 a sync failed or an Application is Degraded or Missing; 2 timeout, ArgoCD unreachable or refusing,
no Application deploys the commit, or a usage error. A program not evaluated makes the check neutral
and is named in the output; it does not change the exit status.
`,
  scan: `Usage: greenops scan [--dry-run] [--env NAME] [--prometheus URL] [--opencost URL]

Scans the default branch for fixes that save money or carbon and that the cluster can apply to what is
already deployed (rightsizing backed by telemetry; in non-production environments, schedules and
replica caps; see scan: in .github/greenops.yml), verifies them, and turns them into one pull request
per environment on the branch greenops/optimize-<environment>.

In a GitHub workflow (GITHUB_TOKEN and GITHUB_REPOSITORY set; GITHUB_API_URL for GitHub Enterprise
Server) it opens, updates or closes those pull requests; the token needs contents: write and
pull-requests: write. Elsewhere it prints the pull requests a scan of HEAD of the git repository in
the current directory would open, with their diffs, and writes nothing. Programs the scan did not run
(not opted in, or stopped at a limit) are named, with why, in each pull request and in the output.

  --dry-run               In a workflow: say what would be opened, updated or closed; write nothing.
  --env NAME              Only the pull request of environment NAME (within scan.environments).
  -q, --quiet             No progress line on standard error.
  -h, --help              Show this help.
${TELEMETRY_HELP}`,
  estimate: `Usage: greenops estimate [PATH] [--ref REV] [options]

Estimates every IaC file under PATH (default: the current directory): the working tree, or the
revision REV of the enclosing git repository.

  --ref REV               Estimate the files as committed at REV instead of the working tree.
${COMMON}
`,
  catalogs: `Usage: greenops catalogs refresh [--cloud aws|azure|gcp] [--services LIST] [--regions LIST]

Downloads the clouds' public price lists (no credentials), checks them against their published shape
and writes a dated catalog to GREENOPS_CATALOG_DIR (default: the user's cache folder, e.g.
~/.cache/greenops/catalogs). Every later estimate prices from the freshest valid catalog first and
the bundled one second, and its report names the catalog, its date and where it came from. A cloud
whose download fails or is malformed keeps its last good catalog.

  --cloud LIST            aws, azure, gcp, comma-separated (default: all three).
  --services LIST         AWS offer files: ec2 (instances, EBS, NAT gateways, idle IPs), rds, elb,
                          eks, elasticache (default: all). Tables not read are carried over.
  --regions LIST          Region codes (default: every commercial region the price list has).
  -q, --quiet             No progress lines on standard error.
  --stats                 Print the time taken and peak memory on standard error.
  -h, --help              Show this help.

Base URLs (mirrors, tests): GREENOPS_AWS_PRICING_URL, GREENOPS_AZURE_PRICING_URL,
GREENOPS_GCP_PRICING_URL. Exit status: 0 refreshed; 1 a cloud failed or another refresh holds the
lock; 2 usage error.
`,
};
