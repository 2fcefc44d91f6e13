import { describe, expect, it } from "vitest";
import { factsOf } from "../../app/ai/facts.ts";
import { REDACTED, redactCredentials, redactManifest } from "../../app/ai/redact.ts";
import { review } from "../../app/engine/review.ts";
import { aiRepo, PLANTED, web } from "./fixture.ts";

describe("redactCredentials", () => {
  it.each([
    ["an AWS access key id", `key ${PLANTED.awsKey} here`, `key ${REDACTED} here`],
    [
      "an AWS secret key by name",
      `aws_secret_access_key = ${PLANTED.awsSecret}`,
      `aws_secret_access_key = ${REDACTED}`,
    ],
    ["a GitHub token", `GITHUB_TOKEN: ${PLANTED.githubToken}`, `GITHUB_TOKEN: ${REDACTED}`],
    ["an OpenAI-style key", "use sk-proj-abcdefghijklmnopqrstuvwxyz012345", `use ${REDACTED}`],
    ["a Slack token", "xoxb-123456789012-abcdefghijkl", REDACTED],
    ["a Google API key", "AIzaSyA1234567890abcdefghijklmnopqrstuv", REDACTED],
    ["a JWT", `Authorization: Bearer ${PLANTED.jwt}`, `Authorization: Bearer ${REDACTED}`],
    [
      "a password in a URL",
      `postgres://app:${PLANTED.urlPassword}@db:5432/shop`,
      `postgres://app:${REDACTED}@db:5432/shop`,
    ],
    [
      "a connection string key",
      "AccountName=x;AccountKey=abcdEFGH1234+/==;",
      `AccountName=x;AccountKey=${REDACTED};`,
    ],
    ["a password assignment", 'password: "correct-horse"', `password: ${REDACTED}`],
    ["a passphrase assignment", "passphrase=open-sesame-42", `passphrase=${REDACTED}`],
    [
      "a DSN's key (a URL's user without a password)",
      "SENTRY_DSN=https://0f1e2d3c4b5a69788796a5b4c3d2e1f0@o4504.ingest.sentry.io/42",
      `SENTRY_DSN=https://${REDACTED}@o4504.ingest.sentry.io/42`,
    ],
    [
      "a Slack webhook",
      "notify https://hooks.slack.com/services/T024BE7LD/B01ABCDEF12/q8ZbE1ZbYhM2n0v0XkqT5sLw now",
      `notify https://hooks.slack.com/${REDACTED} now`,
    ],
    [
      "a private key, its lines kept",
      `a\n-----BEGIN RSA PRIVATE KEY-----\n${PLANTED.privateKeyLine}\n-----END RSA PRIVATE KEY-----\nb`,
      `a\n${REDACTED}\n\n\nb`,
    ],
  ])("replaces %s", (_, text, expected) => {
    expect(redactCredentials(text)).toBe(expected);
  });

  it.each([
    ["resource figures", "cpu: 500m, memory: 512Mi, $52.34/month"],
    ["a secret's name", "secretKeyRef:\n  name: web-db"],
    ["a URL without credentials", "https://git.example.com/shop.git"],
  ])("leaves %s alone", (_, text) => {
    expect(redactCredentials(text)).toBe(text);
  });
});

