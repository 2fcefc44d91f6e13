import { closeSync, openSync, writeSync } from "node:fs";
import { parseArgs } from "node:util";
import { type ArgoCdServer, ArgoCdSetupError, argoCdServer } from "../argocd/server.ts";
import { configurationErrors } from "../engine/configuration.ts";
import { UsageError } from "../engine/environments.ts";
import { checkedEstimate } from "../engine/estimate.ts";
import { isBlocking } from "../engine/finding.ts";
import { checkedReview } from "../engine/review.ts";
import { RevisionError } from "../engine/revisions.ts";
import type { CheckedReview, Report } from "../engine/types.ts";
import { skippedCatalogs } from "../estimate/catalog/catalog-store.ts";
import { ProgramRunner, programSettings } from "../iac/sandbox/programs.ts";
import { writeJsonReport } from "../report/json-report.ts";
import { markdownReport } from "../report/markdown-report.ts";
import { GitError } from "../source/git.ts";
import type { TelemetryOverrides } from "../telemetry/fetch-telemetry.ts";
import { telemetryOverrides } from "../telemetry/overrides.ts";
import { VERSION } from "../version.ts";
import { COMMANDS, HELP } from "./help.ts";
import { NO_PROGRAMS } from "./no-programs.ts";
import { peakRssMb } from "./peak-rss.ts";
import { ProgressLine } from "./progress.ts";
import { secretWarnings } from "./secret-warnings.ts";

const EXIT = { ok: 0, blocking: 1, usage: 2 } as const;
/** How this CLI runs: bundled (dist/, built by `npm run build`) or from its TypeScript sources. */
const RUNS = import.meta.filename.endsWith(".ts") ? "from its sources" : "bundled";

const OPTIONS = {
  base: { type: "string" },
  head: { type: "string" },
  ref: { type: "string" },
  env: { type: "string" },
  format: { type: "string", default: "markdown" },
  output: { type: "string", short: "o" },
  quiet: { type: "boolean", short: "q", default: false },
  stats: { type: "boolean", default: false },
  "no-programs": { type: "boolean", default: false },
  "program-timeout": { type: "string" },
  "program-concurrency": { type: "string" },
  "program-budget": { type: "string" },
  "argocd-server": { type: "string" },
  "max-catalog-age": { type: "string" },
  all: { type: "string" },
  safe: { type: "boolean", default: false },
  "dry-run": { type: "boolean", default: false },
  prometheus: { type: "string" },
  opencost: { type: "string" },
  "telemetry-window": { type: "string" },
  revision: { type: "string" },
  sync: { type: "boolean", default: false },
  timeout: { type: "string" },
  cloud: { type: "string" },
  services: { type: "string" },
  regions: { type: "string" },
  ai: { type: "boolean", default: false },
  help: { type: "boolean", short: "h", default: false },
  version: { type: "boolean", default: false },
} as const;

