import { describe, expect, it } from "vitest";
import type { SecretRoute } from "../../app/config/operator-url.ts";
import {
  aiRoutes,
  githubTokenRoutes,
  pairedRoutes,
  serviceRoutes,
  telemetryRoutes,
} from "../../app/config/secret-routes.ts";

type Env = Record<string, string>;

const AI = { GREENOPS_AI_MODEL: "llama3.2", OPENAI_BASE_URL: "http://ollama.internal:11434/v1" };
const aiRoute = (secrets: string[]): SecretRoute[] => [
  { setting: "OPENAI_BASE_URL", url: AI.OPENAI_BASE_URL, secrets },
];

const AI_CASES: [string, Env, SecretRoute[]][] = [
  ["a key", { ...AI, OPENAI_API_KEY: "sk-test" }, aiRoute(["OPENAI_API_KEY"])],
  [
    "a key and headers",
    { ...AI, OPENAI_API_KEY: "sk-test", GREENOPS_AI_HEADERS: '{"api-key":"k"}' },
    aiRoute(["OPENAI_API_KEY", "GREENOPS_AI_HEADERS"]),
  ],
  ["no key (Ollama)", AI, aiRoute([])],
  ["a blank key and empty headers", { ...AI, OPENAI_API_KEY: "  ", GREENOPS_AI_HEADERS: "{}" }, aiRoute([])],
  ["the client's default endpoint", { GREENOPS_AI_MODEL: "gpt-4o-mini", OPENAI_API_KEY: "sk-test" }, []],
  ["no model: the advisor is off", { OPENAI_BASE_URL: AI.OPENAI_BASE_URL, OPENAI_API_KEY: "sk-test" }, []],
  ["settings the advisor refuses", { ...AI, OPENAI_API_KEY: "sk-test", GREENOPS_AI_API: "soap" }, []],
];

const PROM = "http://prometheus.monitoring:9090";
const TELEMETRY_CASES: [string, Env, SecretRoute[]][] = [
  [
    "a bearer token",
    {
      GREENOPS_PROMETHEUS_BEARER_TOKEN: "t",
      GREENOPS_PROMETHEUS_USERNAME: "u",
      GREENOPS_PROMETHEUS_PASSWORD: "p",
    },
    [{ setting: "--prometheus", url: PROM, secrets: ["GREENOPS_PROMETHEUS_BEARER_TOKEN"] }],
  ],
  [
    "basic auth",
    { GREENOPS_PROMETHEUS_USERNAME: "u", GREENOPS_PROMETHEUS_PASSWORD: "p" },
    [{ setting: "--prometheus", url: PROM, secrets: ["GREENOPS_PROMETHEUS_PASSWORD"] }],
  ],
  [
    "a username without its password (refused before anything is sent)",
    { GREENOPS_PROMETHEUS_USERNAME: "u" },
    [{ setting: "--prometheus", url: PROM, secrets: [] }],
  ],
  ["no credentials", {}, [{ setting: "--prometheus", url: PROM, secrets: [] }]],
  [
    "OpenCost's own, not Prometheus'",
    { GREENOPS_OPENCOST_BEARER_TOKEN: "t" },
    [{ setting: "--prometheus", url: PROM, secrets: [] }],
  ],
];

/** A file that can be read (this test's own), and one that does not exist. */
const READABLE = new URL(import.meta.url).pathname;
const MISSING = "/run/secrets/greenops-missing-token";

const PAIRED_CASES: [string, string, Env, SecretRoute[]][] = [
  [
    "one origin's variables (set ones only) and files (readable ones only), grouped",
    `http://prometheus.monitoring:9090=PROM_TOKEN, http://prometheus.monitoring:9090=${READABLE} http://prometheus.monitoring:9090=${MISSING} https://api.electricitymaps.com=EM_TOKEN http://prometheus.monitoring:9090=UNSET HTTP://Prometheus.Monitoring:9090=PROM_TOKEN`,
    { PROM_TOKEN: "t", EM_TOKEN: "e" },
    [
      {
        setting: "GREENOPS_TELEMETRY_SECRETS",
        url: "http://prometheus.monitoring:9090",
        secrets: ["PROM_TOKEN", READABLE],
      },
      {
        setting: "GREENOPS_TELEMETRY_SECRETS",
        url: "https://api.electricitymaps.com",
        secrets: ["EM_TOKEN"],
      },
    ],
  ],
  ["an entry that is not a pair: all are refused where read", "http://p:9090=T nonsense", { T: "t" }, []],
  ["unset", "", {}, []],
];

describe("the secrets of the operator's environment and where they go", () => {
  it.each(AI_CASES)("the AI advisor's: %s", (_case, env, routes) => {
    expect(aiRoutes(env)).toEqual(routes);
  });

  it.each(TELEMETRY_CASES)("--prometheus: %s", (_case, env, routes) => {
    expect(telemetryRoutes({ prometheus: PROM }, (source) => `--${source}`, env)).toEqual(routes);
  });

  it.each(PAIRED_CASES)("GREENOPS_TELEMETRY_SECRETS: %s", (_case, pairs, env, routes) => {
    expect(pairedRoutes({ ...env, GREENOPS_TELEMETRY_SECRETS: pairs })).toEqual(routes);
  });

  it("the workflow's token, to GITHUB_API_URL when set", () => {
    const env = { GITHUB_API_URL: "http://ghes.internal/api/v3", INPUT_GITHUB_TOKEN: "g" };
    expect(githubTokenRoutes(env, "INPUT_GITHUB_TOKEN")).toEqual([
      { setting: "GITHUB_API_URL", url: "http://ghes.internal/api/v3", secrets: ["INPUT_GITHUB_TOKEN"] },
    ]);
    expect(githubTokenRoutes(env, "GITHUB_TOKEN")[0]?.secrets).toEqual([]);
    expect(githubTokenRoutes({ GITHUB_TOKEN: "g" }, "GITHUB_TOKEN")).toEqual([]);
  });

  it("the service's: the App's tokens to GitHub Enterprise Server, REDIS_URL's own credentials", () => {
    const env = { GHE_HOST: "ghes.internal:8080", GHE_PROTOCOL: "http", REDIS_URL: "redis://:pw@redis:6379" };
    expect(serviceRoutes(env)).toEqual([
      { setting: "GHE_HOST", url: "http://ghes.internal:8080", secrets: ["the App's tokens"] },
      { setting: "REDIS_URL", url: "redis://:pw@redis:6379", secrets: [] },
    ]);
    expect(serviceRoutes({ GHE_HOST: "ghes.internal" })[0]?.url).toBe("https://ghes.internal");
    expect(serviceRoutes({})).toEqual([]);
  });
});
