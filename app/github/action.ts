import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { Probot } from "probot";
import { githubTokenRoutes, telemetryRoutes } from "../config/secret-routes.ts";
import { checkedReviewSnapshots } from "../engine/review.ts";
import type { TelemetryOverrides } from "../telemetry/fetch-telemetry.ts";
import { telemetryOverrides } from "../telemetry/overrides.ts";
import { warnSecretsInClear } from "./app-env.ts";
import { checkoutPackages } from "./checkout.ts";
import { greenOps } from "./index.ts";
import { GreenOpsOctokit } from "./octokit.ts";

type Env = Record<string, string | undefined>;

/**
 * GitHub Action mode: the same app, run once as a workflow step on the event that started the
 * workflow, with the workflow's token (Probot's own adapter is not published for Probot 14).
 * `pull_request_target` is handled as `pull_request`. The pull request's programs run (sandboxed) only
 * as in the App: opted in by the default branch's settings; they import the packages of the
 * workflow's checkout when it holds the reviewed head.
 */
export async function runAction(env: Env = process.env, request?: { fetch: typeof fetch }): Promise<number> {
  const token = env.GITHUB_TOKEN ?? env.INPUT_GITHUB_TOKEN;
  const eventName = env.GITHUB_EVENT_NAME;
  const eventPath = env.GITHUB_EVENT_PATH;
  if (!token || !eventName || !eventPath) {
    process.stderr.write(
      "greenops: GITHUB_TOKEN, GITHUB_EVENT_NAME and GITHUB_EVENT_PATH must be set (run as a workflow step)\n",
    );
    return 2;
  }
  const name = eventName === "pull_request_target" ? "pull_request" : eventName;
  const payload = JSON.parse(readFileSync(eventPath, "utf8"));
  const probot = new Probot({
    githubToken: token,
    Octokit: GreenOpsOctokit,
    logLevel: (env.LOG_LEVEL as "info" | undefined) ?? "info",
    ...(env.GITHUB_API_URL ? { baseUrl: env.GITHUB_API_URL } : {}),
    ...(request ? { request } : {}),
  });
  const telemetry = actionTelemetry(env);
  if (typeof telemetry === "string") {
    process.stderr.write(`greenops: ${telemetry}\n`);
    return 2;
  }
  const app = greenOps({
    mode: "action",
    env,
    review: async (input) => {
      if (!input.projects?.runPrograms) return checkedReviewSnapshots({ ...input, telemetry });
      const checkout = await checkoutPackages(env, input.head.info.commit);
      if ("reason" in checkout)
        probot.log.info({ reason: checkout.reason }, "programs use the Pulumi packages GreenOps ships");
      const local = "local" in checkout ? { local: checkout.local } : {};
      return checkedReviewSnapshots({ ...input, telemetry, projects: { ...input.projects, ...local } });
    },
  });
  await probot.load(app);
  // Probot's logger exists once it is initialised, which load waits for.
  warnSecretsInClear(
    [
      ...telemetryRoutes(telemetry, (source) => `the ${source}-url input`, env),
      ...githubTokenRoutes(env, env.GITHUB_TOKEN ? "GITHUB_TOKEN" : "INPUT_GITHUB_TOKEN"),
    ],
    probot.log,
  );
  await probot.receive({ id: env.GITHUB_RUN_ID ?? "action", name, payload } as Parameters<
    Probot["receive"]
  >[0]);
  await app.idle();
  return 0;
}

const BIN = fileURLToPath(new URL("../../bin/greenops.js", import.meta.url));

/**
 * The command line of the action's `mode` input (action.yml passes its inputs as INPUT_* variables):
 * undefined for review (the App in Action mode, above), `greenops scan` or `greenops deploy-status`
 * with the inputs that mode takes. Credentials never come from inputs: they are the step's env
 * (ARGOCD_AUTH_TOKEN, GREENOPS_PROMETHEUS_*), read by the command itself.
 */
export function actionCommand(env: Env): string[] | undefined {
  const mode = env.INPUT_MODE || "review";
  if (mode === "review") return undefined;
  if (mode !== "scan" && mode !== "deploy-status")
    throw new Error(`the mode input is "${mode}": use review, scan or deploy-status`);
  const flags: [string, string | undefined][] =
    mode === "scan"
      ? [
          ["--env", env.INPUT_ENVIRONMENT],
          ["--prometheus", env.INPUT_PROMETHEUS_URL],
          ["--opencost", env.INPUT_OPENCOST_URL],
          ["--telemetry-window", env.INPUT_TELEMETRY_WINDOW],
        ]
      : [
          ["--revision", env.INPUT_REVISION || env.GITHUB_SHA],
          ["--argocd-server", env.INPUT_ARGOCD_SERVER],
          ["--timeout", env.INPUT_TIMEOUT],
        ];
  const sync = mode === "deploy-status" && env.INPUT_SYNC === "true" ? ["--sync"] : [];
  return [mode, ...flags.flatMap(([flag, value]) => (value ? [flag, value] : [])), ...sync];
}

/** The telemetry inputs of a review, checked as the command line checks its flags. */
export function actionTelemetry(env: Env): TelemetryOverrides | string {
  const names = { prometheus: "prometheus-url", opencost: "opencost-url", window: "telemetry-window" };
  return telemetryOverrides(
    {
      prometheus: env.INPUT_PROMETHEUS_URL || undefined,
      opencost: env.INPUT_OPENCOST_URL || undefined,
      window: env.INPUT_TELEMETRY_WINDOW || undefined,
    },
    (name) => `the ${names[name]} input`,
  );
}

async function main(env: Env): Promise<number> {
  let command: string[] | undefined;
  try {
    command = actionCommand(env);
  } catch (error) {
    process.stderr.write(`greenops: ${(error as Error).message}\n`);
    return 2;
  }
  if (!command) return runAction(env);
  return spawnSync(process.execPath, [BIN, ...command], { stdio: "inherit", env }).status ?? 2;
}

if (import.meta.main) process.exitCode = await main(process.env);