export async function main(argv: string[]): Promise<number> {
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(argv);
  } catch (error) {
    return usage((error as Error).message);
  }
  const { values, positionals, tokens } = parsed;
  const command = positionals[0];
  if (values.version) return print(`greenops ${VERSION}\n`);
  if (command === undefined || command === "help") return print(helpFor(positionals[1]));
  if (!isCommand(command)) return usage(`unknown command "${command}"`);
  if (values.help) return print(HELP[command]);
  const allowed: readonly string[] = COMMANDS[command].options;
  const stray = tokens.find((t) => t.kind === "option" && !allowed.includes(t.name));
  if (stray?.kind === "option") return usage(`greenops ${command} has no ${stray.rawName} option`);
  // An empty value is an unset variable in a script (`--base "$BASE"`), never a choice: "" is not the default.
  const empty = tokens.find((t) => t.kind === "option" && t.value === "");
  if (empty?.kind === "option") return usage(`${empty.rawName} was given an empty value`);
  if (positionals.includes("")) return usage(`greenops ${command} was given an empty path`);
  if (command === "catalogs") return catalogsCommand(positionals, values);
  if (values.format !== "markdown" && values.format !== "json")
    return usage(`--format must be markdown or json, not "${values.format}"`);
  if (command === "review" && positionals.length > 1) return usage("greenops review takes no path");
  if (command === "estimate" && positionals.length > 2) return usage("greenops estimate takes one path");
  if (command === "fix" && positionals.length > 1)
    return usage("greenops fix takes no path (use --all PATH)");
  const telemetry = telemetryOptions(values);
  if (typeof telemetry === "string") return usage(telemetry);

  const maxAge = values["max-catalog-age"];
  if (maxAge !== undefined && !/^\d+$/.test(maxAge))
    return usage(`--max-catalog-age takes a number of days, not "${maxAge}"`);
  const maxCatalogAgeDays = maxAge === undefined ? {} : { maxCatalogAgeDays: Number(maxAge) };
  const programs = programOptions(values);
  if (typeof programs === "string") return usage(programs);
  for (const warning of secretWarnings(command, { ai: values.ai, telemetry }, process.env))
    process.stderr.write(`greenops: ${warning}\n`);
  const progress = new ProgressLine(!values.quiet);
  const started = performance.now();
  try {
    if (command === "deploy-status") {
      if (positionals.length > 1) return usage("greenops deploy-status takes no path");
      const { deployStatus } = await import("./deploy-status.ts");
      return await deployStatus(
        process.cwd(),
        {
          revision: values.revision,
          sync: values.sync,
          timeout: values.timeout,
          format: values.format,
          argocdServer: values["argocd-server"],
          quiet: values.quiet,
          noPrograms: values["no-programs"],
          programs,
        },
        process.env,
      );
    }
    if (command === "scan") {
      if (positionals.length > 1) return usage("greenops scan takes no path");
      const { scan } = await import("./scan.ts");
      const options = { dryRun: values["dry-run"], environment: values.env, telemetry };
      const { text, misconfigured } = await scan(process.cwd(), options, process.env);
      process.stdout.write(text);
      return misconfigured ? EXIT.blocking : EXIT.ok;
    }
    if (command === "fix") {
      const [{ fix }, { fixSummary }] = await Promise.all([
        import("../engine/fix.ts"),
        import("./fix-summary.ts"),
      ]);
      const outcome = await fix(process.cwd(), {
        base: values.base,
        all: values.all,
        env: values.env,
        safeOnly: values.safe,
        dryRun: values["dry-run"],
        onProgress: progress.update,
        telemetry,
      });
      progress.done();
      process.stdout.write(fixSummary(outcome, values["dry-run"]));
      return configurationErrors(outcome.report.findings).length > 0 ? EXIT.blocking : EXIT.ok;
    }
    const projects = projectOptions(values["no-programs"], values["argocd-server"], programs);
    const checked =
      command === "review"
        ? await checkedReview(process.cwd(), {
            base: values.base,
            head: values.head,
            env: values.env,
            onProgress: progress.update,
            projects,
            ...maxCatalogAgeDays,
            telemetry,
          })
        : await checkedEstimate(positionals[1] ?? ".", {
            ref: values.ref,
            env: values.env,
            onProgress: progress.update,
            projects,
            ...maxCatalogAgeDays,
            telemetry,
          });
    const report = values.ai ? await advised(checked, progress) : checked.report;
    progress.done();
    for (const skipped of skippedCatalogs())
      process.stderr.write(
        `greenops: a refreshed catalog was skipped (the bundled one is used): ${skipped}\n`,
      );
    writeReport(report, values.format, values.output);
    if (values.stats) printStats(report, performance.now() - started);
    return isBlocking(report.findings) ? EXIT.blocking : EXIT.ok;
  } catch (error) {
    progress.done();
    if (error instanceof UsageError || error instanceof RevisionError) return usage(error.message);
    if (error instanceof GitError) return fail(`git: ${error.message}`);
    throw error;
  }
}

/**
 * `--no-programs`: Pulumi programs and CDKTF apps are not run, and the report says so.
 * `--argocd-server URL`: Helm charts of ArgoCD Applications are read from the server's rendered
 * manifests, with the token in ARGOCD_AUTH_TOKEN (as the argocd CLI reads it).
 */
function projectOptions(noPrograms: boolean, argocdServer: string | undefined, programs: ProgramRunner) {
  let server: ArgoCdServer | undefined;
  try {
    server = argocdServer === undefined ? undefined : argoCdServer(process.env, argocdServer);
  } catch (error) {
    if (error instanceof ArgoCdSetupError) throw new UsageError(`--argocd-server: ${error.message}`);
    throw error;
  }
  return {
    programs,
    ...(noPrograms ? NO_PROGRAMS : {}),
    ...(server ? { argocd: { server: server.url, token: server.token } } : {}),
  };
}

