import { blobId, commentableRanges, type FakeCommit, mergeBase, unifiedPatch } from "./git.ts";
import { GraphQLError, runGraphQL } from "./graphql.ts";
import { example, requestErrors, route } from "./openapi.ts";
import { json, Refusal } from "./refusal.ts";
import { type FakeRoutes, repositoryRoutes } from "./repository-routes.ts";

type Json = Record<string, unknown>;

export type FakeCheckRun = {
  id: number;
  head_sha: string;
  name: string;
  status: string;
  conclusion: string | null;
  external_id: string | undefined;
  output: { title?: string; summary?: string; text?: string };
  annotations: Json[];
  actions: Json[];
  /** How many requests carried annotations (each at most 50). */
  annotationRequests: number;
};
export type FakeComment = {
  id: number;
  nodeId: string;
  issue: number;
  author: string;
  body: string;
  edits: number;
};
export type FakeReview = {
  id: number;
  nodeId: string;
  pull: number;
  author: string;
  body: string;
  commitId: string;
  comments: Json[];
  minimized: boolean;
};
export type FakePull = {
  number: number;
  base: string;
  head: string;
  fork: string | undefined;
  forkSha?: string;
  author: string;
  title?: string;
  body?: string;
  state?: "open" | "closed";
  merged?: boolean;
};
type Fault = {
  method: string;
  template: string;
  status: number;
  headers: Record<string, string>;
  body: Json;
  times: number;
  /** Requests to let through before the fault applies. */
  skip: number;
  /** GitHub carries the request out, then its answer is lost on the way (a proxy's 502, a timeout). */
  carriedOut?: boolean;
};
export type Logged = { method: string; template: string; status: number; write: boolean };

export const OWNER = "Codertocat";
export const REPO = "Hello-World";
export const APP_LOGIN = "greenops[bot]";
/** The installation every payload names. */
export const INSTALLATION_ID = 1;
/** The test installation's token: every repository request must carry it. */
export const TOKEN = "ghs_16C7e42F292c6912E7710c838347Ae178B4a";
/** The repository's GraphQL node id. */
const REPOSITORY_NODE_ID = "R_kgDOGreenOps";
/** As a ref's old value: the ref must not exist; as its new value: delete it. */
const ZERO_OID = "0".repeat(40);

/** GraphQL's Blob.text stops at exactly this many bytes. */
const GRAPHQL_TEXT_BYTES = 512_000;

/**
 * GitHub, in memory: keeps commits, branches, pull requests, check runs, comments and reviews; checks
 * every REST request against GitHub's OpenAPI description and every GraphQL query against GitHub's
 * schema, plus the limits only GitHub's docs state. Anything GitHub would reject is answered as GitHub
 * would and recorded as an error, which fails the test (`assertClean`), as does an unused fault or a
 * request to an endpoint the fake does not know.
 */
export class FakeGitHub {
  readonly commits = new Map<string, FakeCommit>();
  readonly blobs = new Map<string, string>();
  readonly branches = new Map<string, string>();
  readonly pulls = new Map<number, FakePull>();
  readonly permissions = new Map<string, string>();
  readonly checkRuns: FakeCheckRun[] = [];
  readonly comments: FakeComment[] = [];
  readonly reviews: FakeReview[] = [];
  readonly log: Logged[] = [];
  /** Every ref update, forced or not: GreenOps may force only its own scan branches. */
  readonly refUpdates: { branch: string; from: string; to: string; force: boolean }[] = [];
  readonly errors: string[] = [];
  readonly #faults: Fault[] = [];
  /** Runs before each GraphQL mutation (a scenario moves a branch there: a push racing the fix). */
  onMutation: (() => void) | undefined;
  /** The repository's default branch (GraphQL's `defaultBranchRef`). */
  defaultBranch = "main";
  /** The repository GraphQL answers for (REST routes serve any name). */
  repository = { owner: OWNER, repo: REPO };
  /** Every blob GraphQL sent, as it was asked: `object(oid:)` or `object(expression:)` on the repository. */
  readonly blobReads: string[] = [];
  #ids = 1000;
  #commitCount = 0;

