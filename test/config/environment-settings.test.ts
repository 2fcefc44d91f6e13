import { describe, expect, it } from "vitest";
import {
  type EnvironmentSettings,
  validateEnvironmentSettings,
} from "../../app/config/environment-settings.ts";
import { checkOperatorUrl } from "../../app/config/operator-url.ts";
import { loadYamlConfig } from "../../app/config/yaml-config.ts";

const FILE = "environments/prod/greenops.yml";
const load = (text: string) => loadYamlConfig<EnvironmentSettings>(FILE, text, validateEnvironmentSettings);

describe("environment settings", () => {
  it("accepts a complete file", () => {
    const result = load(
      "cloud: aws\nregion: us-east-1\nnodeInstanceType: m5.xlarge\nnodeCount: 6\ncurrency: USD\n",
    );
    expect(result).toEqual({
      value: {
        cloud: "aws",
        region: "us-east-1",
        nodeInstanceType: "m5.xlarge",
        nodeCount: 6,
        currency: "USD",
      },
      diagnostics: [],
    });
  });

  const TELEMETRY = "cloud: aws\nregion: us-east-1\ncurrency: USD\ntelemetry:\n";
  it.each([
    [
      `${TELEMETRY}  prometheus:\n    url: http://prometheus:9090\n    timeout: 5\n`,
      7,
      'unknown key "timeout" in "telemetry.prometheus": did you mean "timeoutSeconds"?',
    ],
    [
      `${TELEMETRY}  window: two weeks\n`,
      5,
      '"telemetry.window" must be a duration: a whole number and one of s, m, h, d, w (90s, 10m, 14d); got "two weeks"',
    ],
    [
      `${TELEMETRY}  prometheus:\n    url: https://user:secret@prometheus:9090\n`,
      6,
      '"telemetry.prometheus.url" must be an http or https URL without credentials (user:password@); got "https://***@prometheus:9090"',
    ],
    [
      `${TELEMETRY}  gridIntensity: { provider: watttime }\n`,
      5,
      '"telemetry.gridIntensity.provider" must be one of the allowed values (allowed: electricity-maps, uk-carbon-intensity)',
    ],
  ])("locates a telemetry settings error: %j", (text, line, message) => {
    expect(load(text).diagnostics).toEqual([expect.objectContaining({ line, message })]);
  });

  /** A telemetry URL, and how the error shows it (credentials masked), or undefined when it is accepted. */
  const URLS: [url: string, shown: string | undefined][] = [
    ["https://prometheus.prod.example:9090", undefined],
    ["HTTPS://prometheus.prod.example:9090", undefined],
    ["Http://OpenCost.OpenCost:9003/", undefined],
    ["hTTp://thanos-query.monitoring.svc:10902/prefix/", undefined],
    ["https://mimir.prod.example?team=platform@example.com", undefined],
    ["https://victoria.prod.example#@top", undefined],
    ["https://grafana:c2VjcmV0@prometheus.prod.example", "https://***@prometheus.prod.example"],
    ["HTTPS://grafana@Prometheus.Prod.Example:9090/", "HTTPS://***@Prometheus.Prod.Example:9090/"],
    ["https://:c2VjcmV0@prometheus.prod.example", "https://***@prometheus.prod.example"],
    ["ftp://prometheus.prod.example", "ftp://prometheus.prod.example"],
    ["FTP://grafana:c2VjcmV0@prometheus.prod.example", "FTP://***@prometheus.prod.example"],
    ["httpx://prometheus.prod.example", "httpx://prometheus.prod.example"],
    ["prometheus.prod.example:9090", "prometheus.prod.example:9090"],
    ["grafana:c2VjcmV0@prometheus.prod.example", "***@prometheus.prod.example"],
  ];
  it.each(URLS)(
    "a telemetry URL %s, accepted as checkOperatorUrl accepts it (else shown as %j)",
    (url, shown) => {
      const result = load(`${TELEMETRY}  opencost: { url: ${JSON.stringify(url)} }\n`);
      expect("url" in checkOperatorUrl(url, { plainHttp: "anywhere" })).toBe(shown === undefined);
      if (shown === undefined) return expect(result.diagnostics).toEqual([]);
      expect(result.diagnostics).toEqual([
        {
          file: FILE,
          line: 5,
          column: 20,
          severity: "error",
          message: `"telemetry.opencost.url" must be an http or https URL without credentials (user:password@); got "${shown}"`,
        },
      ]);
      expect(result.diagnostics[0]?.message).not.toContain("c2VjcmV0");
    },
  );

  it.each([
    [
      "cloud: aws\nregion: us-east-1\ncurrency: USD\nnodeType: m5.large\n",
      4,
      'unknown key "nodeType" in the top level: did you mean "nodeInstanceType"?',
    ],
    [
      "cloud: aws\nregion: us-east-1\ncurency: USD\n",
      1,
      'the top level is missing the required key "currency"',
    ],
    [
      "cloud: aws\nregion: us-east-1\ncurency: USD\n",
      3,
      'unknown key "curency" in the top level: did you mean "currency"?',
    ],
    [
      "cloud: awz\nregion: us-east-1\ncurrency: USD\n",
      1,
      '"cloud" must be one of the allowed values: did you mean "aws"?',
    ],
    [
      "cloud: aws\nregion: us-east-1\ncurrency: EUR\n",
      3,
      '"currency" must be one of the allowed values (allowed: USD)',
    ],
    ["cloud: aws\nregion: us-east-1\ncurrency: USD\nnodeCount: two\n", 4, '"nodeCount" must be integer'],
    ["cloud: aws\nregion: us-east-1\ncurrency: USD\nnodeCount: 0\n", 4, '"nodeCount" must be >= 1'],
    [
      "cloud: aws\nregion: us-east-1\ncurrency: USD\nstorageClasses:\n  fast: 3\n",
      5,
      '"storageClasses.fast" must be string',
    ],
    ["cloud: aws\nregion: [us-east-1\n", 3, "invalid YAML"],
    ["cloud: aws\n---\nregion: x\n", 1, "exactly one YAML document"],
  ])("reports %j at line %i", (text, line, message) => {
    const result = load(text);
    expect(result.value).toBeUndefined();
    expect(result.diagnostics).toContainEqual(
      expect.objectContaining({
        file: FILE,
        line,
        severity: "error",
        message: expect.stringContaining(message),
      }),
    );
  });
});
