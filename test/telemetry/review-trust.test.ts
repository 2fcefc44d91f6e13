import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { greenopsWithEnv, jsonWithEnv } from "../helpers/cli.ts";
import { type TempRepo, tempRepo } from "../helpers/git-repo.ts";
import { type FakeApi, fakeApi } from "./fake-apis.ts";
import { allowing, pairedWith } from "./helpers.ts";

/**
 * A repository's settings name a URL and the operator's variables and files; only what whoever runs
 * GreenOps lists in GREENOPS_TELEMETRY_ORIGINS and GREENOPS_TELEMETRY_SECRETS (each secret with the
 * origin it may go to) may be used. A local listener, answering as a Prometheus with no series, records
 * whether it was contacted and with what.
 */

const SECRET = "operator-secret-value";
const FILE_TOKEN = "file-token-value";
let listener: FakeApi;
let repo: TempRepo;
let dir: string;
let tokenFile: string;

const emptyVector = (path: string) => ({
  status: 200,
  body: JSON.stringify({
    status: "success",
    data: { resultType: path.endsWith("query_range") ? "matrix" : "vector", result: [] },
  }),
});

const settings = (prometheus: string, gridIntensity?: string) => `cloud: aws
region: us-east-1
currency: USD
telemetry:
  prometheus: ${prometheus}
${gridIntensity ? `  gridIntensity: ${gridIntensity}\n` : ""}`;

const api = (replicas: number) => `apiVersion: apps/v1
kind: Deployment
metadata: { name: api, namespace: shop }
spec:
  replicas: ${replicas}
  template: { spec: { containers: [{ name: api, resources: { requests: { cpu: 500m, memory: 512Mi } } }] } }
`;

beforeAll(async () => {
  listener = await fakeApi((_query, _headers, path) => emptyVector(path));
  dir = mkdtempSync(join(tmpdir(), "greenops-trust-"));
  tokenFile = join(dir, "token");
  writeFileSync(tokenFile, `${FILE_TOKEN}\n`);
  repo = tempRepo();
  repo.write("environments/prod/shop/api.yaml", api(2));
  repo.write("environments/prod/greenops.yml", settings("{ url: http://127.0.0.1:1 }"));
  repo.commit("base");
  // the pull request: api scaled out (and the settings each case writes)
  repo.write("environments/prod/shop/api.yaml", api(3));
});
afterAll(async () => {
  repo.dispose();
  rmSync(dir, { recursive: true });
  await listener.close();
});
beforeEach(() => {
  listener.requests.length = 0;
});

/**
 * Makes the CLI's process record the URL of every HTTP(S) request it starts (Node's
 * http.client.request.start channel, before any name is resolved): what left it, whoever sent it.
 */
