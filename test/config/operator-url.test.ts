import { describe, expect, it } from "vitest";
import { checkOperatorUrl, maskedUserinfo, type UrlRules } from "../../app/config/operator-url.ts";

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