  /**
   * Commits files (null deletes) on top of `parent`; returns the new commit's sha (`sha`: the id a real
   * repository gave the same commit, for a workflow's checkout of it).
   */
  commit(
    parent: string | undefined,
    files: Record<string, string | null>,
    message = "change",
    sha = blobId(`commit ${this.#commitCount + 1} ${message} ${parent ?? ""}`),
  ): string {
    const tree = new Map(parent ? this.#commit(parent).tree : []);
    for (const [path, text] of Object.entries(files)) {
      if (text === null) tree.delete(path);
      else {
        const oid = blobId(text);
        this.blobs.set(oid, text);
        tree.set(path, oid);
      }
    }
    this.#commitCount++;
    this.commits.set(sha, { sha, tree, parents: parent ? [parent] : [], message });
    return sha;
  }

  branch(name: string, sha: string): void {
    this.branches.set(name, sha);
  }

  /** A pull request from `head` (a branch here, or a fork's commit) into `base`. */
  pull(
    number: number,
    options: { base: string; head: string; fork?: { owner: string; sha: string }; author?: string },
  ): void {
    this.pulls.set(number, {
      number,
      base: options.base,
      head: options.head,
      fork: options.fork?.owner,
      ...(options.fork ? { forkSha: options.fork.sha } : {}),
      author: options.author ?? "Codertocat",
    });
  }

  /** Whether `ancestor` is `sha` or one of its ancestors. */
  isAncestor(ancestor: string, sha: string): boolean {
    return mergeBase(this.commits, ancestor, sha) === ancestor;
  }

  headOf(number: number): string {
    const pull = this.pulls.get(number);
    if (!pull) throw new Error(`no pull request #${number}`);
    return pull.forkSha ?? this.#branch(pull.head);
  }

  /** A comment by a person (or another bot), as if posted in the conversation. */
  addComment(issue: number, author: string, body: string): FakeComment {
    const id = ++this.#ids;
    const comment = { id, nodeId: `IC_${id}`, issue, author, body, edits: 0 };
    this.comments.push(comment);
    return comment;
  }

  /** The next `times` requests to this operation get this answer instead (a rate limit, a refusal). */
  fail(
    method: string,
    template: string,
    status: number,
    body: Json,
    headers: Record<string, string> = {},
    times = 1,
  ): void {
    this.#faults.push({ method, template, status, headers, body, times, skip: 0 });
  }

  /** Lets `after` requests to this operation through, then answers the next one so (a try dying midway). */
  failAfter(after: number, method: string, template: string, status: number, body: Json): void {
    this.#faults.push({ method, template, status, headers: {}, body, times: 1, skip: after });
  }

  /** The next request to this operation is carried out, but the client gets this answer instead. */
  loseAnswer(method: string, template: string, status: number, body: Json): void {
    this.#faults.push({ method, template, status, headers: {}, body, times: 1, skip: 0, carriedOut: true });
  }

  /** Fails the test on a request GitHub would have rejected, an unknown endpoint, or an unused fault. */
  assertClean(): void {
    const unused = this.#faults
      .filter((f) => f.times > 0)
      .map((f) => `unused fault: ${f.method} ${f.template} ${f.status}`);
    const problems = [...this.errors, ...unused];
    if (problems.length > 0) throw new Error(`fake GitHub:\n${problems.join("\n")}`);
  }

  /** Requests so far, excluding token exchanges. */
  calls(): Logged[] {
    return this.log.filter((l) => !l.template.endsWith("/access_tokens"));
  }

  /** Milliseconds spent answering requests (validation included): what a benchmark subtracts. */
  busyMilliseconds = 0;

  readonly fetch = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const started = performance.now();
    try {
      const response = await this.#answer(input, init);
      // A real fetch's answer knows its URL (Octokit's pagination reads it).
      const url = typeof input === "string" || input instanceof URL ? String(input) : input.url;
      Object.defineProperty(response, "url", { value: url });
      return response;
    } finally {
      this.busyMilliseconds += performance.now() - started;
    }
  };