function recordingRequests(): Record<string, string> {
  const recorder = join(dir, "record-requests.mjs");
  writeFileSync(
    recorder,
    `import { subscribe } from "node:diagnostics_channel";
import { appendFileSync } from "node:fs";
subscribe("http.client.request.start", ({ request }) =>
  appendFileSync(${JSON.stringify(sentFile())}, \`\${request.protocol}//\${request.getHeader("host")}\${request.path}\\n\`),
);
`,
  );
  rmSync(sentFile(), { force: true });
  return { NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ""} --import ${pathToFileURL(recorder)}`.trim() };
}

const sentFile = () => join(dir, "requests-sent");
const requestsSent = () => readFileSync(sentFile(), "utf8").split("\n").filter(Boolean);

const NOT_LISTED = "which only whoever runs GreenOps sets";
const FALLBACK = "modelled defaults were used (CCF's 50% CPU, requests as written)";

type Case = {
  name: string;
  /** The `prometheus:` settings in environments/prod/greenops.yml; URL is the listener's. */
  prometheus: string;
  /** The operator's environment, beside SECRET_ENV=SECRET. */
  operator: () => Record<string, string>;
  error: () => string;
};

const REFUSED: Case[] = [
  {
    name: "no GREENOPS_TELEMETRY_ORIGINS: a repository's URL is never contacted",
    prometheus: "{ url: URL }",
    operator: () => ({}),
    error: () =>
      `not contacted: telemetry.prometheus.url in environments/prod/greenops.yml points to ${listener.url}, an origin neither among GREENOPS_TELEMETRY_ORIGINS (unset) nor paired with a secret in GREENOPS_TELEMETRY_SECRETS (unset), ${NOT_LISTED}`,
  },
  {
    name: "another origin listed (another port of the same host)",
    prometheus: "{ url: URL/prefix }",
    operator: () => allowing(["http://127.0.0.1:1", "https://prometheus.example"]),
    error: () =>
      `not contacted: telemetry.prometheus.url in environments/prod/greenops.yml points to ${listener.url}, an origin neither among GREENOPS_TELEMETRY_ORIGINS nor paired with a secret in GREENOPS_TELEMETRY_SECRETS (unset), ${NOT_LISTED}`,
  },
  {
    name: "the origin allowed, an environment variable not listed",
    prometheus: "{ url: URL, auth: { bearerTokenEnv: SECRET_ENV } }",
    operator: () => allowing([listener.url]),
    error: () =>
      `not contacted: telemetry.prometheus.auth.bearerTokenEnv (SECRET_ENV) in environments/prod/greenops.yml is not paired with ${listener.url} in GREENOPS_TELEMETRY_SECRETS (unset), ${NOT_LISTED}`,
  },
  {
    name: "the origin allowed, a file not listed (another one is)",
    prometheus: "{ url: URL, auth: { bearerTokenFile: /etc/passwd } }",
    operator: () => allowing([listener.url], pairedWith(listener.url, tokenFile)),
    error: () =>
      `not contacted: telemetry.prometheus.auth.bearerTokenFile (/etc/passwd) in environments/prod/greenops.yml is not paired with ${listener.url} in GREENOPS_TELEMETRY_SECRETS, ${NOT_LISTED}`,
  },
  {
    name: "the origin allowed, its file listed for another origin",
    prometheus: "{ url: URL, auth: { bearerTokenFile: TOKEN_FILE } }",
    operator: () => allowing([listener.url], pairedWith("https://prometheus.example", tokenFile)),
    error: () =>
      `not contacted: telemetry.prometheus.auth.bearerTokenFile (${tokenFile}, paired with https://prometheus.example only) in environments/prod/greenops.yml is not paired with ${listener.url} in GREENOPS_TELEMETRY_SECRETS, ${NOT_LISTED}`,
  },
  {
    name: "a listed path named as an environment variable, and a header's and TLS files not listed",
    prometheus: `{ url: URL, auth: { passwordEnv: TOKEN_FILE, username: u }, headers: { X-Scope-OrgID: { env: SECRET_ENV } }, tls: { keyFile: TOKEN_FILE } }`,
    operator: () => allowing([listener.url], pairedWith(listener.url, tokenFile)),
    error: () =>
      `not contacted: telemetry.prometheus.auth.passwordEnv (${tokenFile}), telemetry.prometheus.headers.X-Scope-OrgID.env (SECRET_ENV) in environments/prod/greenops.yml are not paired with ${listener.url} in GREENOPS_TELEMETRY_SECRETS, ${NOT_LISTED}`,
  },
  {
    name: "both: the origin and a variable",
    prometheus: "{ url: URL, auth: { bearerTokenEnv: SECRET_ENV } }",
    operator: () => allowing(["http://127.0.0.1:1"], pairedWith("http://127.0.0.1:1", "OTHER")),
    error: () =>
      `not contacted: telemetry.prometheus.url in environments/prod/greenops.yml points to ${listener.url}, an origin neither among GREENOPS_TELEMETRY_ORIGINS nor paired with a secret in GREENOPS_TELEMETRY_SECRETS, ${NOT_LISTED}; telemetry.prometheus.auth.bearerTokenEnv (SECRET_ENV) in environments/prod/greenops.yml is not paired with ${listener.url} in GREENOPS_TELEMETRY_SECRETS, ${NOT_LISTED}`,
  },
  {
    name: "an entry of GREENOPS_TELEMETRY_ORIGINS that is not an origin: shown without its credentials",
    prometheus: "{ url: URL }",
    operator: () => ({ GREENOPS_TELEMETRY_ORIGINS: `http://user:${SECRET}@127.0.0.1:99999 ${listener.url}` }),
    error: () =>
      `not contacted: GREENOPS_TELEMETRY_ORIGINS: "http://***@127.0.0.1:99999" is not an origin (http or https://host[:port], no credentials, no path)`,
  },
  {
    name: "an entry of GREENOPS_TELEMETRY_SECRETS without ORIGIN= (as before pairs): not repeated",
    prometheus: "{ url: URL, auth: { bearerTokenEnv: SECRET_ENV } }",
    operator: () => allowing([listener.url], [...pairedWith(listener.url, "SECRET_ENV"), SECRET]),
    error: () =>
      "not contacted: GREENOPS_TELEMETRY_SECRETS: its entry 2 names no origin: write ORIGIN=SECRET, first the origin the secret may be sent to (https://prometheus.example:9090=PROMETHEUS_TOKEN)",
  },
  {
    name: "an entry of GREENOPS_TELEMETRY_SECRETS whose secret is neither a name nor an absolute path: not repeated",
    prometheus: "{ url: URL, auth: { bearerTokenEnv: SECRET_ENV } }",
    operator: () => allowing([listener.url], pairedWith(listener.url, "SECRET_ENV", `${SECRET}.pasted`)),
    error: () =>
      "not contacted: GREENOPS_TELEMETRY_SECRETS: its entry 2 names neither an environment variable nor an absolute file path after its =",
  },
];