describe("redactManifest", () => {
  const text = web(4);
  const redacted = redactManifest("k8s/web.yaml", text, ["metadata.annotations"]) as string;

  it("keeps every line where it was", () => {
    expect(redacted.split("\n")).toHaveLength(text.split("\n").length);
    expect(redacted).toContain("  replicas: 4 # sized for the launch\n");
  });

  it.each(Object.entries(PLANTED))("removes the planted %s", (_, secret) => {
    expect(text).toContain(secret);
    expect(redacted).not.toContain(secret);
  });

  it("redacts every container env value and Secret data, keeping the keys", () => {
    expect(redacted).toContain(`- name: LOG_LEVEL\n              value: ${REDACTED}`);
    expect(redacted).toContain(`data:\n  password: ${REDACTED}`);
  });

  it("redacts paths of ai.redact with * for any key or index, and the last-applied annotation", () => {
    const manifest = `kind: Deployment
metadata:
  annotations:
    kubectl.kubernetes.io/last-applied-configuration: '{"data":"x"}'
spec:
  template:
    spec:
      containers:
        - name: a
          args: ["--internal", "value"]
`;
    const out = redactManifest("a.yaml", manifest, ["spec.template.spec.containers.*.args"]) as string;
    expect(out).toContain(`kubectl.kubernetes.io/last-applied-configuration: ${REDACTED}`);
    expect(out).toContain(`args: ${REDACTED}`);
    expect(out).toContain("- name: a");
  });

  // What a repository's author could otherwise have sent to the model: the planted value of each manifest.
  it.each([
    [
      "a SealedSecret's encrypted data",
      "apiVersion: bitnami.com/v1alpha1\nkind: SealedSecret\nmetadata: { name: db }\nspec:\n  encryptedData:\n    db: AgBy3i4OJSWK+PiTySYZZA9rO43cGDEq\n",
      "AgBy3i4OJSWK+PiTySYZZA9rO43cGDEq",
      "kind: SealedSecret\nmetadata: { name: db }",
    ],
    [
      "a Secret inside a List",
      "apiVersion: v1\nkind: List\nitems:\n  - apiVersion: v1\n    kind: Secret\n    metadata: { name: db }\n    stringData:\n      db: list-item-secret\n",
      "list-item-secret",
      "      db: [redacted]",
    ],
    [
      "an annotation (not listed in ai.redact)",
      'kind: Deployment\nmetadata:\n  name: web\n  annotations:\n    example.com/config: \'{"dbPass":"annotation-secret"}\'\n',
      "annotation-secret",
      "    example.com/config: [redacted]",
    ],
    [
      "a pod template's annotation",
      "kind: Deployment\nspec:\n  template:\n    metadata:\n      annotations:\n        example.com/db: user=app pass=pod-annotation-secret\n",
      "pod-annotation-secret",
      "        example.com/db: [redacted]",
    ],
    [
      "the argument after a secret-named flag",
      'kind: Deployment\nspec:\n  template:\n    spec:\n      containers:\n        - name: web\n          args: ["--db-password", "flag-arg-secret", "--port", "8080"]\n',
      "flag-arg-secret",
      'args: ["--db-password", [redacted], "--port", "8080"]',
    ],
    [
      "the argument after a token flag, in a block list",
      "kind: Deployment\nspec:\n  template:\n    spec:\n      containers:\n        - name: web\n          command:\n            - /app\n            - --api-token\n            - block-arg-secret\n",
      "block-arg-secret",
      "            - --api-token\n            - [redacted]",
    ],
    [
      "a Pulumi stack's secure value",
      "config:\n  shop:dbPassword:\n    secure: v1:4ab2f1c9d0e8:AAABAJ1ypulumisecure\n",
      "AAABAJ1ypulumisecure",
      "    secure: [redacted]",
    ],
    [
      "a passphrase",
      "data:\n  passphrase: key-passphrase-1\n",
      "key-passphrase-1",
      "  passphrase: [redacted]",
    ],
    ["a DSN", "data:\n  dsn: postgres-dsn-value\n", "postgres-dsn-value", "  dsn: [redacted]"],
    [
      "a basic auth value",
      "data:\n  basicAuth: YWRtaW46czNjcjN0\n",
      "YWRtaW46czNjcjN0",
      "  basicAuth: [redacted]",
    ],
  ])("removes %s", (_, manifest, secret, kept) => {
    const out = redactManifest("k8s/app.yaml", manifest, []) as string;
    expect(manifest).toContain(secret);
    expect(out).not.toContain(secret);
    expect(out).toContain(kept);
    expect(out.split("\n")).toHaveLength(manifest.split("\n").length);
  });

  it("sends nothing of a file it cannot parse", () => {
    expect(redactManifest("bad.yaml", "a: [unclosed\n", [])).toBeUndefined();
  });
});

describe("the facts sent", () => {
  it("redact credentials in every string, and stay JSON", async () => {
    const repo = aiRepo();
    try {
      const report = await review(repo.root);
      const message = `token="${PLANTED.githubToken}" and password: "p4ssw0rd-x" in \\"quotes\\"`;
      const finding = { ...(report.findings[0] as (typeof report.findings)[number]), message };
      const text = JSON.stringify(factsOf({ ...report, findings: [finding] }).facts);
      expect(text).not.toContain(PLANTED.githubToken);
      expect(text).not.toContain("p4ssw0rd-x");
      expect(JSON.parse(text).findings[0].message).toContain(REDACTED);
    } finally {
      repo.dispose();
    }
  });
});
