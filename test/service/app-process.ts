/**
 * An App process as `npm start` runs it (role, queue and GitHub from the environment), with Octokit's
 * throttling off: the tests' GitHub answers in milliseconds and is not rate limited. Tests spawn it.
 */
import { GreenOpsOctokit } from "../../app/github/octokit.ts";
import { startService, stopOnSignals } from "../../app/service/service.ts";

const Octokit = GreenOpsOctokit.defaults((options: Record<string, unknown>) => ({
  ...options,
  throttle: { enabled: false },
}));
stopOnSignals(await startService(process.env, Octokit as typeof GreenOpsOctokit));
