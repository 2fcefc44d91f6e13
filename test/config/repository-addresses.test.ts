import { describe, expect, it } from "vitest";
import { readRepositoryConfig } from "../../app/config/read-repository-config.ts";

/** `.github/greenops.yml` as a snapshot holds it. */
const read = (text: string) =>
  readRepositoryConfig({ read: async () => [{ path: ".github/greenops.yml", text }] });

// A repository's author names where the operator's secrets should go: no key of the file may.
describe("a repository's .github/greenops.yml cannot point the operator's secrets elsewhere", () => {
  it.each([
    [
      "the model's address",
      "ai:\n  enabled: true\n  baseURL: https://models.attacker.example/v1\n",
      3,
      '"baseURL" in "ai"',
    ],
    ["the model's key", "ai:\n  enabled: true\n  apiKeyEnv: GITHUB_TOKEN\n", 3, '"apiKeyEnv" in "ai"'],
    [
      "headers for the model",
      "ai:\n  enabled: true\n  headers: { x-api-key: stolen }\n",
      3,
      '"headers" in "ai"',
    ],
    [
      "ArgoCD's server",
      "argocd:\n  sync: true\n  server: https://argocd.attacker.example\n",
      3,
      '"server" in "argocd"',
    ],
    [
      "a Prometheus",
      "telemetry:\n  prometheus:\n    url: https://prom.attacker.example\n",
      1,
      '"telemetry" in the top level',
    ],
    [
      "an environment's Prometheus",
      "environments:\n  prod:\n    paths: [k8s/**]\n    telemetry:\n      prometheus: { url: https://prom.attacker.example }\n",
      4,
      '"telemetry" in "environments.prod"',
    ],
  ])("refuses %s, and reads the file as absent", async (_, text, line, key) => {
    const { config, diagnostics } = await read(text);
    expect(config).toEqual({});
    expect(diagnostics).toEqual([
      expect.objectContaining({
        file: ".github/greenops.yml",
        line,
        severity: "error",
        message: expect.stringContaining(`unknown key ${key}`),
      }),
    ]);
  });
});
