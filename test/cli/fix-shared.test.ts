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

describe("greenops fix and a field missing in a Kustomize base", () => {
  const base = BASE.replace("            limits: { memory: 256Mi }\n", "").replace(
    "256Mi }\n",
    "256Mi } # measured\n",
  );
  /** A strategic merge patch of the web container's resources. */
  const resources = (lines: string) => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  template:
    spec:
      containers:
        - name: web
          resources:
${lines}`;
  const LIMIT_PATCH = resources("            limits:\n              memory: 256Mi\n");
  const INSERTED =
    "            requests: { cpu: 250m, memory: 256Mi } # measured\n            limits:\n              memory: 256Mi\n";

  it.each([
    {
      case: "prod's patch sets the limit, staging has none: staging's limit would be inserted into prod's base too, so it is made by hand",
      prod: true,
      line: '  skipped base/web.yaml:13 limits-ratio: Limit memory to 256Mi for container "web": its edit cannot be written here (its value is also read for another environment, ArgoCD Application, overlay or stack, which the edit would change too): make it by hand',
      limited: false,
    },
    {
      case: "included by staging alone: the limit is inserted into the base",
      prod: false,
      line: '  base/web.yaml:13 limits-ratio: Limit memory to 256Mi for container "web"',
      limited: true,
    },
  ])("$case", ({ prod, line, limited }) => {
    repo.write("base/web.yaml", base);
    overlay("environments/staging/web/kustomization.yaml", "shop");
    if (prod) {
      repo.write(
        "environments/prod/web/kustomization.yaml",
        "namespace: shop\nresources:\n  - ../../../base\npatches:\n  - path: limits.yaml\n",
      );
      repo.write("environments/prod/web/limits.yaml", LIMIT_PATCH);
    }
    repo.commit("a base without a memory limit");
    const run = greenops(repo.root, "fix", "--all", ".");
    expect(run.status).toBe(0);
    const lines = run.stdout.split("\n").filter((l) => l.includes("limits-ratio"));
    expect([...new Set(lines)]).toEqual([line]);
    const fixed = readFileSync(join(repo.root, "base/web.yaml"), "utf8");
    expect(fixed.includes(INSERTED)).toBe(limited);
    expect(fixed.includes("limits")).toBe(limited);
  });

  // A component's patch is a place of every overlay that includes it, insertions too.
  const COMPONENT = resources(
    "            requests:\n              cpu: 250m\n              memory: 512Mi # measured\n",
  );
  it.each([
    { case: "a component staging and prod include, prod setting the limit itself: by hand", prod: true },
    { case: "a component staging alone includes: the limit is inserted into its patch", prod: false },
  ])("$case", ({ prod }) => {
    repo.write("base/web.yaml", base.replace(/ {10}resources:\n.*\n/, ""));
    repo.write(
      "components/memory/kustomization.yaml",
      "apiVersion: kustomize.config.k8s.io/v1alpha1\nkind: Component\npatches:\n  - path: memory.yaml\n",
    );
    repo.write("components/memory/memory.yaml", COMPONENT);
    const including = "resources:\n  - ../../../base\ncomponents:\n  - ../../../components/memory\n";
    repo.write("environments/staging/web/kustomization.yaml", `namespace: shop\n${including}`);
    if (prod) {
      repo.write(
        "environments/prod/web/kustomization.yaml",
        `namespace: shop\n${including}patches:\n  - path: limits.yaml\n`,
      );
      repo.write("environments/prod/web/limits.yaml", LIMIT_PATCH.replace("256Mi", "512Mi"));
    }
    repo.commit("a component without a memory limit");
    const run = greenops(repo.root, "fix", "--all", ".");
    expect(run.status).toBe(0);
    const lines = run.stdout.split("\n").filter((l) => l.includes("limits-ratio"));
    expect(
      lines.map((l) => l.includes("skipped components/memory/memory.yaml:13") && l.includes("also read")),
    ).toEqual([prod]);
    expect(readFileSync(join(repo.root, "components/memory/memory.yaml"), "utf8")).toBe(
      prod ? COMPONENT : `${COMPONENT}            limits:\n              memory: 512Mi\n`,
    );
  });
});