  readonly #answer = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const url = new URL(typeof input === "string" || input instanceof URL ? input : input.url);
    const method = (init?.method ?? "GET").toUpperCase();
    const text = typeof init?.body === "string" ? init.body : undefined;
    const body = text ? (JSON.parse(text) as unknown) : undefined;
    const headers = new Headers(init?.headers);
    const pathname = url.pathname.replace(/^\/api\/v3(?=\/)/, "");
    if (pathname === "/graphql" || pathname === "/api/graphql")
      return this.#graphql(method, body as Json, headers);
    const found = route(method, pathname);
    if (!found)
      return this.#reject(
        `${method} ${pathname}: no such endpoint in GitHub's OpenAPI description`,
        404,
        method,
        pathname,
      );
    const logged = { method, template: found.template, status: 200, write: method !== "GET" };
    this.log.push(logged);
    const invalid = requestErrors(method, found, url.searchParams, body);
    if (invalid.length > 0) {
      logged.status = 422;
      return this.#reject(`${method} ${found.template}: ${invalid.join("; ")}`, 422, method, found.template);
    }
    if (!found.template.startsWith("/app/") && headers.get("authorization") !== `token ${TOKEN}`) {
      logged.status = 401;
      return this.#reject(
        `${method} ${found.template}: not authenticated as the installation`,
        401,
        method,
        found.template,
      );
    }
    const fault = this.#faults.find(
      (f) => f.times > 0 && f.method === method && f.template === found.template,
    );
    let lost: Fault | undefined;
    if (fault && fault.skip > 0) fault.skip--;
    else if (fault) {
      fault.times--;
      logged.status = fault.status;
      if (!fault.carriedOut) return json(fault.status, fault.body, fault.headers);
      lost = fault;
    }
    const handler = this.#rest[`${method} ${found.template}`];
    if (!handler)
      return this.#reject(
        `${method} ${found.template}: the fake does not serve this endpoint`,
        404,
        method,
        found.template,
      );
    try {
      const [status, data, headers] = handler(found.params, (body ?? {}) as Json, url.searchParams, url);
      if (lost) return json(lost.status, lost.body, lost.headers);
      logged.status = status;
      return json(status, data, { ...this.#rateLimit("core"), ...headers });
    } catch (error) {
      if (error instanceof Refusal) {
        logged.status = error.status;
        if (error.recorded) this.errors.push(`${method} ${found.template}: ${error.message}`);
        return json(error.status, {
          message: error.message,
          documentation_url: "https://docs.github.com/rest",
        });
      }
      throw error;
    }
  };

  #reject(message: string, status: number, method: string, template: string): Response {
    this.errors.push(message);
    if (!this.log.some((l) => l.template === template && l.method === method))
      this.log.push({ method, template, status, write: method !== "GET" });
    return json(status, { message, documentation_url: "https://docs.github.com/rest" });
  }

  readonly #rest: FakeRoutes = {
    ...repositoryRoutes(this),
    "POST /app/installations/{installation_id}/access_tokens": () => {
      const token = example("/app/installations/{installation_id}/access_tokens", "post", "201");
      return [201, { ...token, token: TOKEN, expires_at: new Date(Date.now() + 3600_000).toISOString() }];
    },
    "GET /repos/{owner}/{repo}/compare/{basehead}": (params) => this.#compare(params.basehead ?? ""),
    "GET /repos/{owner}/{repo}/git/trees/{tree_sha}": (params, _body, query) =>
      this.#tree(params.tree_sha ?? "", query),
    "GET /repos/{owner}/{repo}/git/blobs/{file_sha}": (params) => {
      const text = this.blobs.get(params.file_sha ?? "");
      if (text === undefined) throw new Refusal(404, "Not Found", false);
      const content = Buffer.from(text).toString("base64");
      return [
        200,
        {
          sha: params.file_sha,
          node_id: "B_1",
          size: Buffer.byteLength(text),
          url: `https://api.github.com/repos/${OWNER}/${REPO}/git/blobs/${params.file_sha}`,
          content,
          encoding: "base64",
        },
      ];
    },
    "GET /repos/{owner}/{repo}/pulls/{pull_number}": (params) => [
      200,
      this.pullObject(Number(params.pull_number)),
    ],
    "GET /repos/{owner}/{repo}/collaborators/{username}/permission": (params) => {
      const answer = example("/repos/{owner}/{repo}/collaborators/{username}/permission", "get", "200");
      const permission = this.permissions.get(params.username ?? "") ?? "read";
      (answer.user as Json).login = params.username;
      return [200, { ...answer, permission, role_name: permission }];
    },
    "POST /repos/{owner}/{repo}/check-runs": (_params, body) => this.#createCheck(body),
    "GET /repos/{owner}/{repo}/commits/{ref}/check-runs": (params, _body, query) => {
      const runs = this.checkRuns.filter(
        (r) => r.head_sha === params.ref && (!query.get("check_name") || r.name === query.get("check_name")),
      );
      return [200, { total_count: runs.length, check_runs: runs.map((r) => this.#checkObject(r)) }];
    },
    "PATCH /repos/{owner}/{repo}/check-runs/{check_run_id}": (params, body) =>
      this.#updateCheck(Number(params.check_run_id), body),
    "GET /repos/{owner}/{repo}/check-runs/{check_run_id}/annotations": (params, _body, query, url) =>
      this.#annotations(Number(params.check_run_id), query, url),
    "POST /repos/{owner}/{repo}/issues/{issue_number}/comments": (params, body) => {
      checkCommentBody(body.body);
      const comment = this.addComment(Number(params.issue_number), APP_LOGIN, String(body.body));
      return [201, this.#commentObject(comment)];
    },
    "PATCH /repos/{owner}/{repo}/issues/comments/{comment_id}": (params, body) => {
      checkCommentBody(body.body);
      const comment = this.comments.find((c) => c.id === Number(params.comment_id));
      if (!comment) throw new Refusal(404, "Not Found");
      if (comment.author !== APP_LOGIN) throw new Refusal(403, "Resource not accessible by integration");
      comment.body = String(body.body);
      comment.edits++;
      return [200, this.#commentObject(comment)];
    },
    "POST /repos/{owner}/{repo}/pulls/{pull_number}/reviews": (params, body) =>
      this.#createReview(Number(params.pull_number), body),
  };

  commitOf(sha: string): FakeCommit {
    return this.#commit(sha);
  }

  readonly #used = { core: 0, graphql: 0 };

  /** GitHub's rate limit headers: 5,000 an hour for an installation, one used per request. */
  #rateLimit(resource: "core" | "graphql"): Record<string, string> {
    this.#used[resource]++;
    return {
      "x-ratelimit-limit": "5000",
      "x-ratelimit-remaining": String(5000 - this.#used[resource]),
      "x-ratelimit-used": String(this.#used[resource]),
      "x-ratelimit-resource": resource,
    };
  }

  #commit(sha: string): FakeCommit {
    const commit = this.commits.get(sha);
    if (!commit) throw new Refusal(404, `No commit found for SHA: ${sha}`, false);
    return commit;
  }

  #branch(name: string): string {
    const sha = this.branches.get(name);
    if (!sha) throw new Error(`no branch ${name}`);
    return sha;
  }

  #compare(basehead: string): [number, unknown] {
    const [base = "", head = ""] = basehead.split("...");
    const merge = mergeBase(this.commits, base, head);
    const before = this.#commit(merge).tree;
    const after = this.#commit(head).tree;
    const files = changedFiles(before, after).map((file) => {
      const patch =
        file.status === "removed"
          ? undefined
          : unifiedPatch(
              this.blobs.get(before.get(file.from ?? file.filename) ?? "") ?? "",
              this.blobs.get(after.get(file.filename) ?? "") ?? "",
            );
      return {
        sha: file.sha,
        filename: file.filename,
        status: file.status,
        additions: 1,
        deletions: 1,
        changes: 2,
        blob_url: `https://github.com/${OWNER}/${REPO}/blob/${head}/${file.filename}`,
        raw_url: `https://github.com/${OWNER}/${REPO}/raw/${head}/${file.filename}`,
        contents_url: `https://api.github.com/repos/${OWNER}/${REPO}/contents/${file.filename}?ref=${head}`,
        ...(patch !== undefined ? { patch } : {}),
        ...(file.from ? { previous_filename: file.from } : {}),
      };
    });
    const answer = example("/repos/{owner}/{repo}/compare/{basehead}", "get", "200");
    (answer.merge_base_commit as Json).sha = merge;
    (answer.base_commit as Json).sha = base;
    const status =
      base === head ? "identical" : merge === head ? "behind" : merge === base ? "ahead" : "diverged";
    return [200, { ...answer, status, files: files.slice(0, 300), total_commits: 1 }];
  }

  #tree(sha: string, query: URLSearchParams): [number, unknown] {
    if (!query.get("recursive")) this.errors.push("trees are read recursively");
    const commit = this.#commit(sha);
    const entries: Json[] = [];
    const directories = new Set<string>();
    for (const [path, oid] of [...commit.tree].sort(([a], [b]) => a.localeCompare(b))) {
      const parts = path.split("/");
      for (let i = 1; i < parts.length; i++) {
        const dir = parts.slice(0, i).join("/");
        if (!directories.has(dir)) {
          directories.add(dir);
          entries.push({ path: dir, mode: "040000", type: "tree", sha: blobId(`tree ${dir}`) });
        }
      }
      const size = Buffer.byteLength(this.blobs.get(oid) ?? "");
      entries.push({
        path,
        mode: "100644",
        type: "blob",
        sha: oid,
        size,
        url: `https://api.github.com/repos/${OWNER}/${REPO}/git/blobs/${oid}`,
      });
    }
    return [
      200,
      {
        sha,
        url: `https://api.github.com/repos/${OWNER}/${REPO}/git/trees/${sha}`,
        tree: entries,
        truncated: false,
      },
    ];
  }

  /** A pull request as the REST API answers it. */
  pullObject(number: number): Json {
    const pull = this.pulls.get(number);
    if (!pull) throw new Refusal(404, "Not Found", false);
    const answer = example("/repos/{owner}/{repo}/pulls/{pull_number}", "get", "200");
    const head = answer.head as Json;
    const base = answer.base as Json;
    answer.number = number;
    head.sha = this.headOf(number);
    head.ref = pull.head;
    base.sha = this.#branch(pull.base);
    base.ref = pull.base;
    (head.repo as Json).full_name = pull.fork ? `${pull.fork}/${REPO}` : `${OWNER}/${REPO}`;
    (base.repo as Json).full_name = `${OWNER}/${REPO}`;
    (answer.user as Json).login = pull.author;
    answer.title = pull.title ?? answer.title;
    answer.body = pull.body ?? answer.body;
    answer.state = pull.state ?? "open";
    answer.merged_at = pull.merged ? "2026-11-20T10:00:00Z" : null;
    answer.closed_at = pull.state === "closed" ? "2026-11-20T10:00:00Z" : null;
    return answer;
  }

  #createCheck(body: Json): [number, unknown] {
    checkAnnotations(body);
    if (!this.commits.has(String(body.head_sha))) throw new Refusal(422, "No commit found for SHA");
    const id = ++this.#ids;
    const output = (body.output ?? {}) as Json;
    const run: FakeCheckRun = {
      id,
      head_sha: String(body.head_sha),
      name: String(body.name),
      status: String(body.status ?? "queued"),
      conclusion: (body.conclusion as string | undefined) ?? null,
      external_id: body.external_id as string | undefined,
      output: {
        title: output.title as string,
        summary: output.summary as string,
        text: output.text as string,
      },
      annotations: [...((output.annotations as Json[] | undefined) ?? [])],
      actions: (body.actions as Json[] | undefined) ?? [],
      annotationRequests: output.annotations ? 1 : 0,
    };
    this.checkRuns.push(run);
    return [201, this.#checkObject(run)];
  }

  #updateCheck(id: number, body: Json): [number, unknown] {
    checkAnnotations(body);
    const run = this.checkRuns.find((r) => r.id === id);
    if (!run) throw new Refusal(404, "Not Found");
    if (body.status) run.status = String(body.status);
    if (body.conclusion) run.conclusion = String(body.conclusion);
    if (body.actions) run.actions = body.actions as Json[];
    const output = body.output as Json | undefined;
    if (output) {
      run.output = {
        title: output.title as string,
        summary: output.summary as string,
        text: (output.text as string | undefined) ?? run.output.text,
      };
      const annotations = (output.annotations as Json[] | undefined) ?? [];
      if (annotations.length > 0) run.annotationRequests++;
      run.annotations.push(...annotations);
    }
    return [200, this.#checkObject(run)];
  }

  /** A check run's annotations as GitHub lists them: in the order written, a page at a time, `link` to the next. */
  #annotations(id: number, query: URLSearchParams, url: URL): [number, unknown, Record<string, string>] {
    const run = this.checkRuns.find((r) => r.id === id);
    if (!run) throw new Refusal(404, "Not Found");
    const perPage = Math.min(Number(query.get("per_page") ?? 30), 100);
    const page = Number(query.get("page") ?? 1);
    const annotations = run.annotations.slice((page - 1) * perPage, page * perPage).map((a) => ({
      path: a.path,
      blob_href: `https://github.com/${OWNER}/${REPO}/blob/${run.head_sha}/${String(a.path)}`,
      start_line: a.start_line,
      end_line: a.end_line,
      start_column: a.start_column ?? null,
      end_column: a.end_column ?? null,
      annotation_level: a.annotation_level,
      title: a.title ?? null,
      message: a.message,
      raw_details: a.raw_details ?? null,
    }));
    const next = new URL(url);
    next.searchParams.set("page", String(page + 1));
    const more = page * perPage < run.annotations.length;
    return [200, annotations, more ? { link: `<${next}>; rel="next"` } : {}];
  }

  #checkObject(run: FakeCheckRun): Json {
    const answer = example("/repos/{owner}/{repo}/check-runs/{check_run_id}", "patch", "200");
    return {
      ...answer,
      id: run.id,
      head_sha: run.head_sha,
      name: run.name,
      status: run.status,
      conclusion: run.conclusion,
      external_id: run.external_id ?? "",
      html_url: `https://github.com/${OWNER}/${REPO}/runs/${run.id}`,
    };
  }

  #commentObject(comment: FakeComment): Json {
    const answer = example("/repos/{owner}/{repo}/issues/comments/{comment_id}", "patch", "200");
    return { ...answer, id: comment.id, node_id: comment.nodeId, body: comment.body };
  }

  #createReview(number: number, body: Json): [number, unknown] {
    const pull = this.pulls.get(number);
    if (!pull) throw new Refusal(404, "Not Found");
    const commitId = String(body.commit_id);
    if ((body.event === "COMMENT" || body.event === "REQUEST_CHANGES") && !body.body)
      throw new Refusal(422, "Review body is required");
    const base = mergeBase(this.commits, this.#branch(pull.base), commitId);
    const before = this.#commit(base).tree;
    const after = this.#commit(commitId).tree;
    for (const comment of (body.comments as Json[] | undefined) ?? []) {
      const path = String(comment.path);
      const patch = unifiedPatch(
        this.blobs.get(before.get(path) ?? "") ?? "",
        this.blobs.get(after.get(path) ?? "") ?? "",
      );
      const ranges = patch && before.get(path) !== after.get(path) ? commentableRanges(patch) : [];
      const line = Number(comment.line);
      const start = Number(comment.start_line ?? line);
      if (start > line) throw new Refusal(422, "Unprocessable Entity: start line must precede the end line");
      if (!ranges.some(([a, b]) => a <= start && line <= b))
        throw new Refusal(
          422,
          `Unprocessable Entity: "Pull request review thread line must be part of the diff and start line must be part of the same hunk" (${path}:${start}-${line})`,
        );
    }
    const id = ++this.#ids;
    const review: FakeReview = {
      id,
      nodeId: `PRR_${id}`,
      pull: number,
      author: APP_LOGIN,
      body: String(body.body ?? ""),
      commitId,
      comments: (body.comments as Json[] | undefined) ?? [],
      minimized: false,
    };
    this.reviews.push(review);
    const answer = example("/repos/{owner}/{repo}/pulls/{pull_number}/reviews", "post", "200");
    return [
      200,
      { ...answer, id, node_id: review.nodeId, body: review.body, commit_id: commitId, state: "COMMENTED" },
    ];
  }

  async #graphql(method: string, body: Json, headers: Headers): Promise<Response> {
    const logged = {
      method,
      template: "/graphql",
      status: 200,
      write: /^\s*mutation\b/.test(String(body.query)),
    };
    this.log.push(logged);
    if (headers.get("authorization") !== `token ${TOKEN}`)
      this.errors.push("GraphQL: not authenticated as the installation");
    const fault = this.#faults.find((f) => f.times > 0 && f.method === method && f.template === "/graphql");
    if (fault) {
      fault.times--;
      logged.status = fault.status;
      return json(fault.status, fault.body, fault.headers);
    }
    if (logged.write) this.onMutation?.();
    const answer = await runGraphQL(
      String(body.query),
      body.variables as Json | undefined,
      this.#graphqlRoot(),
    );
    for (const message of answer.invalid) this.errors.push(`GraphQL: ${message}`);
    return json(200, answer.result, this.#rateLimit("graphql"));
  }

  #graphqlRoot(): Json {
    return {
      repository: ({ owner, name }: { owner: string; name: string }) =>
        owner === this.repository.owner && name === this.repository.repo ? this.#repositoryNode() : null,
      createCommitOnBranch: ({ input }: { input: Json }) => this.#createCommitOnBranch(input),
      updateRefs: ({ input }: { input: Json }) => this.#updateRefs(input),
      minimizeComment: ({ input }: { input: { subjectId: string; classifier: string } }) => {
        const review = this.reviews.find((r) => r.nodeId === input.subjectId);
        if (!review)
          throw new GraphQLError(`Could not resolve to a node with the global id of '${input.subjectId}'`);
        review.minimized = true;
        return { minimizedComment: { __typename: "PullRequestReview", isMinimized: true } };
      },
    };
  }

  #repositoryNode(): Json {
    const branch = this.branches.get(this.defaultBranch);
    return {
      id: REPOSITORY_NODE_ID,
      object: ({ oid, expression }: { oid?: string; expression?: string }) => {
        const found = this.#object(oid, expression);
        if (found?.__typename === "Blob") this.blobReads.push(oid ?? expression ?? "");
        return found;
      },
      defaultBranchRef: branch ? { name: this.defaultBranch, target: this.#object(branch, undefined) } : null,
      pullRequest: ({ number }: { number: number }) => {
        const pull = this.pulls.get(number);
        if (!pull) return null;
        return {
          headRefOid: this.headOf(number),
          state: pull.state === "closed" ? (pull.merged ? "MERGED" : "CLOSED") : "OPEN",
          comments: ({ last, before }: { last: number; before?: string }) => {
            const all = this.comments.filter((c) => c.issue === number);
            const end = before ? all.findIndex((c) => c.nodeId === before) : all.length;
            const nodes = all.slice(Math.max(0, end - last), end);
            return {
              nodes: nodes.map((c) => ({
                id: c.nodeId,
                databaseId: c.id,
                body: c.body,
                viewerDidAuthor: c.author === APP_LOGIN,
              })),
              pageInfo: { hasPreviousPage: end - last > 0, startCursor: nodes[0]?.nodeId ?? null },
            };
          },
          reviews: ({ last }: { last: number }) => ({
            nodes: this.reviews
              .filter((r) => r.pull === number)
              .slice(-last)
              .map((r) => ({
                id: r.nodeId,
                body: r.body,
                viewerDidAuthor: r.author === APP_LOGIN,
                isMinimized: r.minimized,
                commit: { oid: r.commitId },
              })),
          }),
        };
      },
    };
  }

  #object(oid: string | undefined, expression: string | undefined): Json | null {
    let id = oid;
    if (expression) {
      const [commit = "", ...rest] = expression.split(":");
      id = this.commits.get(commit)?.tree.get(rest.join(":"));
    }
    if (!id) return null;
    const commit = this.commits.get(id);
    if (commit) {
      const file = ({ path }: { path: string }) => {
        const oid = commit.tree.get(path);
        return oid ? { path, oid, object: this.#object(oid, undefined) } : null;
      };
      return { __typename: "Commit", oid: id, message: commit.message, file };
    }
    const text = this.blobs.get(id);
    if (text === undefined) return null;
    const bytes = Buffer.from(text);
    const truncated = bytes.length > GRAPHQL_TEXT_BYTES;
    return {
      __typename: "Blob",
      oid: id,
      text: truncated ? bytes.subarray(0, GRAPHQL_TEXT_BYTES).toString() : text,
      isTruncated: truncated,
      isBinary: bytes.subarray(0, 8000).includes(0),
      byteSize: bytes.length,
    };
  }

  /**
   * GraphQL's updateRefs: every update checked first (its `beforeOid`, the zero id for a ref that must
   * not exist; a fast-forward unless forced), then all made, or none.
   */
  #updateRefs(input: Json): Json {
    if (input.repositoryId !== REPOSITORY_NODE_ID)
      throw new GraphQLError(
        `Could not resolve to a node with the global id of '${String(input.repositoryId)}'`,
      );
    const updates = (
      input.refUpdates as { name: string; beforeOid?: string; afterOid: string; force?: boolean }[]
    ).map((update) => {
      if (!update.name.startsWith("refs/heads/")) throw new GraphQLError(`Invalid ref name: ${update.name}`);
      const branch = update.name.slice("refs/heads/".length);
      const current = this.branches.get(branch) ?? ZERO_OID;
      if (update.beforeOid !== undefined && update.beforeOid !== current)
        throw new GraphQLError(
          `A ref update for ${update.name} was rejected: it does not point to ${update.beforeOid}`,
        );
      const deleting = update.afterOid === ZERO_OID;
      if (!deleting) this.commitOf(update.afterOid);
      if (
        !deleting &&
        current !== ZERO_OID &&
        update.force !== true &&
        !this.isAncestor(current, update.afterOid)
      )
        throw new GraphQLError(`A ref update for ${update.name} was rejected: not a fast forward`);
      return { branch, current, update };
    });
    for (const { branch, current, update } of updates) {
      this.refUpdates.push({ branch, from: current, to: update.afterOid, force: update.force === true });
      if (update.afterOid === ZERO_OID) this.branches.delete(branch);
      else this.branch(branch, update.afterOid);
    }
    return { clientMutationId: null };
  }

  #createCommitOnBranch(input: Json): Json {
    const branch = input.branch as { repositoryNameWithOwner: string; branchName: string };
    if (branch.repositoryNameWithOwner !== `${OWNER}/${REPO}`)
      throw new GraphQLError("Could not resolve to a Repository");
    const head = this.branches.get(branch.branchName);
    if (!head) throw new GraphQLError(`A ref named "refs/heads/${branch.branchName}" does not exist.`);
    if (head !== input.expectedHeadOid)
      throw new GraphQLError(
        `Expected branch to point to "${String(input.expectedHeadOid)}" but it did not. Pull and try again.`,
      );
    const changes = (input.fileChanges ?? {}) as {
      additions?: { path: string; contents: string }[];
      deletions?: { path: string }[];
    };
    const files: Record<string, string | null> = {};
    for (const addition of changes.additions ?? [])
      files[addition.path] = Buffer.from(addition.contents, "base64").toString();
    for (const deletion of changes.deletions ?? []) files[deletion.path] = null;
    const message = input.message as { headline: string; body?: string };
    const sha = this.commit(
      head,
      files,
      message.body ? `${message.headline}\n\n${message.body}` : message.headline,
    );
    this.branches.set(branch.branchName, sha);
    return { commit: { oid: sha } };
  }
}

