import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { greenopsWith } from "../helpers/cli.ts";
import { type TempRepo, tempRepo } from "../helpers/git-repo.ts";

// A repository with nothing to review: no source is contacted, whatever the settings say.
let repo: TempRepo;
/** The operator's secret files: one that can be read, and a folder where a file was meant. */
const secrets = mkdtempSync(join(tmpdir(), "greenops-secrets-"));
const SECRET_FILE = join(secrets, "opencost-token");
const FOLDER = join(secrets, "prometheus-token");
beforeAll(() => {
  repo = tempRepo();
  repo.write("README.md", "# shop\n");
  repo.commit("Initial commit");
  writeFileSync(SECRET_FILE, "s3cret-opencost-token\n");
  mkdirSync(FOLDER);
});
afterAll(() => {
  repo.dispose();
  rmSync(secrets, { recursive: true, force: true });
});

const TOKEN = "s3cret-prometheus-token";
const ADVICE =
  "which is not a loopback address; use https://, or a loopback address (a sidecar or a port-forward)";

describe("secrets the command line would send in clear", () => {
  it("are said once each on standard error, --quiet or not, and the run goes on", () => {
    const env = {
      GREENOPS_PROMETHEUS_BEARER_TOKEN: TOKEN,
      GREENOPS_TELEMETRY_SECRETS: `http://prometheus.monitoring:9090=PROM_TOKEN https://prometheus.example=PROM_TOKEN http://opencost.opencost:9003=${SECRET_FILE}`,
      PROM_TOKEN: TOKEN,
    };
    const url = "http://prometheus.monitoring:9090/";
    const quiet = greenopsWith(env, repo.root, "review", "--quiet", "--prometheus", url);
    const run = greenopsWith(env, repo.root, "review", "--prometheus", url);
    expect(quiet.stderr).toBe(run.stderr);
    expect(run.stderr).toBe(
      [
        `greenops: GREENOPS_PROMETHEUS_BEARER_TOKEN would cross the network in clear: plain http to http://prometheus.monitoring:9090 (--prometheus), ${ADVICE}`,
        `greenops: PROM_TOKEN would cross the network in clear: plain http to http://prometheus.monitoring:9090 (GREENOPS_TELEMETRY_SECRETS), ${ADVICE}`,
        `greenops: ${SECRET_FILE} would cross the network in clear: plain http to http://opencost.opencost:9003 (GREENOPS_TELEMETRY_SECRETS), ${ADVICE}`,
        "",
      ].join("\n"),
    );
    expect(run.status).toBe(0);
    expect(run.stdout).toContain("GreenOps");
  });

  it.each([
    ["over https", "https://prometheus.example:9090", { GREENOPS_PROMETHEUS_BEARER_TOKEN: TOKEN }],
    ["to localhost", "http://LOCALHOST:9090", { GREENOPS_PROMETHEUS_BEARER_TOKEN: TOKEN }],
    ["to 127.1.2.3", "http://127.1.2.3:9090", { GREENOPS_PROMETHEUS_BEARER_TOKEN: TOKEN }],
    ["to ::1", "http://[::1]:9090", { GREENOPS_PROMETHEUS_BEARER_TOKEN: TOKEN }],
    [
      "with no secret set",
      "http://prometheus.monitoring:9090",
      { GREENOPS_TELEMETRY_SECRETS: "http://prometheus.monitoring:9090=PROM_TOKEN" },
    ],
  ])("are not said %s", (_case, url, env) => {
    const run = greenopsWith(env, repo.root, "review", "--prometheus", url);
    expect(run.stderr).toBe("");
    expect(run.status).toBe(0);
  });

  it("are not said by commands that send none (deploy-status refuses plain http itself)", () => {
    const env = {
      GREENOPS_TELEMETRY_SECRETS: "http://prometheus.monitoring:9090=PROM_TOKEN",
      PROM_TOKEN: TOKEN,
    };
    const run = greenopsWith(
      { ...env, ARGOCD_AUTH_TOKEN: TOKEN },
      repo.root,
      "deploy-status",
      "--revision",
      "HEAD",
      "--argocd-server",
      "http://argocd.example.com",
    );
    expect(run.stderr).toBe(
      'greenops: ArgoCD server http://argocd.example.com: plain HTTP is accepted only on the loopback interface; use https://\nRun "greenops --help" for usage.\n',
    );
  });
});

describe("secret files of GREENOPS_TELEMETRY_SECRETS that cannot be read", () => {
  it.each([
    ["missing", "/run/secrets/greenops-missing-token", "no such file"],
    ["a folder", FOLDER, "a folder, not a file"],
  ])(
    "are said once (%s), naming the variable, the pair and the path, and the run goes on",
    (_, path, reason) => {
      const env = { GREENOPS_TELEMETRY_SECRETS: `http://prometheus.monitoring:9090=${path}` };
      const run = greenopsWith(env, repo.root, "review");
      // Nothing would be sent from a file that cannot be read: no warning of a secret in clear.
      expect(run.stderr).toBe(
        `greenops: GREENOPS_TELEMETRY_SECRETS pairs http://prometheus.monitoring:9090 with the file ${path}, which cannot be read (${reason}): the telemetry sources that name it fail until it can be\n`,
      );
      expect(run.status).toBe(0);
    },
  );
});
