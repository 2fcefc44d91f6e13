import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { greenops, json, PROJECT } from "../helpers/cli.ts";
import { type TempRepo, tempRepo } from "../helpers/git-repo.ts";

/** What lies outside the checkout: a manifest with a name and a secret that must never be printed. */
const SECRET = "hunter2-outside-the-checkout";
const outsideManifest = (name: string) => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
  annotations:
    password: ${SECRET}
spec:
  replicas: 40
  template:
    spec:
      containers:
        - name: app
          image: ghcr.io/example/app:1.0.0
          resources:
            requests: { cpu: "8", memory: 32Gi }
`;

type Diagnostic = { file: string; severity: string; message: string };

describe("nothing outside the repository is read", () => {
  let repo: TempRepo;
  let outside: string;

  beforeAll(() => {
    outside = mkdtempSync(join(tmpdir(), "greenops-outside-"));
    writeFileSync(join(outside, "secrets.yaml"), outsideManifest("outside-secrets"));
    mkdirSync(join(outside, "shared"));
    writeFileSync(join(outside, "shared/app.yaml"), outsideManifest("outside-shared"));

    repo = tempRepo({ from: join(PROJECT, "environments"), to: "environments" });
    repo.write("shared/app.yaml", outsideManifest("inside-shared").replace(SECRET, "none"));
    repo.write("environments/prod/shop/queue.yaml", outsideManifest("queue").replace(SECRET, "none"));
    repo.write("apps/shop/kustomization.yaml", "resources:\n  - api.yaml\n  - secrets.yaml\n");
    repo.write("apps/shop/api.yaml", outsideManifest("shop-api").replace(SECRET, "none"));
    repo.commit("environments, a shared folder, a queue and a Kustomize app");

    // What a pull request (or a checkout script) can leave in the working tree.
    symlinkSync(join(outside, "secrets.yaml"), join(repo.root, "environments/prod/shop/secrets.yaml"));
    symlinkSync(join(outside, "secrets.yaml"), join(repo.root, "apps/shop/secrets.yaml"));
    symlinkSync("../prod/shop/api.yaml", join(repo.root, "environments/staging/api-link.yaml"));
    rmSync(join(repo.root, "shared"), { recursive: true });
    symlinkSync(join(outside, "shared"), join(repo.root, "shared"));
    rmSync(join(repo.root, "environments/prod/shop/queue.yaml"));
    execFileSync("mkfifo", [join(repo.root, "environments/prod/shop/queue.yaml")]);
    repo.write("environments/prod/shop/dump.yaml", `# ${"x".repeat(11 * 1024 * 1024)}\n`);
  });

  afterAll(() => {
    repo.dispose();
    rmSync(outside, { recursive: true, force: true });
  });

  const expectRefusals = (diagnostics: Diagnostic[]) => {
    const reason = (file: string) => diagnostics.find((d) => d.file === file)?.message;
    expect(reason("environments/prod/shop/secrets.yaml")).toMatch(
      /^a symbolic link to .*secrets\.yaml: GreenOps does not follow links/,
    );
    expect(reason("apps/shop/secrets.yaml")).toMatch(/^a symbolic link to /);
    expect(reason("environments/staging/api-link.yaml")).toMatch(
      /^a symbolic link to \.\.\/prod\/shop\/api\.yaml/,
    );
    expect(reason("shared/app.yaml")).toBe("its folder is a symbolic link out of the repository; not read");
    expect(reason("environments/prod/shop/queue.yaml")).toBe("a FIFO, not a regular file; not read");
    expect(reason("environments/prod/shop/dump.yaml")).toMatch(/above the 10 MiB limit; not read$/);
  };

  it.each([["estimate"], ["review"]])(
    "%s prices nothing and prints nothing from outside, without blocking",
    (command) => {
      const run = greenops(repo.root, command, "--format", "json");
      expect(run.status).toBe(0);
      expect(run.stdout).not.toContain(SECRET);
      expect(run.stdout).not.toMatch(/outside-(secrets|shared)\b/);
      const report = JSON.parse(run.stdout);
      expectRefusals(report.diagnostics);
      expect(
        report.diagnostics.filter((d: Diagnostic) => d.severity === "warning").length,
      ).toBeGreaterThanOrEqual(6);
    },
  );

  it("still estimates the repository's own files, the Kustomize app's included", () => {
    const report = json(repo.root, "estimate");
    const ids = report.resources.map((r: { id: string }) => r.id);
    expect(ids).toContain("Deployment/shop/api");
    expect(ids).toContain("Deployment/shop-api");
    expect(ids.filter((id: string) => id.includes("outside"))).toEqual([]);
  });
});

describe("a path named on the command line that goes through a symbolic link", () => {
  let repo: TempRepo;
  let outside: string;

  beforeAll(() => {
    outside = mkdtempSync(join(tmpdir(), "greenops-outside-"));
    writeFileSync(join(outside, "secrets.yaml"), outsideManifest("outside-secrets"));
    repo = tempRepo({ from: join(PROJECT, "environments"), to: "environments" });
    repo.commit("environments as in the GreenOps repository");
    // What a pull request can put where a workflow runs `greenops estimate environments/prod/shop`.
    symlinkSync(outside, join(repo.root, "environments/prod/platform-shared"));
    symlinkSync("shop", join(repo.root, "environments/prod/shop-link"));
  });

  afterAll(() => {
    repo.dispose();
    rmSync(outside, { recursive: true, force: true });
  });

  it.each([
    [["estimate", "environments/prod/platform-shared"], "a symbolic link out of the repository (to OUTSIDE)"],
    [
      ["estimate", "environments/prod/platform-shared/secrets.yaml"],
      "a symbolic link out of the repository (to OUTSIDE/secrets.yaml)",
    ],
    [
      ["fix", "--all", "environments/prod/platform-shared"],
      "a symbolic link out of the repository (to OUTSIDE)",
    ],
    [
      ["estimate", "environments/prod/shop-link"],
      "a symbolic link (to environments/prod/shop); GreenOps follows no link",
    ],
  ])("greenops %j is refused, reading nothing", (args, reason) => {
    const run = greenops(repo.root, ...args);
    expect(run.status).toBe(2);
    expect(run.stdout).toBe("");
    expect(run.stderr).toContain(`${args.at(-1)}: ${reason.replace("OUTSIDE", realpathSync(outside))}`);
    expect(run.stderr).not.toContain(SECRET);
  });

  it("a path written outside the repository is the user's to name", () => {
    const report = json(repo.root, "estimate", outside);
    expect(report.resources.map((r: { id: string }) => r.id)).toEqual(["Deployment/outside-secrets"]);
  });
});