function checkCommentBody(body: unknown): void {
  if (typeof body === "string" && body.length > 65_536)
    throw new Refusal(422, "Body is too long (maximum is 65536 characters)");
}

/** The limits of annotations that only GitHub's docs state (the schema has the 50 per request). */
function checkAnnotations(body: Json): void {
  for (const annotation of ((body.output as Json | undefined)?.annotations as Json[] | undefined) ?? []) {
    if (typeof annotation.title === "string" && annotation.title.length > 255)
      throw new Refusal(422, "annotation title is longer than 255 characters");
    for (const field of ["message", "raw_details"]) {
      const value = annotation[field];
      if (typeof value === "string" && Buffer.byteLength(value) > 64 * 1024)
        throw new Refusal(422, `annotation ${field} is larger than 64 KB`);
    }
    if (
      (annotation.start_column !== undefined || annotation.end_column !== undefined) &&
      annotation.start_line !== annotation.end_line
    )
      throw new Refusal(
        422,
        "start_column and end_column are only valid when the annotation is on a single line",
      );
  }
}

type ChangedFile = { filename: string; status: string; sha: string; from?: string };

function changedFiles(before: Map<string, string>, after: Map<string, string>): ChangedFile[] {
  const files: ChangedFile[] = [];
  const removed = new Map<string, string>();
  for (const [path, oid] of before) if (!after.has(path)) removed.set(oid, path);
  for (const [path, oid] of after) {
    const previous = before.get(path);
    if (previous === oid) continue;
    if (previous !== undefined) files.push({ filename: path, status: "modified", sha: oid });
    else if (removed.has(oid)) {
      files.push({ filename: path, status: "renamed", sha: oid, from: removed.get(oid) as string });
      removed.delete(oid);
    } else files.push({ filename: path, status: "added", sha: oid });
  }
  for (const [oid, path] of removed) files.push({ filename: path, status: "removed", sha: oid });
  return files.sort((a, b) => a.filename.localeCompare(b.filename));
}
