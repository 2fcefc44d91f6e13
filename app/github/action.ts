import { readFileSync } from "node:fs";
import { Probot } from "probot";
import { greenOps } from "./index.ts";
import { GreenOpsOctokit } from "./octokit.ts";

type Env = Record<string, string | undefined>;

/**
 * GitHub Action mode: the same app, run once as a workflow step on the event that started the
 * workflow, with the workflow's token (Probot's own adapter is not published for Probot 14).
 * `pull_request_target` is handled as `pull_request`: GreenOps never runs the pull request's code.
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
  const app = greenOps({ mode: "action" });
  await probot.load(app);
  await probot.receive({ id: env.GITHUB_RUN_ID ?? "action", name, payload } as Parameters<
    Probot["receive"]
  >[0]);
  await app.idle();
  return 0;
}

if (import.meta.main) process.exitCode = await runAction();
