import type { Context } from "probot";
import { reviewJob } from "../jobs.ts";
import { currentPull } from "../pull-request.ts";
import { refusal } from "./permission-gate.ts";
import { explainJob, fixJob, type HandlerScope, noticeJob } from "./scope.ts";

const COMMAND = /^\s*\/greenops\s+(fix|recheck|explain)\b/;
/** What `/greenops explain` may ask about: a policy id or a resource id or name. */
const EXPLAIN = /^\s*\/greenops\s+explain\s+([\w./:-]{1,200})\s*$/;

/** The command of a comment: its first line must start with `/greenops fix`, `recheck` or `explain`. */
export function parseCommand(body: string): "fix" | "recheck" | "explain" | undefined {
  return COMMAND.exec(body.split("\n", 1)[0] ?? "")?.[1] as "fix" | "recheck" | "explain" | undefined;
}

/** The policy id or resource of `/greenops explain <policy-id or resource>`, if the line names one. */
export function explainTarget(body: string): string | undefined {
  return EXPLAIN.exec(body.split("\n", 1)[0] ?? "")?.[1];
}

/**
 * `/greenops fix`, `/greenops recheck` and `/greenops explain <policy-id or resource>` in a pull
 * request's conversation (explain answers in the thread). Comments by bots (GreenOps'
 * own included) are never commands, so no bot can start a fix, nor a loop of them.
 */
export async function onCommand(
  context: Context<"issue_comment.created">,
  scope: HandlerScope,
): Promise<void> {
  const { issue, comment, sender } = context.payload;
  const command = parseCommand(comment.body);
  if (!command || !issue.pull_request || sender.type === "Bot" || comment.user?.type === "Bot") return;
  const repo = context.repo();
  const pull = await currentPull(context.octokit, repo, issue.number, scope.installation(context.payload));
  const refused = await refusal(context.octokit, repo, sender.login, command, issue.user?.login);
  if (refused) await scope.push(noticeJob(pull, refused));
  else if (command === "fix") await scope.push(fixJob(pull, sender.login));
  else if (command === "explain")
    await scope.push(explainJob(pull, sender.login, explainTarget(comment.body)));
  else await scope.push(reviewJob(pull, undefined, [`@${sender.login} asked for a recheck.`]));
}