/**
 * --program-timeout and --program-budget (seconds) and --program-concurrency (programs at once), over
 * the operator's GREENOPS_PROGRAM_* settings; a string is a usage error.
 */
function programOptions(values: ReturnType<typeof parse>["values"]): ProgramRunner | string {
  const settings = programSettings();
  for (const name of ["program-timeout", "program-concurrency", "program-budget"] as const) {
    const text = values[name];
    if (text === undefined) continue;
    if (!/^[1-9]\d*$/.test(text))
      return `--${name} takes a whole number${name === "program-concurrency" ? "" : " of seconds"}, not "${text}"`;
    const value = Number(text);
    if (name === "program-timeout") settings.limits = { ...settings.limits, timeoutMs: value * 1000 };
    else if (name === "program-budget") settings.budgetMs = value * 1000;
    else settings.concurrency = value;
  }
  return new ProgramRunner(settings);
}

/** The AI advisor's report (its client loads only for runs with --ai). */
async function advised(checked: CheckedReview, progress: ProgressLine): Promise<Report> {
  progress.update("asking the AI advisor", 0, 1);
  const [{ advisedReport }, { providerFromEnv }] = await Promise.all([
    import("../ai/advised-report.ts"),
    import("../ai/provider.ts"),
  ]);
  return advisedReport(checked, true, providerFromEnv(process.env));
}

async function catalogsCommand(positionals: string[], values: ReturnType<typeof parse>["values"]) {
  if (positionals.length > 2) return usage("greenops catalogs refresh takes no path");
  const [{ catalogs }, { RefreshError }] = await Promise.all([
    import("./catalogs.ts"),
    import("../estimate/refresh/price-lists.ts"),
  ]);
  try {
    return await catalogs(positionals[1], values);
  } catch (error) {
    if (error instanceof RefreshError) return usage(error.message);
    throw error;
  }
}

function parse(argv: string[]) {
  return parseArgs({ args: argv, options: OPTIONS, allowPositionals: true, strict: true, tokens: true });
}

/** --prometheus, --opencost and --telemetry-window, checked; a string is a usage error. */
function telemetryOptions(values: ReturnType<typeof parse>["values"]): TelemetryOverrides | string {
  const { prometheus, opencost } = values;
  return telemetryOverrides({ prometheus, opencost, window: values["telemetry-window"] }, (name) =>
    name === "window" ? "--telemetry-window" : `--${name}`,
  );
}

function isCommand(name: string): name is keyof typeof COMMANDS {
  return Object.hasOwn(COMMANDS, name);
}

function helpFor(topic: string | undefined): string {
  return topic !== undefined && isCommand(topic) ? HELP[topic] : HELP.greenops;
}

/**
 * Writes synchronously, chunk by chunk (standard output to files, pipes and terminals is synchronous on
 * Linux and macOS), so a large JSON report streams out instead of piling up in memory.
 */
function writeReport(report: Report, format: string, output: string | undefined): void {
  const fd = output ? openSync(output, "w") : undefined;
  const write = (chunk: string) => {
    if (fd === undefined) process.stdout.write(chunk);
    else writeSync(fd, chunk);
  };
  try {
    if (format === "json") writeJsonReport(report, write);
    else write(markdownReport(report));
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

function printStats(report: Report, milliseconds: number): void {
  const seconds = milliseconds / 1000;
  const rss = peakRssMb();
  const rate = Math.round(report.stats.objects / seconds);
  process.stderr.write(
    `greenops: ${report.stats.files} files, ${report.stats.objects} objects in ${seconds.toFixed(2)} s (${rate} objects/s), peak RSS ${rss.toFixed(0)} MB, ${RUNS}\n`,
  );
}

function print(text: string): number {
  process.stdout.write(text);
  return EXIT.ok;
}

function usage(message: string): number {
  process.stderr.write(`greenops: ${message}\nRun "greenops --help" for usage.\n`);
  return EXIT.usage;
}

function fail(message: string): number {
  process.stderr.write(`greenops: ${message}\n`);
  return EXIT.usage;
}

process.exitCode = await main(process.argv.slice(2));
