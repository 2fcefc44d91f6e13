import { createRequire } from "node:module";
import { Ajv2020 } from "ajv/dist/2020.js";
import addFormatsModule from "ajv-formats";
import { OWNER, REPO } from "./fake-github/fake-github.ts";

// biome-ignore lint/suspicious/noExplicitAny: example payloads are edited field by field, then validated against the schema
type Json = Record<string, any>;

const require = createRequire(import.meta.url);
/** Real payloads GitHub sent, as Octokit collected them: the scenarios change only what they need. */
const examples = require("@octokit/webhooks-examples") as { name: string; examples: Json[] }[];
/** GitHub's description of its webhooks: every adapted payload must still follow it. */
const webhooks = require("@octokit/openapi-webhooks/generated/api.github.com.json");
const ajv = new Ajv2020({ strict: false, allErrors: true });
(addFormatsModule as unknown as (a: Ajv2020) => void)(ajv);
ajv.addSchema(webhooks, "wh");

export const INSTALLATION = 1;

function pick(event: string, action: string | undefined, index: number): Json {
  const list = examples.find((e) => e.name === event)?.examples.filter((x) => x.action === action) ?? [];
  const payload = list[index];
  if (!payload) throw new Error(`no ${event}.${action} example #${index}`);
  return structuredClone(payload);
}

/** Fails on a payload that GitHub's webhook description rejects (`webhook-<event>[-<action>]`). */
function valid(event: string, action: string | undefined, payload: Json): Json {
  const suffix = action === undefined ? "" : `-${action.replaceAll("_", "-")}`;
  const name = `wh#/components/schemas/webhook-${event.replaceAll("_", "-")}${suffix}`;
  const validate = ajv.getSchema(name);
  if (!validate) throw new Error(`no schema ${name}`);
  if (!validate(payload))
    throw new Error(`${event}.${action} payload: ${JSON.stringify(validate.errors?.slice(0, 5))}`);
  return payload;
}

function ourRepository(repository: Json): void {
  repository.name = REPO;
  repository.full_name = `${OWNER}/${REPO}`;
  repository.owner.login = OWNER;
  repository.has_discussions ??= false;
}

/** The example that validates for each pull_request action (the others lack fields newer GitHub sends). */
const PULL_EXAMPLE: Record<string, number> = { opened: 1, synchronize: 0, reopened: 0, ready_for_review: 1 };

export type PullEvent = {
  number: number;
  head: { sha: string; ref: string };
  base: { sha: string; ref: string };
  fork?: string;
  sender?: { login: string; type: "User" | "Bot" };
};

export function pullRequestPayload(action: keyof typeof PULL_EXAMPLE, event: PullEvent): Json {
  const payload = pick("pull_request", action, PULL_EXAMPLE[action] ?? 0);
  const pull = payload.pull_request;
  payload.number = event.number;
  pull.number = event.number;
  pull.head.sha = event.head.sha;
  pull.head.ref = event.head.ref;
  pull.base.sha = event.base.sha;
  pull.base.ref = event.base.ref;
  ourRepository(payload.repository);
  ourRepository(pull.base.repo);
  ourRepository(pull.head.repo);
  if (event.fork) {
    pull.head.repo.full_name = `${event.fork}/${REPO}`;
    pull.head.repo.owner.login = event.fork;
    pull.head.repo.fork = true;
  }
  if (action === "synchronize") {
    payload.before = "0".repeat(40);
    payload.after = event.head.sha;
  }
  if (event.sender) {
    payload.sender.login = event.sender.login;
    payload.sender.type = event.sender.type;
  }
  payload.installation = { id: INSTALLATION, node_id: "MDIzOkludGVncmF0aW9uSW5zdGFsbGF0aW9uMQ==" };
  return valid("pull_request", action, payload);
}

