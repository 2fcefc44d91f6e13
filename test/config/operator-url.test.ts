import { describe, expect, it } from "vitest";
import {
  checkOperatorUrl,
  maskedUserinfo,
  type SecretInClear,
  secretInClear,
  secretInClearWarning,
  secretsInClear,
  type UrlRules,
} from "../../app/config/operator-url.ts";

const ANYWHERE: UrlRules = { plainHttp: "anywhere" };
const ARGOCD: UrlRules = { plainHttp: "loopback", bareHost: "https" };

const ACCEPTED: [string, UrlRules, string][] = [
  ["https://prometheus.example:9090/", ANYWHERE, "https://prometheus.example:9090"],
  ["https://Gateway.Example.COM:443/openai/v1//", ANYWHERE, "https://gateway.example.com/openai/v1"],
  ["HTTPS://gateway.example.com/v1/", ANYWHERE, "https://gateway.example.com/v1"],
  ["https://gateway.example.com/v1?team=platform#top", ANYWHERE, "https://gateway.example.com/v1"],
  ["https://thanos.example/%2F/", ANYWHERE, "https://thanos.example/%2F"],
  ["http://opencost.opencost:9003", ANYWHERE, "http://opencost.opencost:9003"],
  ["http://localhost:11434/v1/", ANYWHERE, "http://localhost:11434/v1"],
  ["http://127.1:9090", ANYWHERE, "http://127.0.0.1:9090"],
  ["http://[::1]:9090/", ANYWHERE, "http://[::1]:9090"],
  ["argocd.example.com", ARGOCD, "https://argocd.example.com"],
  ["argocd.example.com:8443/argo-cd/", ARGOCD, "https://argocd.example.com:8443/argo-cd"],
  ["127.0.0.1:8080", ARGOCD, "https://127.0.0.1:8080"],
  ["https://argocd.example.com//", ARGOCD, "https://argocd.example.com"],
  ["http://127.0.0.1:8080/", ARGOCD, "http://127.0.0.1:8080"],
  ["http://127.255.255.254", ARGOCD, "http://127.255.255.254"],
  ["http://127.1:8080", ARGOCD, "http://127.0.0.1:8080"],
  ["http://0x7f.1", ARGOCD, "http://127.0.0.1"],
  ["http://LOCALHOST:8080", ARGOCD, "http://localhost:8080"],
  ["http://[::1]:8080/api/", ARGOCD, "http://[::1]:8080/api"],
  ["http://[0:0:0:0:0:0:0:1]", ARGOCD, "http://[::1]"],
];

