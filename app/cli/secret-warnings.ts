import { secretInClearWarning, secretsInClear } from "../config/operator-url.ts";
import {
  aiRoutes,
  githubTokenRoutes,
  pairedRoutes,
  telemetryRoutes,
  unreadableSecretFiles,
  unreadableSecretFileWarning,
} from "../config/secret-routes.ts";
import type { TelemetryOverrides } from "../telemetry/fetch-telemetry.ts";
import { COMMANDS } from "./help.ts";

type Env = Record<string, string | undefined>;

/**
 * One line for each secret a run of `command` would send in clear beyond the loopback interface:
 * telemetry credentials (flags, GREENOPS_TELEMETRY_SECRETS), the AI advisor's with --ai, and the
 * workflow's token for `greenops scan` in a workflow; then each secret file of GREENOPS_TELEMETRY_SECRETS
 * that cannot be read. The run goes on: the operator may have a reason, and the other sources work.
 */
export function secretWarnings(
  command: keyof typeof COMMANDS,
  options: { ai: boolean; telemetry: TelemetryOverrides },
  env: Env,
): string[] {
  const accepted: readonly string[] = COMMANDS[command].options;
  if (!accepted.includes("prometheus")) return [];
  const routes = [
    ...telemetryRoutes(options.telemetry, (source) => `--${source}`, env),
    ...pairedRoutes(env),
    ...(options.ai ? aiRoutes(env) : []),
    ...(command === "scan" && env.GITHUB_REPOSITORY ? githubTokenRoutes(env, "GITHUB_TOKEN") : []),
  ];
  return [
    ...secretsInClear(routes).map(secretInClearWarning),
    ...unreadableSecretFiles(env).map(unreadableSecretFileWarning),
  ];
}
