import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { greenopsAs } from "../helpers/cli.ts";
import { type TempRepo, tempRepo } from "../helpers/git-repo.ts";

/**
 * Root reads every file whatever its mode, so as root the CLI runs as `nobody` for the permission
 * cases; they are skipped only when even `nobody` cannot run it (the project in a folder only root
 * may enter).
 */
const AS_ROOT = process.getuid?.() === 0;
const USER = AS_ROOT ? { uid: 65534, gid: 65534 } : undefined;
/** `nobody` does not own the repository: git would refuse it as of "dubious ownership". */
const ENV = {
  HOME: tmpdir(),
  GIT_CONFIG_COUNT: "1",
  GIT_CONFIG_KEY_0: "safe.directory",
  GIT_CONFIG_VALUE_0: "*",
};
const canRun = greenopsAs(USER, ENV, tmpdir(), "--version").status === 0;

const deployment = (name: string) => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
spec:
  template:
    spec:
      containers:
        - name: app
          image: ghcr.io/example/${name}:1.0.0
          resources:
            requests: { cpu: 250m, memory: 256Mi }
`;

const DENIED = "permission denied (the user running GreenOps may not read it)";

type Diagnostic = { file: string; line: number; severity: string; message: string };
type Row = [label: string, byMode: boolean, expected: Diagnostic];

/** Each row: a file or folder GreenOps cannot read, whether only its mode stops it, and what the estimate says. */
const rows: Row[] = [
  [
    "a manifest no one may read",
    true,
    { file: "apps/locked.yaml", line: 1, severity: "warning", message: `${DENIED}; not read` },
  ],
  [
    "a manifest in a folder no one may enter",
    true,
    {
      file: "sealed/inner/web.yaml",
      line: 1,
      severity: "warning",
      message: `a folder on its path (sealed/inner) cannot be reached: ${DENIED}; not read`,
    },
  ],
  [
    "an environment's settings no one may read",
    true,
    { file: "environments/dev/greenops.yml", line: 1, severity: "error", message: `${DENIED}; not read` },
  ],
  [
    "a file a kustomization lists, no one may read",
    true,
    { file: "shop/secret-config.yaml", line: 1, severity: "warning", message: `${DENIED}; not read` },
  ],
  [
    "an untracked folder no one may enter (git cannot list it)",
    true,
    {
      file: "drafts",
      line: 1,
      severity: "warning",
      message: `a folder whose files could not be listed: ${DENIED}; its files are not read`,
    },
  ],
  [
    "the settings file is a folder",
    false,
    { file: ".github/greenops.yml", line: 1, severity: "error", message: "a folder, not a file; not read" },
  ],
];

describe("files GreenOps may not read: the cause and the path, never the system's code alone", () => {
  let repo: TempRepo;
  let diagnostics: Diagnostic[];

  beforeAll(() => {
    repo = tempRepo();
    repo.write("apps/api.yaml", deployment("api"));
    repo.write("apps/locked.yaml", deployment("locked"));
    repo.write("sealed/inner/web.yaml", deployment("web"));
    repo.write("environments/dev/greenops.yml", "cloud: aws\nregion: us-east-1\n");
    repo.write("environments/dev/app.yaml", deployment("dev-app"));
    repo.write("shop/kustomization.yaml", "resources:\n  - shop.yaml\n  - secret-config.yaml\n");
    repo.write("shop/shop.yaml", deployment("shop"));
    repo.write("shop/secret-config.yaml", deployment("secret-config"));
    repo.write(".github/greenops.yml/README.md", "settings were meant to be here\n");
    repo.commit("manifests");
    repo.write("drafts/next.yaml", deployment("next"));
    for (const path of [
      "drafts",
      "apps/locked.yaml",
      "sealed",
      "environments/dev/greenops.yml",
      "shop/secret-config.yaml",
    ])
      chmodSync(join(repo.root, path), 0);
    chmodSync(repo.root, 0o755);
    const run = greenopsAs(USER, ENV, repo.root, "estimate", "--format", "json");
    expect(run.stderr).toBe("");
    const report = JSON.parse(run.stdout);
    // Configuration errors are findings of the configuration policy; the rest, diagnostics.
    diagnostics = [...report.diagnostics, ...report.findings].map(({ file, line, severity, message }) => ({
      file,
      line,
      severity,
      message,
    }));
  });

  afterAll(() => {
    for (const folder of ["sealed", "drafts"]) chmodSync(join(repo.root, folder), 0o755);
    repo.dispose();
  });

  it.for(rows)("%s", ([, byMode, expected], { skip }) => {
    if (byMode && !canRun) skip("nobody may run the CLI from where the project is");
    expect(diagnostics).toContainEqual(expected);
  });

  it.skipIf(!canRun)(
    "the kustomization says its entry was not read, at the entry's line, and only that",
    () => {
      const kustomization = diagnostics.filter((d) => d.file === "shop/kustomization.yaml");
      expect(kustomization).toHaveLength(1);
      expect(diagnostics).toContainEqual(
        expect.objectContaining({
          file: "shop/kustomization.yaml",
          line: 3,
          message: expect.stringContaining("not read"),
        }),
      );
    },
  );
});

describe("a folder the listing cannot open, outside git", () => {
  let root: string;

  beforeAll(() => {
    root = mkdtempSync(join(tmpdir(), "greenops-test-"));
    mkdirSync(join(root, "apps"));
    mkdirSync(join(root, "vault"));
    writeFileSync(join(root, "apps/api.yaml"), deployment("api"));
    writeFileSync(join(root, "vault/db.yaml"), deployment("db"));
    chmodSync(join(root, "vault"), 0);
    chmodSync(root, 0o755);
  });

  afterAll(() => {
    chmodSync(join(root, "vault"), 0o755);
    rmSync(root, { recursive: true, force: true });
  });

  it.skipIf(!canRun)("is said, and the rest is estimated", () => {
    const run = greenopsAs(USER, ENV, root, "estimate", "--format", "json");
    expect(run.stderr).toBe("");
    const report = JSON.parse(run.stdout);
    expect(report.diagnostics).toContainEqual({
      file: "vault",
      line: 1,
      severity: "warning",
      message: `a folder whose files could not be listed: ${DENIED}; its files are not read`,
    });
    expect(report.resources.map((r: { id: string }) => r.id)).toEqual(["Deployment/api"]);
  });
});