const REFUSED: [string, UrlRules, ReturnType<typeof checkOperatorUrl>][] = [
  ["not a url", ANYWHERE, { problem: "not-a-url", shown: "not a url" }],
  ["http://", ANYWHERE, { problem: "not-a-url", shown: "http://" }],
  [
    "https://prometheus.example:99999",
    ANYWHERE,
    { problem: "not-a-url", shown: "https://prometheus.example:99999" },
  ],
  ["prometheus.example/api", ANYWHERE, { problem: "not-a-url", shown: "prometheus.example/api" }],
  [
    "https://user:pw@prometheus.example:99999",
    ANYWHERE,
    { problem: "not-a-url", shown: "https://***@prometheus.example:99999" },
  ],
  ["https://user:pw@prometheus.example", ANYWHERE, { problem: "credentials" }],
  ["https://user@prometheus.example", ANYWHERE, { problem: "credentials" }],
  ["http://:pw@127.0.0.1:9090", ANYWHERE, { problem: "credentials" }],
  ["ftp://user:pw@prometheus.example", ANYWHERE, { problem: "credentials" }],
  ["ftp://prometheus.example", ANYWHERE, { problem: "scheme", scheme: "ftp:" }],
  ["file:///etc/passwd", ANYWHERE, { problem: "scheme", scheme: "file:" }],
  ["wss://gateway.example.com/v1", ANYWHERE, { problem: "scheme", scheme: "wss:" }],
  ["prometheus:9090", ANYWHERE, { problem: "scheme", scheme: "prometheus:" }],
  ["localhost:11434/v1", ANYWHERE, { problem: "scheme", scheme: "localhost:" }],
  ["http://", ARGOCD, { problem: "not-a-url", shown: "http://" }],
  ["argocd.example.com:99999", ARGOCD, { problem: "not-a-url", shown: "argocd.example.com:99999" }],
  // A scheme mistyped is not read as a host named after it.
  ["h:", ARGOCD, { problem: "not-a-url", shown: "h:" }],
  ["http:/argocd.example.com", ARGOCD, { problem: "not-a-url", shown: "http:/argocd.example.com" }],
  ["https:argocd.example.com", ARGOCD, { problem: "not-a-url", shown: "https:argocd.example.com" }],
  ["argocd.example.com:/api", ARGOCD, { problem: "not-a-url", shown: "argocd.example.com:/api" }],
  [
    "admin:pw@argocd.example.com:99999",
    ARGOCD,
    { problem: "not-a-url", shown: "***@argocd.example.com:99999" },
  ],
  ["https://admin:pw@argocd.example.com", ARGOCD, { problem: "credentials" }],
  ["admin:pw@argocd.example.com", ARGOCD, { problem: "credentials" }],
  ["http://admin:pw@argocd.example.com", ARGOCD, { problem: "credentials" }],
  ["ftp://argocd.example.com", ARGOCD, { problem: "scheme", scheme: "ftp:" }],
  ["http://argocd.example.com/", ARGOCD, { problem: "plain-http", origin: "http://argocd.example.com" }],
  ["http://128.0.0.1", ARGOCD, { problem: "plain-http", origin: "http://128.0.0.1" }],
  ["http://0.0.0.0:8080", ARGOCD, { problem: "plain-http", origin: "http://0.0.0.0:8080" }],
  ["http://[::2]", ARGOCD, { problem: "plain-http", origin: "http://[::2]" }],
  ["http://[::ffff:127.0.0.1]", ARGOCD, { problem: "plain-http", origin: "http://[::ffff:7f00:1]" }],
  ["http://localhost.", ARGOCD, { problem: "plain-http", origin: "http://localhost." }],
  ["http://argocd.localhost", ARGOCD, { problem: "plain-http", origin: "http://argocd.localhost" }],
];

describe("checkOperatorUrl", () => {
  it.each(ACCEPTED)("accepts %s (%j) as %s", (text, rules, url) => {
    expect(checkOperatorUrl(text, rules)).toEqual({ url });
  });

  it.each(ACCEPTED)("%s (%j): its accepted form %s is accepted as it is", (_text, rules, url) => {
    expect(checkOperatorUrl(url, rules)).toEqual({ url });
  });

  it.each(REFUSED)("refuses %s (%j)", (text, rules, refusal) => {
    expect(checkOperatorUrl(text, rules)).toEqual(refusal);
  });
});

const MASKED: [string, string][] = [
  ["https://admin:s3cret@argocd.example.com:99999", "https://***@argocd.example.com:99999"],
  ["https://token@argocd.example.com:99999/api", "https://***@argocd.example.com:99999/api"],
  ["HTTP://user:p@ss@prometheus.example:0x", "HTTP://***@prometheus.example:0x"],
  ["https://user:pa/ss@gateway.example.com:1e9/v1", "https://***@gateway.example.com:1e9/v1"],
  ["admin:s3cret@argocd.example.com:99999", "***@argocd.example.com:99999"],
  ["https://@prometheus.example:99999", "https://***@prometheus.example:99999"],
  ["https://prometheus.example:99999", "https://prometheus.example:99999"],
  ["not a url", "not a url"],
  ["", ""],
];

describe("maskedUserinfo", () => {
  it.each(MASKED)("shows %s as %s", (text, shown) => {
    expect(maskedUserinfo(text)).toBe(shown);
  });
});

const KEY = ["OPENAI_API_KEY"];
const PLAIN = { use: "https://" };

