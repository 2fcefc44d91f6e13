import { existsSync } from "node:fs";
import { startService, stopOnSignals } from "../service/service.ts";
import { SettingError } from "../service/settings.ts";

/**
 * `npm start`: the GreenOps App as a service, configured by Probot's standard environment variables
 * (APP_ID, PRIVATE_KEY or PRIVATE_KEY_PATH, WEBHOOK_SECRET, PORT, HOST, LOG_LEVEL, LOG_FORMAT,
 * WEBHOOK_PROXY_URL, GHE_HOST, GHE_PROTOCOL, REDIS_URL) and GreenOps' own (GREENOPS_ROLE,
 * GREENOPS_CONCURRENCY, ...: app/service/settings.ts); `.env` is read first, as Probot does.
 */
if (existsSync(".env")) process.loadEnvFile(".env");
try {
  stopOnSignals(await startService());
} catch (error) {
  if (!(error instanceof SettingError)) throw error;
  process.stderr.write(`greenops: ${error.message}\n`);
  process.exitCode = 2;
}
