import type { Context } from "probot";
import { reviewJob } from "../jobs.ts";
import { currentPull } from "../pull-request.ts";
import { refusal } from "./permission-gate.ts";
import { fixJob, type HandlerScope, noticeJob } from "./scope.ts";

const COMMAND = /^\s*\/greenops\s+(fix|recheck)\b/;

/** The command of a comment: its first line must start with `/greenops fix` or `/greenops recheck`. */
export function parseCommand(body: string): "fix" | "recheck" | undefined {
  return COMMAND.exec(body.split("\n", 1)[0] ?? "")?.[1] as "fix" | "recheck" | undefined;
}

/**
 * `/greenops fix` and `/greenops recheck` in a pull request's conversation. Comments by bots (GreenOps'
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
  else await scope.push(reviewJob(pull, undefined, [`@${sender.login} asked for a recheck.`]));
}
