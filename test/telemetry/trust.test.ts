import { describe, expect, it } from "vitest";
import { gridProvider } from "../../app/telemetry/grid-intensity.ts";
import { TelemetryError } from "../../app/telemetry/http.ts";
import { notAllowed, OPERATOR, type SettingsAuthor } from "../../app/telemetry/trust.ts";
import { allowing } from "./helpers.ts";

/** What a repository's telemetry settings may use, as the operator's GREENOPS_TELEMETRY_* lists say. */

const REPOSITORY: SettingsAuthor = {
  by: "repository",
  file: "environments/prod/greenops.yml",
  setting: "telemetry.opencost",
};
const OPENCOST = "http://opencost.opencost:9003";

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
      "http and https are two origins",
      [{ url: "https://opencost.opencost:9003" }, REPOSITORY, allowing([OPENCOST])],
      /^not contacted: telemetry\.opencost\.url in environments\/prod\/greenops\.yml points to https:\/\/opencost\.opencost:9003, an origin not among/,
    ],
    [
      "a path is not an origin",
      [{ url: OPENCOST }, REPOSITORY, allowing([`${OPENCOST}/api`])],
      /GREENOPS_TELEMETRY_ORIGINS: "http:\/\/opencost\.opencost:9003\/api" is not an origin/,
    ],
    [
      "a relative file, even listed",
      [{ url: OPENCOST, tls: { caFile: "ca.pem" } }, REPOSITORY, allowing([OPENCOST], ["ca.pem"])],
      /its entry 1 is neither/,
    ],
    [
      "a path with .. is not the path listed",
      [
        { url: OPENCOST, tls: { caFile: "/run/secrets/../ca.pem" } },
        REPOSITORY,
        allowing([OPENCOST], ["/ca.pem"]),
      ],
      /tls\.caFile \(\/run\/secrets\/\.\.\/ca\.pem\)/,
    ],
    [
      "a built-in URL needs no origin, its token a listing",
      [
        { url: "https://api.electricitymaps.com", auth: { bearerTokenEnv: "EM_TOKEN" } },
        { ...REPOSITORY, setting: "telemetry.gridIntensity", builtInUrl: true },
        {},
      ],
      /^not contacted: telemetry\.gridIntensity\.auth\.bearerTokenEnv \(EM_TOKEN\) in environments\/prod\/greenops\.yml is not among GREENOPS_TELEMETRY_SECRETS \(unset\)/,
    ],
  ])("%s", (_name, args, reason) => {
    const refused = notAllowed(...args);
    if (reason) expect(refused).toMatch(reason);
    else expect(refused).toBeUndefined();
  });
});

describe("grid-intensity providers", () => {
  const author = { ...REPOSITORY, setting: "telemetry.gridIntensity" };
  const nothingRead = { env: {}, readFile: () => expect.unreachable("no file is read") };

  it("a provider's built-in address is GreenOps' own: no origin to allow", () => {
    const provider = gridProvider({ provider: "uk-carbon-intensity" }, author, nothingRead);
    expect(provider.url).toBe("https://api.carbonintensity.org.uk");
  });

  it.each<[string, Parameters<typeof gridProvider>[0], RegExp]>([
    [
      "a url from the file",
      { provider: "uk-carbon-intensity", url: "http://10.0.0.1" },
      /telemetry\.gridIntensity\.url in .* points to http:\/\/10\.0\.0\.1, an origin not among/,
    ],
    [
      "the built-in address with a token file not listed",
      { provider: "electricity-maps", zone: "DE", auth: { bearerTokenFile: "/etc/shadow" } },
      /telemetry\.gridIntensity\.auth\.bearerTokenFile \(\/etc\/shadow\)/,
    ],
  ])("refuses %s, reading nothing", (_name, settings, reason) => {
    expect(() => gridProvider(settings, author, nothingRead)).toThrow(reason);
    expect(() => gridProvider(settings, author, nothingRead)).toThrow(TelemetryError);
  });
});
