import type { FakeGitHub, FakePull } from "./fake-github.ts";
import { INSTALLATION_ID, OWNER, REPO } from "./fake-github.ts";
import { example } from "./openapi.ts";
import { Refusal } from "./refusal.ts";

type Json = Record<string, unknown>;

/** A REST operation the fake serves: path parameters, body, query and URL in; status, answer and headers out. */
export type FakeRoutes = Record<
  string,
  (
    params: Record<string, string>,
    body: Json,
    query: URLSearchParams,
    url: URL,
  ) => [number, unknown] | [number, unknown, Record<string, string>]
>;

/**
 * Refs, commits, pull requests and installations, as GitHub answers them (scans open, update and close
 * pull requests on their own branches; the schedule lists installations and their repositories).
 */
export function repositoryRoutes(github: FakeGitHub): FakeRoutes {
  const branchOf = (ref: string) => {
    if (!ref.startsWith("heads/")) throw new Refusal(404, "Not Found", false);
    return ref.slice("heads/".length);
  };
  const refObject = (name: string, sha: string): Json => ({
    ...example("/repos/{owner}/{repo}/git/ref/{ref}", "get", "200"),
    ref: `refs/heads/${name}`,
    url: `https://api.github.com/repos/${OWNER}/${REPO}/git/refs/heads/${name}`,
    object: {
      type: "commit",
      sha,
      url: `https://api.github.com/repos/${OWNER}/${REPO}/git/commits/${sha}`,
    },
  });
  return {
    "GET /repos/{owner}/{repo}": () => {
      const answer = example("/repos/{owner}/{repo}", "get", "200");
      return [200, { ...answer, name: REPO, full_name: `${OWNER}/${REPO}`, default_branch: "main" }];
    },
    "GET /repos/{owner}/{repo}/git/ref/{ref}": (params) => {
      const name = branchOf(params.ref ?? "");
      const sha = github.branches.get(name);
      if (!sha) throw new Refusal(404, "Not Found", false);
      return [200, refObject(name, sha)];
    },
    "POST /repos/{owner}/{repo}/git/refs": (_params, body) => {
      const name = String(body.ref).replace(/^refs\/heads\//, "");
      if (github.branches.has(name)) throw new Refusal(422, "Reference already exists");
      github.commitOf(String(body.sha));
      github.branch(name, String(body.sha));
      return [201, refObject(name, String(body.sha))];
    },
    "GET /repos/{owner}/{repo}/git/commits/{commit_sha}": (params) => {
      const commit = github.commitOf(params.commit_sha ?? "");
      const answer = example("/repos/{owner}/{repo}/git/commits/{commit_sha}", "get", "200");
      const parents = commit.parents.map((sha) => ({
        sha,
        url: `https://api.github.com/repos/${OWNER}/${REPO}/git/commits/${sha}`,
        html_url: `https://github.com/${OWNER}/${REPO}/commit/${sha}`,
      }));
      return [200, { ...answer, sha: commit.sha, message: commit.message, parents }];
    },
    "GET /repos/{owner}/{repo}/pulls": (_params, _body, query) => {
      const state = query.get("state") ?? "open";
      const head = query.get("head");
      const pulls = [...github.pulls.values()]
        .filter((pull) => state === "all" || (pull.state ?? "open") === state)
        .filter((pull) => !head || `${OWNER}:${pull.head}` === head)
        .sort((a, b) => b.number - a.number);
      return [200, pulls.map((pull) => github.pullObject(pull.number))];
    },
    "POST /repos/{owner}/{repo}/pulls": (_params, body) => {
      const head = String(body.head);
      if (!github.branches.has(head)) throw new Refusal(422, `head: ${head} does not exist`);
      if ([...github.pulls.values()].some((p) => p.head === head && (p.state ?? "open") === "open"))
        throw new Refusal(422, `A pull request already exists for ${OWNER}:${head}.`);
      const number = Math.max(0, ...github.pulls.keys()) + 1;
      const pull: FakePull = {
        number,
        base: String(body.base),
        head,
        fork: undefined,
        author: "greenops[bot]",
        title: String(body.title),
        body: String(body.body ?? ""),
        state: "open",
      };
      github.pulls.set(number, pull);
      return [201, github.pullObject(number)];
    },
    "PATCH /repos/{owner}/{repo}/pulls/{pull_number}": (params, body) => {
      const pull = github.pulls.get(Number(params.pull_number));
      if (!pull) throw new Refusal(404, "Not Found");
      if (typeof body.title === "string") pull.title = body.title;
      if (typeof body.body === "string") pull.body = body.body;
      if (body.state === "closed" || body.state === "open") pull.state = body.state;
      return [200, github.pullObject(pull.number)];
    },
    "GET /app/installations": () => {
      const [installation] = example("/app/installations", "get", "200") as unknown as Json[];
      return [200, [{ ...installation, id: INSTALLATION_ID }]];
    },
    "GET /installation/repositories": () => {
      const answer = example("/installation/repositories", "get", "200");
      const [repository] = answer.repositories as Json[];
      const ours = {
        ...repository,
        name: REPO,
        full_name: `${OWNER}/${REPO}`,
        owner: { ...(repository?.owner as Json), login: OWNER },
        default_branch: "main",
        archived: false,
      };
      return [200, { ...answer, total_count: 1, repositories: [ours] }];
    },
  };
}
