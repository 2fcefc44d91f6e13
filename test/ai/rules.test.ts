import { describe, expect, it } from "vitest";
import { EngineNumbers, numbersIn } from "../../app/ai/number-rule.ts";
import { providerFromEnv } from "../../app/ai/provider.ts";
import { aiSettings } from "../../app/ai/settings.ts";
import { summaryProblem } from "../../app/ai/summary.ts";
import { type RepositoryConfig, validateRepositoryConfig } from "../../app/config/repository-config.ts";

describe("the number rule", () => {
  it("reads figures, not the digits of names", () => {
    expect(
      numbersIn(
        "−$1,234.50 (+12.3%), 4.2 kgCO2e, 3 replicas; gp3 m5.large CO2 api-v2 `Deployment/a/b9` 750m",
      ),
    ).toEqual(["1234.5", "12.3", "4.2", "3", "750"]);
  });

  const numbers = new EngineNumbers();
  for (const text of [
    "+$52.34",
    "(+100.0%)",
    "1.64 kgCO2e",
    "4",
    "Deployment web runs 4 replicas, above the cap of 2",
  ])
    numbers.add(text);

  it.each([
    [
      "the engine's figures, signs and rounding as written",
      "It adds $52.34 (+100.0%) and 1.64 kgCO2e.",
      undefined,
    ],
    [
      "a saving the engine did not compute",
      "It could save $12.00.",
      "it cites 12, which the engine did not compute",
    ],
    ["a rounded figure", "It adds about $52.", "it cites 52, which the engine did not compute"],
    ["a link", "See [the docs](https://example.com) for 4 replicas.", "it contains a link or HTML"],
    ["HTML", "It adds <img src=x> cost.", "it contains a link or HTML"],
    ["a mention", "Ask @octocat about 2 replicas.", "it mentions a GitHub user"],
    ["six sentences", "One. Two. Three. Four. Five. Six.", "it has 6 sentences (at most 5)"],
  ])("%s", (_, text, problem) => {
    expect(summaryProblem(text, numbers)).toBe(problem);
  });
});

describe("who opts in", () => {
  const on = { ai: { enabled: true } };
  it.each<[string, RepositoryConfig[], boolean, string | undefined]>([
    ["--ai with no ai section", [{}], true, undefined],
    [
      "--ai where the repository says enabled: false",
      [{ ai: { enabled: false } }],
      true,
      "sets ai.enabled: false",
    ],
    ["the App where base and head opt in", [on, on], false, undefined],
    ["the App where only the pull request opts in", [{}, on], false, "has not opted in"],
    [
      "the App where the pull request turns it off",
      [on, { ai: { enabled: false } }],
      false,
      "sets ai.enabled: false",
    ],
  ])("%s", (_, configs, requested, refused) => {
    const settings = aiSettings(configs, requested);
    if (refused === undefined) expect(settings.refused).toBeUndefined();
    else expect(settings.refused).toContain(refused);
  });

  it("takes the stricter of every side: summary, proposals, redacted paths", () => {
    expect(
      aiSettings(
        [
          { ai: { enabled: true, redact: ["a.b"] } },
          { ai: { enabled: true, summary: false, redact: ["c"] } },
        ],
        false,
      ),
    ).toEqual({ summary: false, proposals: true, redact: ["a.b", "c"] });
  });

  it("lets no repository file name an endpoint, a model, a key or headers", () => {
    for (const key of ["baseURL", "model", "apiKey", "headers"])
      expect(validateRepositoryConfig({ ai: { enabled: true, [key]: "x" } })).toBe(false);
    expect(
      validateRepositoryConfig({ ai: { enabled: true, summary: false, proposals: true, redact: ["a.b"] } }),
    ).toBe(true);
  });
});

describe("the provider, from the operator's environment only", () => {
  it("reads the model, the endpoint, the key, headers, the API, the budget and the timeout", () => {
    expect(
      providerFromEnv({
        GREENOPS_AI_MODEL: "llama3.2",
        OPENAI_BASE_URL: "http://localhost:11434/v1",
        GREENOPS_AI_HEADERS: '{"x-gateway-team":"platform"}',
        GREENOPS_AI_API: "responses",
        GREENOPS_AI_TOKEN_BUDGET: "5000",
        GREENOPS_AI_TIMEOUT: "10",
        GREENOPS_AI_CACHE_DIR: "off",
      }),
    ).toEqual({
      baseURL: "http://localhost:11434/v1",
      apiKey: "unused",
      model: "llama3.2",
      headers: { "x-gateway-team": "platform" },
      api: "responses",
      tokenBudget: 5000,
      timeoutMs: 10_000,
      cacheDir: undefined,
    });
  });

  it.each([
    [{}, "no model is configured"],
    [{ GREENOPS_AI_MODEL: "m" }, "OPENAI_API_KEY is not set"],
    [{ GREENOPS_AI_MODEL: "m", OPENAI_BASE_URL: "http://u:p@host/v1" }, "must not carry credentials"],
    [{ GREENOPS_AI_MODEL: "m", OPENAI_BASE_URL: "file:///etc" }, "must be an http or https URL"],
    [
      { GREENOPS_AI_MODEL: "m", OPENAI_BASE_URL: "https://u:s3cret@gateway.example.com:99999/v1" },
      'is not a URL: "https://***@gateway.example.com:99999/v1"',
    ],
    [
      { GREENOPS_AI_MODEL: "m", OPENAI_API_KEY: "k", GREENOPS_AI_HEADERS: "[1]" },
      "GREENOPS_AI_HEADERS must be",
    ],
    [
      { GREENOPS_AI_MODEL: "m", OPENAI_API_KEY: "k", GREENOPS_AI_API: "completions" },
      "must be chat or responses",
    ],
  ])("refuses %j", (env, reason) => {
    expect(providerFromEnv(env)).toContain(reason);
  });

  it("keeps answers under XDG_CACHE_HOME by default", () => {
    const provider = providerFromEnv({
      GREENOPS_AI_MODEL: "m",
      OPENAI_API_KEY: "k",
      XDG_CACHE_HOME: "/var/cache/x",
    });
    expect(provider).toMatchObject({ cacheDir: "/var/cache/x/greenops/ai" });
  });
});
