import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { greenops, PROJECT } from "../helpers/cli.ts";
import { type TempRepo, tempRepo } from "../helpers/git-repo.ts";
import { BASE } from "../helpers/shared-base.ts";

/**
 * A fix never edits a place another resource is also written from, unless that resource's finding asks
 * for the same edit: a base that a staging and a prod overlay include is prod's too.
 */

const SHARED =
  "skipped base/web.yaml:6 replicas-cap: Run 2 replicas: its edit cannot be written here (its value is also read for another environment, ArgoCD Application, overlay or stack, which the edit would change too): make it by hand";

let repo: TempRepo;
beforeEach(() => {
  repo = tempRepo();
  repo.write(
    "environments/staging/greenops.yml",
    readFileSync(join(PROJECT, "environments/dev/greenops.yml")),
  );
  repo.write("environments/prod/greenops.yml", readFileSync(join(PROJECT, "environments/prod/greenops.yml")));
  repo.write("base/web.yaml", BASE);
  repo.write("base/kustomization.yaml", "resources:\n  - web.yaml\n");
});
afterEach(() => repo.dispose());

const overlay = (path: string, namespace: string) =>
  repo.write(
    path,
    `namespace: ${namespace}\nresources:\n  - ${"../".repeat(path.split("/").length - 1)}base\n`,
  );

describe("greenops fix and a Kustomize base", () => {
  it.each([
    {
      case: "included by a staging and a prod overlay: the staging fix would lower prod's replicas, so it is made by hand",
      overlays: [
        ["environments/staging/web/kustomization.yaml", "shop"],
        ["environments/prod/web/kustomization.yaml", "shop"],
      ],
      line: `  ${SHARED}`,
      replicas: "6",
    },
    {
      case: "included by two overlays of one environment, each asking for the same edit: it is written once",
      overlays: [
        ["environments/staging/a/kustomization.yaml", "a"],
        ["environments/staging/b/kustomization.yaml", "b"],
      ],
      line: "  base/web.yaml:6 replicas-cap: Run 2 replicas",
      replicas: "2",
    },
    {
      case: "included by one overlay: the fix is written in the base",
      overlays: [["environments/staging/web/kustomization.yaml", "shop"]],
      line: "  base/web.yaml:6 replicas-cap: Run 2 replicas",
      replicas: "2",
    },
  ])("$case", ({ overlays, line, replicas }) => {
    for (const [path, namespace] of overlays) overlay(path as string, namespace as string);
    repo.commit("a base and its overlays");
    const run = greenops(repo.root, "fix", "--all", ".");
    expect(run.status).toBe(0);
    const lines = run.stdout.split("\n").filter((l) => l.includes("replicas-cap"));
    expect([...new Set(lines)]).toEqual([line]);
    expect(readFileSync(join(repo.root, "base/web.yaml"), "utf8")).toContain(`  replicas: ${replicas}\n`);
  });
});

const application = (name: string, namespace: string) => `apiVersion: argoproj.io/v1alpha1
kind: Application
metadata:
  name: ${name}
  namespace: argocd
spec:
  project: default
  source:
    repoURL: https://github.com/example/platform.git
    targetRevision: main
    path: apps/web
  destination:
    name: staging
    namespace: ${namespace}
`;

describe("greenops fix and a file two ArgoCD Applications of one environment deploy", () => {
  it.each([
    {
      case: "an ignore keeps one namespace's replicas: the other's fix would lower them too, so it is made by hand",
      config:
        "ignore:\n  - resources: [Deployment/b/web]\n    policies: [replicas-cap]\n    reason: team b load-tests at 6 replicas\n",
      line: SHARED.replace("base/web.yaml", "apps/web/web.yaml"),
      replicas: "6",
    },
    {
      case: "both namespaces ask for the same edit: it is written once",
      config: "{}\n",
      line: "apps/web/web.yaml:6 replicas-cap: Run 2 replicas",
      replicas: "2",
    },
  ])("$case", ({ config, line, replicas }) => {
    repo.write(
      "environments/staging/argocd/web.yaml",
      `${application("web-a", "a")}---\n${application("web-b", "b")}`,
    );
    repo.write("apps/web/web.yaml", BASE);
    repo.write(".github/greenops.yml", config);
    repo.commit("one file, two Applications");
    const run = greenops(repo.root, "fix", "--all", ".");
    expect(run.status).toBe(0);
    const lines = run.stdout.split("\n").filter((l) => l.includes("replicas-cap"));
    expect([...new Set(lines)]).toEqual([`  ${line}`]);
    const text = readFileSync(join(repo.root, "apps/web/web.yaml"), "utf8");
    expect(text).toContain(`  replicas: ${replicas}\n`);
    // The schedule both namespaces ask for is written either way.
    expect(text).toContain('    downscaler/uptime: "Mon-Fri 07:00-19:00 UTC"\n');
  });
});