/** Writes the case's settings (URL and TOKEN_FILE filled in) as the pull request's head. */
function writeSettings(...sources: [prometheus: string, gridIntensity?: string]): void {
  const [prometheus, gridIntensity] = sources.map((text) =>
    text?.replaceAll("URL", listener.url).replaceAll("TOKEN_FILE", tokenFile),
  );
  repo.write("environments/prod/greenops.yml", settings(prometheus ?? "", gridIntensity));
}

describe("telemetry settings from a repository file", () => {
  it.each(REFUSED)("$name", async ({ prometheus, operator, error }) => {
    writeSettings(prometheus);
    const env = { SECRET_ENV: SECRET, ...operator() };
    const report = await jsonWithEnv(repo.root, env, "review");
    expect(listener.requests).toEqual([]);
    expect(report.telemetry.sources).toEqual([
      {
        source: "prometheus",
        environment: "prod",
        url: expect.any(String),
        status: "not-allowed",
        error: error(),
        requests: 0,
        milliseconds: expect.any(Number),
        note: FALLBACK,
      },
    ]);
    const markdown = await greenopsWithEnv(repo.root, env, "review");
    expect(markdown.status).toBe(0);
    expect(markdown.stdout).toContain(
      `| prometheus | prod | ${report.telemetry.sources[0].url} | 🚫 not allowed | ${error()}: ${FALLBACK} |`,
    );
    expect(markdown.stdout + markdown.stderr + JSON.stringify(report)).not.toContain(SECRET);
    expect(listener.requests).toEqual([]);
  });

  it.each([
    ["the origin and every variable and file listed", true],
    ["every variable and file paired with the origin, which is not listed besides", false],
  ])("%s: contacted as before, with them", async (_, listed) => {
    writeSettings(
      "{ url: URL/prefix, auth: { bearerTokenFile: TOKEN_FILE }, headers: { X-Scope-OrgID: { env: SECRET_ENV }, X-Team: { value: shop } } }",
    );
    const secrets = pairedWith(`${listener.url}/`, tokenFile, "SECRET_ENV");
    const env = { SECRET_ENV: SECRET, ...allowing(listed ? [`${listener.url}/`] : [], secrets) };
    const report = await jsonWithEnv(repo.root, env, "review");
    expect(report.telemetry.sources).toMatchObject([
      { source: "kepler", status: "empty" },
      { source: "prometheus", status: "empty", error: null, requests: 5 },
    ]);
    expect(listener.requests).toHaveLength(6);
    for (const request of listener.requests) {
      expect(request.path).toMatch(/^\/prefix\/api\/v1\/query(_range)?$/);
      expect(request.headers).toMatchObject({
        authorization: `Bearer ${FILE_TOKEN}`,
        "x-scope-orgid": SECRET,
        "x-team": "shop",
      });
    }
  });

  const capitals = (url: string) => url.toUpperCase();
  const asIs = (url: string) => url;
  it.each([
    ["the file writes the URL in capitals (HTTP://127.0.0.1:…)", capitals, asIs],
    ["the operator writes the origin in capitals", asIs, capitals],
  ])("%s: the same origin, contacted with the secret paired with it", async (_, inFile, byOperator) => {
    writeSettings(`{ url: ${inFile(listener.url)}/prefix, auth: { bearerTokenFile: TOKEN_FILE } }`);
    const origin = byOperator(listener.url);
    const report = await jsonWithEnv(repo.root, allowing([origin], pairedWith(origin, tokenFile)), "review");
    expect(report.telemetry.sources).toMatchObject([
      { source: "kepler", url: `${listener.url}/prefix`, status: "empty" },
      { source: "prometheus", url: `${listener.url}/prefix`, status: "empty", error: null, requests: 5 },
    ]);
    expect(listener.requests.map((r) => [r.path.replace(/_range$/, ""), r.headers.authorization])).toEqual(
      Array(6).fill(["/prefix/api/v1/query", `Bearer ${FILE_TOKEN}`]),
    );
  });

  it("the report shows the URL as requests use it: the origin as the URL parser writes it, the path, no query or fragment", async () => {
    writeSettings(`{ url: "${capitals(listener.url)}/prefix/?team=shop#top" }`);
    const env = allowing([listener.url]);
    const report = await jsonWithEnv(repo.root, env, "review");
    const contacted = `${listener.url}/prefix`;
    expect(report.telemetry.sources).toMatchObject([
      { source: "kepler", url: contacted, status: "empty" },
      { source: "prometheus", url: contacted, status: "empty", requests: 5 },
    ]);
    expect(
      new Set(listener.requests.map((r) => `${r.path.replace(/_range$/, "")}?${r.query.get("team")}`)),
    ).toEqual(new Set(["/prefix/api/v1/query?null"]));
    const markdown = (await greenopsWithEnv(repo.root, env, "review")).stdout;
    expect(markdown).toContain(`| prometheus | prod | ${contacted} | ⚪ no data |`);
    expect(markdown).not.toContain("team=shop");
  });

  it("the file writes in capitals an origin not listed: not contacted, named as the URL parser writes it", async () => {
    writeSettings(`{ url: ${capitals(listener.url)}, auth: { bearerTokenFile: TOKEN_FILE } }`);
    const env = allowing(["http://127.0.0.1:1"], pairedWith("http://127.0.0.1:1", tokenFile));
    const report = await jsonWithEnv(repo.root, env, "review");
    expect(listener.requests).toEqual([]);
    expect(report.telemetry.sources).toMatchObject([
      {
        source: "prometheus",
        status: "not-allowed",
        error: `not contacted: telemetry.prometheus.url in environments/prod/greenops.yml points to ${listener.url}, an origin neither among GREENOPS_TELEMETRY_ORIGINS nor paired with a secret in GREENOPS_TELEMETRY_SECRETS, ${NOT_LISTED}; telemetry.prometheus.auth.bearerTokenFile (${tokenFile}, paired with http://127.0.0.1:1 only) in environments/prod/greenops.yml is not paired with ${listener.url} in GREENOPS_TELEMETRY_SECRETS, ${NOT_LISTED}`,
        requests: 0,
      },
    ]);
  });

  it("a grid provider's built-in address is not sent the token paired with Prometheus: no request leaves", async () => {
    writeSettings(
      "{ url: URL, auth: { bearerTokenFile: TOKEN_FILE } }",
      "{ provider: electricity-maps, zone: DE, auth: { bearerTokenFile: TOKEN_FILE } }",
    );
    const env = { ...allowing([listener.url], pairedWith(listener.url, tokenFile)), ...recordingRequests() };
    const report = await jsonWithEnv(repo.root, env, "review");
    expect(report.telemetry.sources).toMatchObject([
      {
        source: "grid-intensity",
        url: "https://api.electricitymaps.com",
        status: "not-allowed",
        error: `not contacted: telemetry.gridIntensity.auth.bearerTokenFile (${tokenFile}, paired with ${listener.url} only) in environments/prod/greenops.yml is not paired with https://api.electricitymaps.com in GREENOPS_TELEMETRY_SECRETS, ${NOT_LISTED}`,
        requests: 0,
      },
      { source: "kepler", status: "empty", requests: 1 },
      { source: "prometheus", status: "empty", requests: 5 },
    ]);
    expect(listener.requests.map((r) => r.headers.authorization)).toEqual(
      Array(6).fill(`Bearer ${FILE_TOKEN}`),
    );
    const sent = requestsSent();
    expect(sent).toHaveLength(6);
    for (const url of sent) expect(url.startsWith(`${listener.url}/`), url).toBe(true);
  });

  it("the operator's --prometheus replaces the repository's source: no list needed", async () => {
    writeSettings("{ url: http://10.0.0.1:9090, auth: { bearerTokenEnv: SECRET_ENV } }");
    const env = { SECRET_ENV: SECRET, GREENOPS_PROMETHEUS_BEARER_TOKEN: "flag-token" };
    const report = await jsonWithEnv(repo.root, env, "review", "--prometheus", listener.url);
    expect(report.telemetry.sources).toMatchObject([
      { source: "kepler", status: "empty" },
      { source: "prometheus", url: listener.url, status: "empty", requests: 5 },
    ]);
    expect(listener.requests.map((r) => r.headers.authorization)).toEqual(Array(6).fill("Bearer flag-token"));
  });

  it("a url the URL parser refuses (port 99999): a settings error at its line, no source tried", async () => {
    writeSettings("{ url: http://127.0.0.1:99999 }");
    const run = await greenopsWithEnv(repo.root, allowing([listener.url]), "review", "--format", "json");
    expect(run.status).toBe(1);
    const report = JSON.parse(run.stdout);
    expect(report.findings.filter((f: { policy: string }) => f.policy === "configuration")).toMatchObject([
      {
        severity: "error",
        file: "environments/prod/greenops.yml",
        line: 5,
        message:
          '"telemetry.prometheus.url" must be a URL whose host and port can be read (a port is at most 65535); got "http://127.0.0.1:99999"',
      },
    ]);
    expect(report.telemetry).toBeNull();
  });

  it("an estimate reads the same settings through the same check", async () => {
    writeSettings("{ url: URL }");
    const report = await jsonWithEnv(repo.root, {}, "estimate");
    expect(report.telemetry.sources).toMatchObject([{ status: "not-allowed", requests: 0 }]);
    expect(listener.requests).toEqual([]);
  });
});