/** URL × the secrets set → what would cross a network in clear (undefined: nothing). */
const IN_CLEAR: [string, string[], Omit<SecretInClear, "setting"> | undefined][] = [
  [
    "http://ollama.internal:11434/v1",
    KEY,
    { secrets: KEY, origin: "http://ollama.internal:11434", ...PLAIN },
  ],
  ["http://ollama.internal:11434/v1", [], undefined],
  [
    "HTTP://Gateway.Example.COM:80/v1?team=a#x",
    KEY,
    { secrets: KEY, origin: "http://gateway.example.com", ...PLAIN },
  ],
  ["http://10.0.0.7:9090", KEY, { secrets: KEY, origin: "http://10.0.0.7:9090", ...PLAIN }],
  ["http://0.0.0.0:9090", KEY, { secrets: KEY, origin: "http://0.0.0.0:9090", ...PLAIN }],
  ["http://128.0.0.1", KEY, { secrets: KEY, origin: "http://128.0.0.1", ...PLAIN }],
  ["http://[::2]:9090", KEY, { secrets: KEY, origin: "http://[::2]:9090", ...PLAIN }],
  ["http://[::ffff:127.0.0.1]", KEY, { secrets: KEY, origin: "http://[::ffff:7f00:1]", ...PLAIN }],
  ["http://localhost.", KEY, { secrets: KEY, origin: "http://localhost.", ...PLAIN }],
  ["http://127.0.0.1.nip.io", KEY, { secrets: KEY, origin: "http://127.0.0.1.nip.io", ...PLAIN }],
  ["https://gateway.example.com/v1", KEY, undefined],
  ["http://localhost:11434/v1", KEY, undefined],
  ["http://LOCALHOST:11434", KEY, undefined],
  ["http://127.1.2.3:9090", KEY, undefined],
  ["http://127.1", KEY, undefined],
  ["http://[::1]:9090", KEY, undefined],
  ["http://[0:0:0:0:0:0:0:1]:9090", KEY, undefined],
  ["  http://[::1]:9090  ", KEY, undefined],
  // Userinfo is a secret of its own, set or not the others, and never shown.
  [
    "http://user:pa55@prometheus.monitoring:9090/",
    [],
    { secrets: ["the credentials in SETTING"], origin: "http://prometheus.monitoring:9090", ...PLAIN },
  ],
  [
    "http://token@prometheus.monitoring:9090",
    KEY,
    {
      secrets: [...KEY, "the credentials in SETTING"],
      origin: "http://prometheus.monitoring:9090",
      ...PLAIN,
    },
  ],
  ["https://user:pa55@prometheus.monitoring", [], undefined],
  ["http://user:pa55@localhost:9090", [], undefined],
  ["redis://redis.greenops:6379", [], undefined],
  [
    "redis://:pa55@Redis.GreenOps:6379/0",
    [],
    { secrets: ["the credentials in SETTING"], origin: "redis://redis.greenops:6379", use: "rediss://" },
  ],
  ["rediss://:pa55@redis.greenops:6379", [], undefined],
  ["redis://:pa55@LOCALHOST:6379", [], undefined],
  ["redis://:pa55@[::1]:6379", [], undefined],
  // Refused where they are used, so never sent.
  ["http://prometheus.example:99999", KEY, undefined],
  ["not a url", KEY, undefined],
  ["ftp://files.example", KEY, undefined],
];

describe("secretInClear", () => {
  it.each(IN_CLEAR)("%s with %j set", (url, secrets, expected) => {
    const found = secretInClear({ setting: "SETTING", url, secrets });
    expect(found).toEqual(expected && { ...expected, setting: "SETTING" });
    expect(JSON.stringify(found ?? {})).not.toMatch(/pa55|user|token@/);
  });

  it("words one warning: the secrets by name, the origin, the setting, and what to do", () => {
    const routes = [
      { setting: "OPENAI_BASE_URL", url: "http://ollama.internal:11434/v1", secrets: KEY },
      { setting: "OPENAI_BASE_URL", url: "https://gateway.example.com/v1", secrets: KEY },
      { setting: "S", url: "http://a:b@prometheus.monitoring:9090", secrets: ["PROM_TOKEN", "/run/token"] },
    ];
    expect(secretsInClear(routes).map(secretInClearWarning)).toEqual([
      "OPENAI_API_KEY would cross the network in clear: plain http to http://ollama.internal:11434 (OPENAI_BASE_URL), which is not a loopback address; use https://, or a loopback address (a sidecar or a port-forward)",
      "PROM_TOKEN, /run/token and the credentials in S would cross the network in clear: plain http to http://prometheus.monitoring:9090 (S), which is not a loopback address; use https://, or a loopback address (a sidecar or a port-forward)",
    ]);
  });
});
