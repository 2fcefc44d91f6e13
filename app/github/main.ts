import { run } from "probot";
import { greenOps } from "./index.ts";
import { GreenOpsOctokit } from "./octokit.ts";

/**
 * `npm start`: Probot's server with the GreenOps app, configured by Probot's standard environment
 * variables (APP_ID, PRIVATE_KEY or PRIVATE_KEY_PATH, WEBHOOK_SECRET, PORT, HOST, LOG_LEVEL,
 * LOG_FORMAT, WEBHOOK_PROXY_URL, GHE_HOST, GHE_PROTOCOL), with GreenOps' Octokit (secondary rate
 * limits retried as GitHub asks).
 */
await run(greenOps(), { Octokit: GreenOpsOctokit });
