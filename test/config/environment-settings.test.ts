import { describe, expect, it } from "vitest";
import {
  type EnvironmentSettings,
  validateEnvironmentSettings,
} from "../../app/config/environment-settings.ts";
import { checkOperatorUrl } from "../../app/config/operator-url.ts";
import { checkTelemetryUrls } from "../../app/config/telemetry-settings.ts";
import { loadYamlConfig } from "../../app/config/yaml-config.ts";

const FILE = "environments/prod/greenops.yml";
const load = (text: string) =>
  loadYamlConfig<EnvironmentSettings>(FILE, text, validateEnvironmentSettings, checkTelemetryUrls);

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

  const WITHOUT_CREDENTIALS = "must be an http or https URL without credentials (user:password@)";
  const READABLE = "must be a URL whose host and port can be read (a port is at most 65535)";
  /**
   * A telemetry URL, and the error that refuses it (its column: the schema's at the value, the URL
   * parser's at the key), credentials masked, or undefined when it is accepted.
   */
  const URLS: [url: string, refused?: [column: number, words: string, shown: string]][] = [
    ["https://prometheus.prod.example:9090"],
    ["HTTPS://prometheus.prod.example:9090"],
    ["Http://OpenCost.OpenCost:9003/"],
    ["hTTp://thanos-query.monitoring.svc:10902/prefix/"],
    ["https://mimir.prod.example?team=platform@example.com"],
    ["https://victoria.prod.example#@top"],
    ["http://[::1]:9003"],
    ["https://prometheus.prod.example:65535"],
    [
      "https://grafana:c2VjcmV0@prometheus.prod.example",
      [20, WITHOUT_CREDENTIALS, "https://***@prometheus.prod.example"],
    ],
    [
      "HTTPS://grafana@Prometheus.Prod.Example:9090/",
      [20, WITHOUT_CREDENTIALS, "HTTPS://***@Prometheus.Prod.Example:9090/"],
    ],
    [
      "https://:c2VjcmV0@prometheus.prod.example",
      [20, WITHOUT_CREDENTIALS, "https://***@prometheus.prod.example"],
    ],
    ["ftp://prometheus.prod.example", [20, WITHOUT_CREDENTIALS, "ftp://prometheus.prod.example"]],
    [
      "FTP://grafana:c2VjcmV0@prometheus.prod.example",
      [20, WITHOUT_CREDENTIALS, "FTP://***@prometheus.prod.example"],
    ],
    ["httpx://prometheus.prod.example", [20, WITHOUT_CREDENTIALS, "httpx://prometheus.prod.example"]],
    ["prometheus.prod.example:9090", [20, WITHOUT_CREDENTIALS, "prometheus.prod.example:9090"]],
    ["grafana:c2VjcmV0@prometheus.prod.example", [20, WITHOUT_CREDENTIALS, "***@prometheus.prod.example"]],
    ["https://prometheus.prod.example:99999", [15, READABLE, "https://prometheus.prod.example:99999"]],
    ["HTTP://127.0.0.1:65536/prefix", [15, READABLE, "HTTP://127.0.0.1:65536/prefix"]],
    ["https://prometheus.prod.example:90x0", [15, READABLE, "https://prometheus.prod.example:90x0"]],
    ["http://prometheus prod.example:9090", [15, READABLE, "http://prometheus prod.example:9090"]],
    ["http://10.0.0.256:9090", [15, READABLE, "http://10.0.0.256:9090"]],
    ["http://[::1:9003", [15, READABLE, "http://[::1:9003"]],
    ["https://:9090", [15, READABLE, "https://:9090"]],
  ];
  it.each(URLS)("a telemetry URL %s, accepted as checkOperatorUrl accepts it (else %j)", (url, refused) => {
    const result = load(`${TELEMETRY}  opencost: { url: ${JSON.stringify(url)} }\n`);
    expect("url" in checkOperatorUrl(url, { plainHttp: "anywhere" })).toBe(refused === undefined);
    if (refused === undefined) return expect(result.diagnostics).toEqual([]);
    const [column, words, shown] = refused;
    expect(result.diagnostics).toEqual([
      {
        file: FILE,
        line: 5,
        column,
        severity: "error",
        message: `"telemetry.opencost.url" ${words}; got "${shown}"`,
      },
    ]);
    expect(result.diagnostics[0]?.message).not.toContain("c2VjcmV0");
  });

  it.each(["prometheus", "gridIntensity"])("a %s url the URL parser refuses is located too", (source) => {
    const url = "https://metrics.prod.example:123456";
    const extra = source === "gridIntensity" ? ", provider: uk-carbon-intensity" : "";
    expect(load(`${TELEMETRY}  ${source}: { url: ${url}${extra} }\n`).diagnostics).toEqual([
      expect.objectContaining({ line: 5, message: `"telemetry.${source}.url" ${READABLE}; got "${url}"` }),
    ]);
  });

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
    [
      "cloud: aws\nregion: [us-east-1\n",
      2,
      "invalid YAML: a flow sequence ([) opened at line 2, column 9 is not closed",
    ],
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
