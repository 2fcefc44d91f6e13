import { describe, expect, it } from "vitest";
import { gridProvider } from "../../app/telemetry/grid-intensity.ts";
import { TelemetryError } from "../../app/telemetry/http.ts";
import { notAllowed, OPERATOR, type SettingsAuthor } from "../../app/telemetry/trust.ts";
import { allowing, pairedWith } from "./helpers.ts";

/** What a repository's telemetry settings may use, as the operator's GREENOPS_TELEMETRY_* lists say. */

const REPOSITORY: SettingsAuthor = {
  by: "repository",
  file: "environments/prod/greenops.yml",
  setting: "telemetry.opencost",
};
const OPENCOST = "http://opencost.opencost:9003";
const PROMETHEUS = "https://prometheus.prod.example:9090";
const ELECTRICITY_MAPS = "https://api.electricitymaps.com";
const GRID: SettingsAuthor = { ...REPOSITORY, setting: "telemetry.gridIntensity", builtInUrl: true };

describe("notAllowed", () => {
  it.each<[string, Parameters<typeof notAllowed>, RegExp | undefined]>([
    [
      "the operator's own settings",
      [{ url: OPENCOST, auth: { bearerTokenFile: "/x" } }, OPERATOR, {}],
      undefined,
    ],
    [
      "an allowed origin, literal headers",
      [{ url: `${OPENCOST}/`, headers: { "X-Team": { value: "a" } } }, REPOSITORY, allowing([OPENCOST])],
      undefined,
    ],
    [
      "the default port written or not",
      [{ url: "https://opencost.example:443" }, REPOSITORY, allowing(["https://opencost.example"])],
      undefined,
    ],
    [
      "a host in other case",
      [{ url: "http://OpenCost.OpenCost:9003/x" }, REPOSITORY, allowing([OPENCOST])],
      undefined,
    ],
    [
      "the scheme and host in capitals in the file, listed in lower case",
      [{ url: "HTTP://OPENCOST.OPENCOST:9003/x" }, REPOSITORY, allowing([OPENCOST])],
      undefined,
    ],
    [
      "the origin in capitals in the operator's list",
      [{ url: `${OPENCOST}/x` }, REPOSITORY, allowing(["HTTP://OpenCost.OpenCost:9003"])],
      undefined,
    ],
    [
      "a secret paired with the origin written in another case, either side",
      [
        { url: "HTTPS://Prometheus.Prod.Example:9090", auth: { bearerTokenEnv: "PROM" } },
        REPOSITORY,
        allowing([], ["Https://PROMETHEUS.prod.example:9090=PROM"]),
      ],
      undefined,
    ],
    [
      "an origin in capitals not listed: refused, named as the URL parser writes it",
      [
        { url: "HTTPS://Prometheus.Attacker.Example:9090", auth: { bearerTokenEnv: "PROM" } },
        REPOSITORY,
        allowing([PROMETHEUS], pairedWith(PROMETHEUS, "PROM")),
      ],
      /^not contacted: telemetry\.opencost\.url in environments\/prod\/greenops\.yml points to https:\/\/prometheus\.attacker\.example:9090, an origin neither among GREENOPS_TELEMETRY_ORIGINS nor paired .*; telemetry\.opencost\.auth\.bearerTokenEnv \(PROM, paired with https:\/\/prometheus\.prod\.example:9090 only\) in environments\/prod\/greenops\.yml is not paired with https:\/\/prometheus\.attacker\.example:9090 in/,
    ],
    [
      "HTTPS in capitals is still not http",
      [{ url: "HTTPS://opencost.opencost:9003" }, REPOSITORY, allowing([OPENCOST])],
      /points to https:\/\/opencost\.opencost:9003, an origin neither among/,
    ],
    [
      "an origin paired with a secret, not listed among the origins: the secret named",
      [
        { url: PROMETHEUS, auth: { bearerTokenEnv: "PROM" } },
        REPOSITORY,
        allowing([], pairedWith(PROMETHEUS, "PROM")),
      ],
      undefined,
    ],
    [
      "an origin paired with a secret, not listed among the origins: no secret named",
      [{ url: `${PROMETHEUS}/x` }, REPOSITORY, allowing([], pairedWith(PROMETHEUS, "PROM"))],
      undefined,
    ],
    [
      "another origin's pair allows neither the origin nor the secret",
      [
        { url: OPENCOST, auth: { bearerTokenEnv: "PROM" } },
        REPOSITORY,
        allowing([], pairedWith(PROMETHEUS, "PROM")),
      ],
      /^not contacted: telemetry\.opencost\.url .* an origin neither among GREENOPS_TELEMETRY_ORIGINS \(unset\) nor paired with a secret in GREENOPS_TELEMETRY_SECRETS, .*; telemetry\.opencost\.auth\.bearerTokenEnv \(PROM, paired with https:\/\/prometheus\.prod\.example:9090 only\)/,
    ],
    [
      "http and https are two origins",
      [{ url: "https://opencost.opencost:9003" }, REPOSITORY, allowing([OPENCOST])],
      /^not contacted: telemetry\.opencost\.url in environments\/prod\/greenops\.yml points to https:\/\/opencost\.opencost:9003, an origin neither among/,
    ],
    [
      "a path is not an origin",
      [{ url: OPENCOST }, REPOSITORY, allowing([`${OPENCOST}/api`])],
      /GREENOPS_TELEMETRY_ORIGINS: "http:\/\/opencost\.opencost:9003\/api" is not an origin/,
    ],
    [
      "a relative file, even listed",
      [
        { url: OPENCOST, tls: { caFile: "ca.pem" } },
        REPOSITORY,
        allowing([OPENCOST], pairedWith(OPENCOST, "ca.pem")),
      ],
      /GREENOPS_TELEMETRY_SECRETS: its entry 1 names neither an environment variable nor an absolute file path after its =$/,
    ],
    [
      "a path with .. is not the path listed",
      [
        { url: OPENCOST, tls: { caFile: "/run/secrets/../ca.pem" } },
        REPOSITORY,
        allowing([OPENCOST], pairedWith(OPENCOST, "/ca.pem")),
      ],
      /tls\.caFile \(\/run\/secrets\/\.\.\/ca\.pem\)/,
    ],
    [
      "secrets paired with their source's origin (written with a slash, or not)",
      [
        { url: `${OPENCOST}/prefix`, auth: { bearerTokenEnv: "OPENCOST_TOKEN" }, tls: { caFile: "/ca.pem" } },
        REPOSITORY,
        allowing([OPENCOST], ["http://opencost.opencost:9003/=OPENCOST_TOKEN", `${OPENCOST}=/ca.pem`]),
      ],
      undefined,
    ],
    [
      "a secret paired with another origin, both origins allowed",
      [
        { url: OPENCOST, auth: { bearerTokenFile: "/run/secrets/prometheus-token" } },
        REPOSITORY,
        allowing([OPENCOST, PROMETHEUS], pairedWith(PROMETHEUS, "/run/secrets/prometheus-token")),
      ],
      /^not contacted: telemetry\.opencost\.auth\.bearerTokenFile \(\/run\/secrets\/prometheus-token, paired with https:\/\/prometheus\.prod\.example:9090 only\) in environments\/prod\/greenops\.yml is not paired with http:\/\/opencost\.opencost:9003 in GREENOPS_TELEMETRY_SECRETS, which only whoever runs GreenOps sets$/,
    ],
    [
      "a variable of the same name as a listed file's is not that file",
      [
        { url: OPENCOST, auth: { bearerTokenEnv: "TOKEN" } },
        REPOSITORY,
        allowing([OPENCOST], [`${OPENCOST}=/TOKEN`]),
      ],
      /auth\.bearerTokenEnv \(TOKEN\) in .* is not paired with/,
    ],
    [
      "a built-in URL needs no origin, its token a pairing",
      [{ url: ELECTRICITY_MAPS, auth: { bearerTokenEnv: "EM_TOKEN" } }, GRID, {}],
      /^not contacted: telemetry\.gridIntensity\.auth\.bearerTokenEnv \(EM_TOKEN\) in environments\/prod\/greenops\.yml is not paired with https:\/\/api\.electricitymaps\.com in GREENOPS_TELEMETRY_SECRETS \(unset\)/,
    ],
    [
      "a built-in URL and the operator's Prometheus token: not sent to a third party",
      [
        { url: ELECTRICITY_MAPS, auth: { bearerTokenFile: "/run/secrets/prometheus-token" } },
        GRID,
        allowing([PROMETHEUS], pairedWith(PROMETHEUS, "/run/secrets/prometheus-token")),
      ],
      /^not contacted: telemetry\.gridIntensity\.auth\.bearerTokenFile \(\/run\/secrets\/prometheus-token, paired with https:\/\/prometheus\.prod\.example:9090 only\) in .* is not paired with https:\/\/api\.electricitymaps\.com in/,
    ],
    [
      "a built-in URL, its token paired with the provider's origin",
      [
        { url: ELECTRICITY_MAPS, auth: { bearerTokenEnv: "EM_TOKEN" } },
        GRID,
        allowing([], pairedWith(ELECTRICITY_MAPS, "EM_TOKEN")),
      ],
      undefined,
    ],
  ])("%s", (_name, args, reason) => {
    const refused = notAllowed(...args);
    if (reason) expect(refused).toMatch(reason);
    else expect(refused).toBeUndefined();
  });

  it.each([
    ["without ORIGIN=", "c2VjcmV0LXRva2Vu", /names no origin: write ORIGIN=SECRET, first the origin/],
    ["a pasted token with = in it", "c2VjcmV0LXRva2Vu==", /does not begin with an origin/],
    ["an origin with a path", `${OPENCOST}/c2VjcmV0=EM_TOKEN`, /does not begin with an origin/],
    ["a host without a scheme", "c2VjcmV0.example:9003=EM_TOKEN", /does not begin with an origin/],
    ["credentials in the origin", "https://u:c2VjcmV0@api.electricitymaps.com=EM_TOKEN", /does not begin/],
    [
      "a relative path",
      `${OPENCOST}=c2VjcmV0/token`,
      /names neither an environment variable nor an absolute/,
    ],
  ])("refuses a GREENOPS_TELEMETRY_SECRETS entry %s, not repeating it", (_name, entry, reason) => {
    const env = { GREENOPS_TELEMETRY_SECRETS: `${ELECTRICITY_MAPS}=EM_TOKEN, ${entry}` };
    const refused = notAllowed({ url: ELECTRICITY_MAPS, auth: { bearerTokenEnv: "EM_TOKEN" } }, GRID, env);
    expect(refused).toMatch(/^not contacted: GREENOPS_TELEMETRY_SECRETS: its entry 2 /);
    expect(refused).toMatch(reason);
    expect(refused).not.toContain("c2VjcmV0");
  });
});