/** "Apply fixes" clicked on a GreenOps check run of `headSha` (the run's external_id names the pull request). */
export function requestedActionPayload(event: {
  number: number;
  headSha: string;
  identifier: string;
  sender: string;
  pullRequests?: boolean;
}): Json {
  const payload = pick("check_run", "requested_action", 0);
  ourRepository(payload.repository);
  payload.check_run.head_sha = event.headSha;
  payload.check_run.external_id = String(event.number);
  payload.check_run.name = "GreenOps";
  if (event.pullRequests === false) payload.check_run.pull_requests = [];
  payload.requested_action = { identifier: event.identifier };
  payload.sender.login = event.sender;
  payload.installation = { id: INSTALLATION, node_id: "MDIzOkludGVncmF0aW9uSW5zdGFsbGF0aW9uMQ==" };
  return valid("check_run", "requested_action", payload);
}

/** A comment in a pull request's conversation (the examples are on issues: `issue.pull_request` is added). */
export function commentPayload(event: {
  number: number;
  body: string;
  sender: string;
  senderType?: "User" | "Bot";
  author?: string;
}): Json {
  const payload = pick("issue_comment", "created", 3);
  ourRepository(payload.repository);
  payload.issue.number = event.number;
  payload.issue.pull_request = {
    url: `https://api.github.com/repos/${OWNER}/${REPO}/pulls/${event.number}`,
    html_url: `https://github.com/${OWNER}/${REPO}/pull/${event.number}`,
    diff_url: `https://github.com/${OWNER}/${REPO}/pull/${event.number}.diff`,
    patch_url: `https://github.com/${OWNER}/${REPO}/pull/${event.number}.patch`,
    merged_at: null,
  };
  payload.issue.user.login = event.author ?? "Codertocat";
  payload.comment.body = event.body;
  payload.comment.user.login = event.sender;
  payload.comment.user.type = event.senderType ?? "User";
  payload.sender.login = event.sender;
  payload.sender.type = event.senderType ?? "User";
  payload.installation = { id: INSTALLATION, node_id: "MDIzOkludGVncmF0aW9uSW5zdGFsbGF0aW9uMQ==" };
  return valid("issue_comment", "created", payload);
}

export type PushedCommit = { sha: string; message: string; files: string[] };

/** A push to the default branch `main` (the example pushed to master, creating it: made an update). */
export function pushPayload(event: {
  before: string;
  after: string;
  commits: PushedCommit[];
  ref?: string;
}): Json {
  const payload = pick("push", undefined, 4);
  ourRepository(payload.repository);
  payload.repository.default_branch = "main";
  payload.repository.master_branch = "main";
  payload.ref = event.ref ?? "refs/heads/main";
  payload.before = event.before;
  payload.after = event.after;
  payload.created = false;
  payload.compare = `https://github.com/${OWNER}/${REPO}/compare/${event.before.slice(0, 12)}...${event.after.slice(0, 12)}`;
  const template = payload.commits[0];
  payload.commits = event.commits.map((commit) => ({
    ...structuredClone(template),
    id: commit.sha,
    message: commit.message,
    url: `https://github.com/${OWNER}/${REPO}/commit/${commit.sha}`,
    added: [],
    removed: [],
    modified: commit.files,
  }));
  payload.head_commit = payload.commits.at(-1) ?? null;
  payload.installation = { id: INSTALLATION, node_id: "MDIzOkludGVncmF0aW9uSW5zdGFsbGF0aW9uMQ==" };
  return valid("push", undefined, payload);
}

/** A `repository_dispatch` a workflow sent (`POST /repos/{o}/{r}/dispatches` with this `event_type`). */
export function dispatchPayload(eventType: string): Json {
  const payload = pick("repository_dispatch", "on-demand-test", 0);
  ourRepository(payload.repository);
  payload.repository.default_branch = "main";
  payload.repository.disabled = false;
  payload.repository.homepage = null;
  payload.branch = "main";
  payload.action = eventType;
  payload.installation = { id: INSTALLATION, node_id: "MDIzOkludGVncmF0aW9uSW5zdGFsbGF0aW9uMQ==" };
  return valid("repository_dispatch", "sample", payload);
}