describe("grid-intensity providers", () => {
  const author = { ...REPOSITORY, setting: "telemetry.gridIntensity" };
  const TOKEN_FILE = "/run/secrets/prometheus-token";
  /** The operator lets Prometheus settings send its token file; Electricity Maps' token is EM_TOKEN. */
  const operator = allowing(
    [PROMETHEUS],
    [...pairedWith(PROMETHEUS, TOKEN_FILE), `${ELECTRICITY_MAPS}=EM_TOKEN`],
  );
  const nothingRead = { env: operator, readFile: () => expect.unreachable("no file is read") };

  it("a provider's built-in address is GreenOps' own: no origin to allow", () => {
    const provider = gridProvider({ provider: "uk-carbon-intensity" }, author, nothingRead);
    expect(provider.url).toBe("https://api.carbonintensity.org.uk");
  });

  it("a token paired with the provider's built-in origin goes to that address", () => {
    const env = { ...operator, EM_TOKEN: "em-token" };
    const settings = {
      provider: "electricity-maps",
      zone: "DE",
      auth: { bearerTokenEnv: "EM_TOKEN" },
    } as const;
    const provider = gridProvider(settings, author, { ...nothingRead, env });
    expect(provider.url).toBe(ELECTRICITY_MAPS);
  });

  it.each<[string, Parameters<typeof gridProvider>[0], RegExp]>([
    [
      "a url from the file",
      { provider: "uk-carbon-intensity", url: "http://10.0.0.1" },
      /telemetry\.gridIntensity\.url in .* points to http:\/\/10\.0\.0\.1, an origin neither among/,
    ],
    [
      "the built-in address with a token file not listed",
      { provider: "electricity-maps", zone: "DE", auth: { bearerTokenFile: "/etc/shadow" } },
      /telemetry\.gridIntensity\.auth\.bearerTokenFile \(\/etc\/shadow\)/,
    ],
    [
      "the built-in address with the token file paired with the operator's Prometheus",
      { provider: "electricity-maps", zone: "DE", auth: { bearerTokenFile: TOKEN_FILE } },
      /bearerTokenFile \(\/run\/secrets\/prometheus-token, paired with https:\/\/prometheus\.prod\.example:9090 only\) in .* is not paired with https:\/\/api\.electricitymaps\.com/,
    ],
  ])("refuses %s, reading nothing", (_name, settings, reason) => {
    expect(() => gridProvider(settings, author, nothingRead)).toThrow(reason);
    expect(() => gridProvider(settings, author, nothingRead)).toThrow(TelemetryError);
  });
});
